"""Two workers (or a worker and cron) that look for due digests at the same instant send each digest once."""

import threading
from collections.abc import Callable

import pytest
from django.core.management import call_command
from django.db import connections

from reciprocity.practice.models import Practice
from reciprocity.reminders import services
from reciprocity.reminders.models import Digest, Status
from reciprocity.reminders.tests.conftest import at, opt_in
from tests.builders import make_client, make_session, make_user

WORKERS = 2


def in_thread(work: Callable[[], object]) -> None:
    """Run `work` in a thread of its own, so on a connection of its own, and raise what it raised."""
    errors = []

    def run() -> None:
        try:
            work()
        except Exception as error:
            errors.append(error)
        finally:
            connections.close_all()

    thread = threading.Thread(target=run)
    thread.start()
    thread.join(120)
    assert not errors, errors


@pytest.fixture
def shared_database(tmp_path, transactional_db):
    """The database the workers share: on PostgreSQL the test database; on SQLite a file like a clinic's (WAL,
    busy timeout) instead of the tests' in-memory one, whose shared-cache table locks refuse a second writer
    at once where a file makes it wait. Threads open their connections from these settings."""
    settings_dict = connections["default"].settings_dict
    if connections["default"].vendor != "sqlite":
        yield
        return
    test_database = settings_dict["NAME"]
    settings_dict["NAME"] = str(tmp_path / "workers.sqlite3")
    try:
        in_thread(lambda: call_command("migrate", verbosity=0, interactive=False))
        yield
    finally:
        settings_dict["NAME"] = test_database


def _ana_waiting_for_her_digest() -> None:
    ana = make_user("ana", practice=Practice.objects.create(name="North clinic"), time_zone="Europe/Berlin")
    make_session(make_client(ana, "N-0007"), starts_at=at(2026, 1, 13, 10, 0))
    opt_in(ana)


def _race(monkeypatch, now):
    """Run the job in WORKERS threads, each with its own database connection, claiming at the same moment."""
    arrived = threading.Barrier(WORKERS, timeout=30)
    real_claim = services.claim

    def claim_together(*args, **kwargs):
        arrived.wait()  # every worker has found the digest due and unclaimed; now all claim at once
        return real_claim(*args, **kwargs)

    monkeypatch.setattr(services, "claim", claim_together)
    reports, errors = [], []

    def work():
        try:
            reports.append(services.send_due_digests(now))
        except Exception as error:
            errors.append(error)
        finally:
            connections.close_all()

    threads = [threading.Thread(target=work) for _ in range(WORKERS)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(60)
    assert not errors, errors
    return reports


def test_two_workers_at_the_same_moment_send_one_digest(shared_database, mailoutbox, monkeypatch):
    in_thread(_ana_waiting_for_her_digest)
    reports = _race(monkeypatch, at(2026, 1, 14, 6, 0))
    assert len(mailoutbox) == 1
    assert sorted(sum(r.outcomes.values()) for r in reports) == [0, 1]  # one sent it, the other found it claimed
    in_thread(lambda: _assert_digests([(Status.SENT, 1)]))


def test_two_workers_retrying_a_failed_digest_send_it_once(shared_database, mailoutbox, monkeypatch):
    def refused_at_seven() -> None:
        _ana_waiting_for_her_digest()
        reminder = services.candidates().get()
        digest = services.claim(reminder, "daily", at(2026, 1, 14, 6, 0).date(), at(2026, 1, 14, 6, 0))
        Digest.objects.filter(pk=digest.pk).update(status=Status.FAILED)  # the mail server refused it

    in_thread(refused_at_seven)
    _race(monkeypatch, at(2026, 1, 14, 6, 0) + services.RETRY_AFTER)
    assert len(mailoutbox) == 1
    in_thread(lambda: _assert_digests([(Status.SENT, 2)]))


def _assert_digests(expected: list[tuple[str, int]]) -> None:
    assert list(Digest.objects.values_list("status", "attempts")) == expected
