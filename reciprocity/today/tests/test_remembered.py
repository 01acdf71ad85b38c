"""What Today remembers between two writes is what it would read afresh, and a warm Today reads no session rows."""

import datetime
import random

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from reciprocity.clients.services import update_client
from reciprocity.insights import figures
from reciprocity.insights.services import respond_to_alert
from reciprocity.measures import registry
from reciprocity.measures.services import record_administration
from reciprocity.therapy.models import Reflection, Session, Technique
from reciprocity.therapy.services import record_session, update_session, write_reflection
from reciprocity.today import services
from tests.builders import make_client, make_user

RATINGS = dict.fromkeys(("empathy", "communication", "reflection", "fulfillment", "resilience",
                         "destigmatizing", "boundaries"), 2)  # fmt: skip


def seen(read: services.TodayRead) -> tuple:
    """Everything of the read that Today shows or works out from."""

    def rows(sessions: list[Session]) -> list[tuple]:
        return [
            (s.pk, s.client.code, s.starts_at, s.duration_minutes, s.format, s.mode, s.has_reflection,
             sorted(t.name for t in s.techniques.all()))
            for s in sessions
        ]  # fmt: skip

    o = read.overview
    return rows(o.today), rows(o.waiting), o.reflected_count, read.latest_checkins, read.answered


def _answers(rng: random.Random) -> dict[str, int]:
    return {item.id: rng.randint(0, 5) for item in registry.get("who5").items}


def _step(therapist, clients, techniques, rng: random.Random) -> str:
    now = timezone.now()
    sessions = list(Session.objects.filter(client__therapist=therapist))
    kind = rng.choice(["session", "session", "move", "delete session", "reflect", "delete reflection", "techniques",
                       "rename technique", "client code", "checkin", "answer alert"])  # fmt: skip
    if kind == "session" or not sessions:
        start = now + datetime.timedelta(hours=rng.choice([-200, -100, -30, -3, -1, 2, 30]))
        record_session(therapist=therapist, client=rng.choice(clients), starts_at=start,
                       techniques=rng.sample(techniques, rng.randint(0, 2)))  # fmt: skip
        return "session"
    session = rng.choice(sessions)
    if kind == "move":
        if not Reflection.objects.filter(session=session).exists():
            update_session(session, starts_at=now - datetime.timedelta(hours=rng.choice([5, 50, 150])))
    elif kind == "delete session":
        session.delete()
    elif kind == "reflect":
        if session.starts_at < now and not Reflection.objects.filter(session=session).exists():
            write_reflection(author=therapist, session=session, ratings=RATINGS)
    elif kind == "delete reflection":
        Reflection.objects.filter(session=session).delete()
    elif kind == "techniques":
        update_session(session, techniques=rng.sample(techniques, rng.randint(0, 2)))
    elif kind == "rename technique":
        technique = rng.choice(techniques)
        technique.name = f"{technique.name.split(' ')[0]} {rng.randint(1, 999)}"
        technique.save()
    elif kind == "client code":
        client = rng.choice(clients)
        update_client(client, code=f"C-{rng.randint(1000, 9999)}", started_on=client.started_on)
    elif kind == "checkin":
        record_administration(therapist=therapist, instrument=registry.get("who5"), answers=_answers(rng),
                              completed_at=now - datetime.timedelta(days=rng.randint(0, 40)))  # fmt: skip
    elif kind == "answer alert":
        respond_to_alert(therapist, f"some-alert-{rng.randint(1, 5)}", "dismiss")
    return kind


@pytest.mark.django_db
def test_what_today_remembers_equals_a_fresh_read_after_random_writes(monkeypatch):
    rng = random.Random(11)  # noqa: S311 - a reproducible sequence of writes
    therapist = make_user("ana", time_zone="America/Los_Angeles")
    clients = [make_client(therapist) for _ in range(2)]
    techniques = list(Technique.objects.filter(therapist=therapist, name__in=["CBT", "ACT", "EMDR"]))
    reads = []
    real = services.read_today
    monkeypatch.setattr(services, "read_today", lambda *args: reads.append(1) or real(*args))
    done, hits, shown = [], 0, 0
    for _ in range(60):
        done.append(_step(therapist, clients, techniques, rng))
        now = timezone.localtime(timezone.now(), therapist.zone)
        token = figures.version(therapist.pk)
        services.remembered_today(therapist, now, token)  # read, and remembered
        before = len(reads)
        remembered = services.remembered_today(therapist, now, token)
        hits += len(reads) == before
        assert seen(remembered) == seen(real(therapist, now)), f"after {done}"
        shown += bool(remembered.overview.today or remembered.overview.waiting)
    assert hits == 60  # the second read of each step found the first one's
    assert shown > 30  # the reads compared had sessions in them
    assert {"session", "move", "reflect", "techniques", "rename technique", "client code", "answer alert"} <= set(done)


@pytest.mark.django_db
def test_a_warm_today_reads_no_session_rows_but_always_reads_risk_flags(client):
    ana = make_user("ana")
    session = record_session(therapist=ana, client=make_client(ana, "C-0042"),
                             starts_at=timezone.now() - datetime.timedelta(hours=3))  # fmt: skip
    client.force_login(ana)
    client.get("/")
    with CaptureQueriesContext(connection) as warm:
        page = client.get("/").content.decode()
    assert "C-0042" in page and f"/reflections/new/?session={session.pk}" in page
    tables = " ".join(q["sql"] for q in warm.captured_queries)
    assert "therapy_session" not in tables and "measures_administration" in tables
    assert len(warm.captured_queries) <= 6, [q["sql"][:80] for q in warm.captured_queries]
