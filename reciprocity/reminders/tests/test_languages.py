"""A digest is written in the language its recipient chose in their settings, whatever language is active
where it is sent from; without a choice it is English (no browser asks for an e-mail)."""

import datetime

import pytest
from django.core import mail
from django.utils import translation

from reciprocity.reminders import contents
from reciprocity.reminders.models import Digest, Kind
from reciprocity.reminders.services import send_due_digests
from reciprocity.reminders.tests.conftest import at, opt_in
from tests.builders import make_client, make_session

ENGLISH = [
    "Your day in Reciprocity",
    "your day",
    "sessions still without a reflection",
    "Only numbers and links are e-mailed",
    "Change the time or the days",
    "Stop this digest",
]


@pytest.fixture
def two_sessions_waiting(ana):
    client_ = make_client(ana)
    make_session(client_, starts_at=at(2026, 1, 12, 10, 0))
    make_session(client_, starts_at=at(2026, 1, 13, 10, 0))


def _html(message: mail.EmailMultiAlternatives) -> str:
    [(html, kind)] = message.alternatives
    assert kind == "text/html"
    return str(html)


def _daily_digest_to(ana, language: str, mailoutbox) -> mail.EmailMultiAlternatives:
    ana.language = language
    ana.save(update_fields=["language"])
    opt_in(ana)
    with translation.override("es"):  # the language of wherever the digest is sent from does not count
        assert send_due_digests(at(2026, 1, 14, 7, 5)).outcomes == {("daily", "sent"): 1}
    [message] = mailoutbox
    return message


def test_a_daily_digest_to_someone_who_chose_german_is_in_german(ana, two_sessions_waiting, mailoutbox):
    message = _daily_digest_to(ana, "de", mailoutbox)
    assert message.subject == "Reciprocity: dein Tag, Mittwoch 14 Januar"
    assert "Dein Tag in Reciprocity, Mittwoch 14 Januar:" in message.body
    assert "2 Sitzungen noch ohne Reflexion" in message.body
    assert "Per E-Mail gehen nur Zahlen und Links" in message.body
    html = _html(message)
    assert '<html lang="de">' in html and "2 Sitzungen noch ohne Reflexion" in html
    for english in ENGLISH:
        assert english not in message.subject and english not in message.body and english not in html


def test_a_daily_digest_without_a_chosen_language_stays_english(ana, two_sessions_waiting, mailoutbox):
    message = _daily_digest_to(ana, "", mailoutbox)
    assert message.subject == "Reciprocity: your day, Wednesday 14 January"
    assert "Your day in Reciprocity, Wednesday 14 January:" in message.body
    assert "2 sessions still without a reflection" in message.body
    assert "Only numbers and links are e-mailed: what you wrote stays in Reciprocity." in message.body
    assert '<html lang="en-gb">' in _html(message) and "Sitzungen" not in message.body


def test_a_supervision_digest_speaks_spanish_to_someone_who_chose_it(ana):
    ana.language = "es"
    ana.email = "ana@example.org"
    digest = Digest(user=ana, kind=Kind.SUPERVISION, local_date=datetime.date(2026, 1, 14), claimed_at=at(2026, 1, 14))
    lines = [contents.Line("shares", 1, contents.SHARES, "sharing:index"),
             contents.Line("comments", 3, contents.COMMENTS, "sharing:index")]  # fmt: skip
    message = contents.message(digest, lines)
    assert message.subject == "Reciprocity: novedades en supervisión, miércoles 14 enero"
    assert "1 elemento compartido contigo recientemente" in message.body
    assert "3 comentarios nuevos sobre lo que se comparte contigo" in message.body
    assert "New in supervision" not in message.body and "newly shared" not in _html(message)
    assert translation.get_language() == "en-gb"  # the recipient's language was only borrowed
