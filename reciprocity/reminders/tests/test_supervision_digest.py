"""A supervisor's digest counts what was newly shared with them and the comments on it, each in one digest."""

import datetime

import pytest
from django.utils import timezone

from reciprocity.practice.models import Role
from reciprocity.reminders import services
from reciprocity.reminders.models import Digest, Status
from reciprocity.reminders.services import send_due_digests
from reciprocity.reminders.tests.conftest import at, opt_in
from reciprocity.sharing import services as sharing
from reciprocity.sharing.models import Share
from tests.builders import make_reflection, make_session, make_user

WORDS = "Quokka-semaphore-teacup"


@pytest.fixture
def sol(north):
    return make_user("sol", practice=north, role=Role.SUPERVISOR, time_zone="UTC")


@pytest.fixture
def supervision(ana, sol):
    return sharing.accept(sharing.invite(ana, sol), sol)


def _share(supervision, ana_client, when: datetime.datetime, monkeypatch):
    monkeypatch.setattr(timezone, "now", lambda: when)
    reflection = make_reflection(make_session(ana_client, starts_at=when), gave_me=WORDS)
    share = sharing.share_reflection(supervision, reflection, by=supervision.therapist, text=WORDS)
    Share.objects.filter(pk=share.pk).update(shared_at=when)  # its default was bound before the clock was set
    return share


def _comment(share, by, when: datetime.datetime, monkeypatch):
    monkeypatch.setattr(timezone, "now", lambda: when)
    return sharing.comment(share, by=by, text=WORDS)


def _opt_in_supervisor(sol, since: datetime.datetime):
    return opt_in(sol, wants_daily=False, wants_supervision=True, supervision_since=since)


def test_new_shares_and_comments_are_counted_once(ana, sol, ana_client, supervision, mailoutbox, monkeypatch):
    _opt_in_supervisor(sol, at(2026, 1, 1, 0, 0))
    share = _share(supervision, ana_client, at(2026, 1, 13, 15, 0), monkeypatch)
    _comment(share, ana, at(2026, 1, 13, 16, 0), monkeypatch)
    _comment(share, sol, at(2026, 1, 13, 17, 0), monkeypatch)  # his own comment is no news to him

    send_due_digests(at(2026, 1, 14, 7, 0))
    [first] = mailoutbox
    assert "1 item newly shared with you" in first.body and "1 new comment" in first.body
    assert WORDS not in first.body and "N-0007" not in first.body

    send_due_digests(at(2026, 1, 15, 7, 0))  # nothing new since: no e-mail
    assert len(mailoutbox) == 1
    assert Digest.objects.get(user=sol, local_date=datetime.date(2026, 1, 15)).status == Status.EMPTY

    _comment(share, ana, at(2026, 1, 15, 12, 0), monkeypatch)
    send_due_digests(at(2026, 1, 16, 7, 0))
    assert len(mailoutbox) == 2
    assert "1 new comment" in mailoutbox[1].body and "newly shared" not in mailoutbox[1].body  # no line for a zero
    assert Digest.objects.get(user=sol, local_date=datetime.date(2026, 1, 16)).counts == {"shares": 0, "comments": 1}


def test_what_came_before_the_digest_was_turned_on_is_not_news(ana, sol, ana_client, supervision, mailoutbox,
                                                               monkeypatch):  # fmt: skip
    _share(supervision, ana_client, at(2026, 1, 10, 9, 0), monkeypatch)
    _opt_in_supervisor(sol, at(2026, 1, 12, 0, 0))
    send_due_digests(at(2026, 1, 14, 7, 0))
    assert mailoutbox == []


def test_a_failed_digest_leaves_its_news_for_the_next_one(ana, sol, ana_client, supervision, mailoutbox,
                                                          monkeypatch, settings):  # fmt: skip
    _opt_in_supervisor(sol, at(2026, 1, 1, 0, 0))
    _share(supervision, ana_client, at(2026, 1, 13, 15, 0), monkeypatch)
    settings.EMAIL_BACKEND = "reciprocity.reminders.tests.test_daily_digest.RefusingBackend"
    for n in range(services.MAX_ATTEMPTS + 1):
        send_due_digests(at(2026, 1, 14, 7, 0) + n * services.RETRY_AFTER)
    settings.EMAIL_BACKEND = "django.core.mail.backends.locmem.EmailBackend"
    send_due_digests(at(2026, 1, 15, 7, 0))
    assert len(mailoutbox) == 1 and "1 item newly shared with you" in mailoutbox[0].body


def test_a_revoked_share_is_not_counted(ana, sol, ana_client, supervision, mailoutbox, monkeypatch):
    _opt_in_supervisor(sol, at(2026, 1, 1, 0, 0))
    share = _share(supervision, ana_client, at(2026, 1, 13, 15, 0), monkeypatch)
    sharing.revoke(share, by=ana)
    send_due_digests(at(2026, 1, 14, 7, 0))
    assert mailoutbox == []
