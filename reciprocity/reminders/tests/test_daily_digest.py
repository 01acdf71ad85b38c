"""The daily digest: counts and links only, once a day, never empty, only to someone with an address."""

import datetime
import re

import pytest
from django.core import mail
from django.core.mail.backends.base import BaseEmailBackend

from reciprocity.reminders import services
from reciprocity.reminders.models import Digest, Status
from reciprocity.reminders.services import send_due_digests
from reciprocity.reminders.tests.conftest import at, check_in_on_everything, opt_in
from tests.builders import make_client, make_reflection, make_session

CODE = "QX-9137"
WORDS = "Zanzibar-marmalade-lighthouse"  # planted in every free-text field there is


@pytest.fixture
def planted(ana):
    """Ana (in Lisbon, UTC in winter) with a client whose code and words must never reach an e-mail."""
    client_ = make_client(ana, CODE)
    waiting = make_session(client_, starts_at=at(2026, 1, 12, 10, 0))
    make_session(client_, starts_at=at(2026, 1, 13, 10, 0))
    make_reflection(make_session(client_, starts_at=at(2026, 1, 11, 10, 0)), gave_me=WORDS, carry_home=WORDS)
    return waiting


def _everything_said(message: mail.EmailMessage) -> str:
    html = "".join(str(content) for content, _ in getattr(message, "alternatives", []))
    return "\n".join([message.subject, message.body, html, *map(str, message.extra_headers.values())])


def test_the_digest_counts_what_waits_and_links_to_it(ana, planted, mailoutbox):
    opt_in(ana)
    report = send_due_digests(at(2026, 1, 14, 7, 5))
    assert report.outcomes == {("daily", "sent"): 1}
    [message] = mailoutbox
    assert message.to == ["ana@example.org"]
    assert "2 sessions still without a reflection" in message.body
    assert "https://clinic.example.org/" in message.body and "check-ins due" in message.body
    assert Digest.objects.get(user=ana).counts["unreflected"] == 2


def test_no_client_code_and_no_free_text_reach_the_email(ana, planted, mailoutbox):
    ana.first_name = WORDS  # not even the therapist's own name is read into it
    ana.save()
    opt_in(ana)
    send_due_digests(at(2026, 1, 14, 7, 5))
    said = _everything_said(mailoutbox[0])
    assert CODE not in said and WORDS not in said and CODE.lower() not in said.lower()
    assert not re.search(r"[A-Z]{1,3}-\d{4}", said)  # nothing shaped like any client code


def test_the_email_carries_one_click_unsubscribe_headers(ana, planted, mailoutbox):
    opt_in(ana)
    send_due_digests(at(2026, 1, 14, 7, 5))
    headers = mailoutbox[0].message()
    assert re.fullmatch(r"<https://clinic\.example\.org/reminders/unsubscribe/[^/>]+/>", headers["List-Unsubscribe"])
    assert headers["List-Unsubscribe-Post"] == "List-Unsubscribe=One-Click"
    assert headers["List-Unsubscribe"][1:-1] in mailoutbox[0].body


def test_a_digest_goes_once_a_day(ana, planted, mailoutbox):
    opt_in(ana)
    for minute in (0, 1, 30):
        send_due_digests(at(2026, 1, 14, 7, minute))
    send_due_digests(at(2026, 1, 14, 23, 59))
    assert len(mailoutbox) == 1
    send_due_digests(at(2026, 1, 15, 7, 0))
    assert len(mailoutbox) == 2
    assert list(Digest.objects.values_list("local_date", flat=True).order_by("local_date")) == [
        datetime.date(2026, 1, 14), datetime.date(2026, 1, 15)]  # fmt: skip


def test_nothing_is_emailed_when_every_count_is_zero(ana, mailoutbox):
    check_in_on_everything(ana, at(2026, 1, 13, 20, 0))
    opt_in(ana)
    report = send_due_digests(at(2026, 1, 14, 7, 5))
    assert mailoutbox == [] and report.outcomes == {("daily", "empty"): 1}
    assert Digest.objects.get(user=ana).status == Status.EMPTY
    send_due_digests(at(2026, 1, 14, 9, 0))  # the day's digest is settled: nothing later that day either
    assert mailoutbox == [] and Digest.objects.count() == 1


def test_without_an_email_address_nothing_is_sent(ana, planted, mailoutbox):
    opt_in(ana)
    ana.email = ""
    ana.save()
    assert not send_due_digests(at(2026, 1, 14, 7, 5)).outcomes
    assert mailoutbox == [] and not Digest.objects.exists()


def test_without_a_site_url_nothing_is_sent(ana, planted, mailoutbox, settings):
    opt_in(ana)
    settings.SITE_URL = ""
    report = send_due_digests(at(2026, 1, 14, 7, 5))
    assert report.has_no_site_url and "SITE_URL" in report.lines()[0]
    assert mailoutbox == [] and not Digest.objects.exists()


class RefusingBackend(BaseEmailBackend):
    def send_messages(self, messages):
        raise ConnectionRefusedError("the mail server is down")


def test_a_refused_send_is_recorded_and_tried_again_later_once(ana, planted, mailoutbox, settings):
    opt_in(ana)
    settings.EMAIL_BACKEND = f"{__name__}.RefusingBackend"
    assert send_due_digests(at(2026, 1, 14, 7, 0)).outcomes == {("daily", "failed"): 1}
    digest = Digest.objects.get(user=ana)
    assert digest.status == Status.FAILED and digest.error.startswith("ConnectionRefusedError")
    settings.EMAIL_BACKEND = "django.core.mail.backends.locmem.EmailBackend"
    assert not send_due_digests(at(2026, 1, 14, 7, 5)).outcomes  # too soon to try again
    assert send_due_digests(at(2026, 1, 14, 7, 15)).outcomes == {("daily", "sent"): 1}
    send_due_digests(at(2026, 1, 14, 7, 30))
    digest.refresh_from_db()
    assert len(mailoutbox) == 1 and digest.status == Status.SENT and digest.attempts == 2


def test_retries_stop_after_the_last_attempt_and_at_the_end_of_the_day(ana, planted, settings):
    opt_in(ana)
    settings.EMAIL_BACKEND = f"{__name__}.RefusingBackend"
    for n in range(10):
        send_due_digests(at(2026, 1, 14, 7, 0) + n * services.RETRY_AFTER)
    assert Digest.objects.get(user=ana).attempts == services.MAX_ATTEMPTS
    send_due_digests(at(2026, 1, 15, 7, 0))  # the next day has a digest of its own
    assert Digest.objects.filter(user=ana).count() == 2


def test_a_digest_whose_process_stopped_mid_send_is_never_sent_again(ana, planted, mailoutbox):
    reminder = opt_in(ana)
    stopped = services.claim(reminder, "daily", datetime.date(2026, 1, 14), at(2026, 1, 14, 7, 0))
    assert stopped is not None and stopped.status == Status.SENDING  # claimed, then the process was killed
    report = send_due_digests(at(2026, 1, 14, 8, 0))
    assert mailoutbox == [] and report.in_doubt == 1
    assert "not sent again" in " ".join(report.lines())
