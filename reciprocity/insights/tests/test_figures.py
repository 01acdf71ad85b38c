"""The flywheel's figures are kept on write: after any sequence of writes they equal a rebuild from the rows."""

import datetime
import random
import threading
import time
from dataclasses import replace

import pandas as pd
import pytest
from django.core.management import CommandError, call_command
from django.db import connection, connections, transaction
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from reciprocity.clients.models import Client
from reciprocity.clients.services import update_client
from reciprocity.insights import figures
from reciprocity.insights.models import CourseFigures, WeekFigures
from reciprocity.measures import registry
from reciprocity.measures.models import Administration
from reciprocity.measures.services import acknowledge_flags, record_administration
from reciprocity.practice.erasure import erase_account
from reciprocity.therapy.dimensions import KEYS
from reciprocity.therapy.models import Occasion, Reflection, Session
from reciprocity.therapy.services import record_session, update_reflection, update_session, write_reflection
from tests.builders import make_client, make_user

NOW = timezone.now()


def _when(rng: random.Random) -> datetime.datetime:
    """A moment in the last 20 weeks, often near an edge of a week or right after another session."""
    return NOW - datetime.timedelta(days=rng.uniform(1, 140), minutes=rng.choice([0, 0, 5, 60]))


def _ratings(rng: random.Random) -> dict[str, int]:
    return {key: rng.randint(0, 4) for key in KEYS}


def _answers(instrument_id: str, rng: random.Random) -> dict[str, int]:
    instrument = registry.get(instrument_id)
    return {item.id: rng.choice([o.value for o in instrument.options(item)]) for item in instrument.items}


def _step(therapist, clients: list[Client], rng: random.Random) -> str:
    sessions = list(Session.objects.filter(client__therapist=therapist))
    reflections = list(Reflection.objects.filter(author=therapist))
    scores = list(Administration.objects.filter(therapist=therapist))
    kind = rng.choice(["session"] * 4 + ["move", "edit", "delete session", "reflect", "reflect"] + [
        "free reflection", "edit reflection", "delete reflection", "checkin", "score", "score", "delete score",
        "move score", "end client", "delete client", "time zone"])  # fmt: skip
    if kind == "session" or (not sessions and kind in {"move", "edit", "delete session", "reflect"}):
        client = rng.choice([c for c in clients if Client.objects.filter(pk=c.pk).exists()] or [clients[0]])
        if not Client.objects.filter(pk=client.pk).exists():
            client = make_client(therapist)
            clients.append(client)
        start = _when(rng)
        if rng.random() < 0.2:  # late on a Sunday or just after midnight, on the therapist's wall clock
            local = timezone.localtime(NOW - datetime.timedelta(weeks=rng.choice([3, 5])), therapist.zone)
            sunday = local.date() + datetime.timedelta(days=6 - local.weekday())
            midnight = datetime.datetime.combine(sunday, datetime.time(23, 0), tzinfo=therapist.zone)
            start = midnight + datetime.timedelta(minutes=rng.choice([0, 65, 70]))
        if sessions and rng.random() < 0.3:  # right after another one: back to back
            other = rng.choice(sessions)
            start = other.starts_at + datetime.timedelta(minutes=other.duration_minutes + rng.choice([5, 10, 30]))
        record_session(therapist=therapist, client=client, starts_at=start, duration_minutes=rng.choice([50, 60]),
                       emotional_load=rng.choice([None, 3, 7]), worked_with_trauma=rng.random() < 0.3,
                       arrival_calm=rng.choice([None, 2, 8]))  # fmt: skip
        return "session"
    if kind == "move":
        update_session(rng.choice(sessions), starts_at=_when(rng))
    elif kind == "edit":
        update_session(rng.choice(sessions), duration_minutes=90, emotional_load=rng.randint(0, 10))
    elif kind == "delete session":
        rng.choice(sessions).delete()
    elif kind == "reflect":
        open_ = [s for s in sessions if not Reflection.objects.filter(session=s).exists()]
        if open_:
            write_reflection(author=therapist, session=rng.choice(open_), ratings=_ratings(rng))
    elif kind == "free reflection":
        write_reflection(author=therapist, ratings=_ratings(rng), occasion=rng.choice([Occasion.SUPERVISION,
                         Occasion.OTHER]), occurred_at=_when(rng))  # fmt: skip
    elif kind == "edit reflection" and reflections:
        update_reflection(rng.choice(reflections), ratings=_ratings(rng), occurred_at=_when(rng))
    elif kind == "delete reflection" and reflections:
        rng.choice(reflections).delete()
    elif kind == "checkin":
        instrument = rng.choice(["who5", "proqol5"])
        record_administration(therapist=therapist, instrument=registry.get(instrument),
                              answers=_answers(instrument, rng), completed_at=_when(rng))  # fmt: skip
    elif kind == "score":
        living = [c for c in clients if Client.objects.filter(pk=c.pk).exists()]
        if living:
            record_administration(therapist=therapist, instrument=registry.get("phq9"), client=rng.choice(living),
                                  answers=_answers("phq9", rng), completed_at=_when(rng))  # fmt: skip
    elif kind == "delete score" and scores:
        rng.choice(scores).delete()
    elif kind == "move score" and scores:
        score = rng.choice(scores)
        score.completed_at = _when(rng)
        score.save()
    elif kind == "end client" and (living := [c for c in clients if Client.objects.filter(pk=c.pk).exists()]):
        client = Client.objects.get(pk=rng.choice(living).pk)
        update_client(client, code=client.code, started_on=client.started_on, ended_on=NOW.date())
    elif kind == "delete client" and len(clients) > 1:
        Client.objects.filter(pk=rng.choice(clients).pk).delete()
    elif kind == "time zone":
        therapist.time_zone = rng.choice(["Europe/Lisbon", "America/Los_Angeles", "Asia/Kolkata"])
        therapist.save()
    return kind


@pytest.mark.django_db
@pytest.mark.parametrize("seed", [1, 2])
def test_figures_kept_on_write_equal_a_rebuild_after_random_writes(seed):
    rng = random.Random(seed)  # noqa: S311 - a reproducible sequence of writes
    therapist = make_user(f"ana{seed}", time_zone="Europe/Berlin")
    other = make_user(f"ben{seed}")
    record_session(therapist=other, client=make_client(other), starts_at=_when(rng))
    clients = [make_client(therapist) for _ in range(3)]
    done, weeks, courses = [], 0, 0
    for _ in range(100):
        done.append(_step(therapist, clients, rng))
        courses = max(courses, CourseFigures.objects.filter(therapist=therapist).count())
        weeks = max(weeks, WeekFigures.objects.filter(therapist=therapist).count())
        # Checked after every write: a later write to the same week (or a rebuild) would hide a miss.
        assert not figures.differs(therapist.pk), f"after {done}"
    assert {"move", "delete session", "reflect", "score", "delete score", "time zone"} <= set(done)
    assert weeks > 5 and courses > 0 and WeekFigures.objects.filter(therapist=therapist).exists()
    kept = figures.snapshot(therapist.pk)
    figures.rebuild(therapist.pk)
    assert figures.snapshot(therapist.pk) == kept
    # Another therapist's figures were never touched by any of it.
    assert WeekFigures.objects.filter(therapist=other).count() == 1


@pytest.mark.django_db
def test_what_is_remembered_of_the_figures_equals_a_fresh_read_after_random_writes(monkeypatch):
    from reciprocity.insights import services

    rng = random.Random(3)  # noqa: S311 - a reproducible sequence of writes
    therapist = make_user("ana", time_zone="Europe/Berlin")
    clients = [make_client(therapist) for _ in range(3)]
    reads = []
    real = services.read_figures
    monkeypatch.setattr(services, "read_figures", lambda *args: reads.append(1) or real(*args))
    done, hits, with_courses = [], 0, 0
    for _ in range(80):
        done.append(_step(therapist, clients, rng))
        therapist.refresh_from_db()
        now = timezone.localtime(NOW, therapist.zone)
        services.remembered_figures(therapist.pk, now, 20)  # read, or found, and remembered
        before = len(reads)
        remembered = services.remembered_figures(therapist.pk, now, 20)
        hits += len(reads) == before
        fresh = real(therapist.pk, now, 20, services.practice_references(therapist.pk)[1])
        pd.testing.assert_frame_equal(remembered.weekly, fresh.weekly)
        assert replace(remembered, weekly=None) == replace(fresh, weekly=None), f"after {done}"
        with_courses += bool(remembered.courses and remembered.session_days)
    assert hits == 80  # the second read of each step found the first one's
    assert with_courses > 10  # the reads compared had something in them
    assert {"session", "move", "delete session", "reflect", "score", "delete score", "end client"} <= set(done)


@pytest.mark.django_db
def test_a_change_to_a_client_shows_at_once_in_what_is_remembered(ana):
    from reciprocity.insights.services import therapist_flywheel

    client = make_client(ana, code="C-0001")
    rng, phq9 = random.Random(4), registry.get("phq9")  # noqa: S311 - reproducible answers
    for days in (30, 10):
        when, answers = NOW - datetime.timedelta(days=days), _answers("phq9", rng)
        record_administration(therapist=ana, instrument=phq9, client=client, answers=answers, completed_at=when)
    assert [(c.code, c.ended) for c in therapist_flywheel(ana, analyse=False).courses] == [("C-0001", False)]
    update_client(client, code="C-0002", started_on=client.started_on, ended_on=NOW.date())  # no score changes
    assert [(c.code, c.ended) for c in therapist_flywheel(ana, analyse=False).courses] == [("C-0002", True)]
    client.delete()
    assert therapist_flywheel(ana, analyse=False).courses == []


@pytest.mark.django_db
def test_a_missed_write_is_found_by_the_check_and_mended_by_the_rebuild(ana, capsys):
    session = record_session(therapist=ana, client=make_client(ana), starts_at=NOW - datetime.timedelta(days=3))
    week = WeekFigures.objects.get(therapist=ana)
    assert (week.sessions, week.hours) == (1, pytest.approx(50 / 60))
    Session.objects.filter(pk=session.pk).update(duration_minutes=120)  # a bulk update sends no signal
    assert figures.differs(ana.pk)
    with pytest.raises(CommandError, match="figures of ana differ"):
        call_command("figures", "--check")
    call_command("figures", "--rebuild", "--user", "ana")
    assert WeekFigures.objects.get(therapist=ana).hours == pytest.approx(2.0)
    call_command("figures", "--check")
    assert "agree with their rows" in capsys.readouterr().out
    with pytest.raises(CommandError, match="no user called 'nobody'"):
        call_command("figures", "--rebuild", "--user", "nobody")


@pytest.mark.django_db
def test_a_write_refreshes_only_its_weeks_in_its_own_transaction(ana):
    client = make_client(ana)
    for days in (40, 30, 20):
        record_session(therapist=ana, client=client, starts_at=NOW - datetime.timedelta(days=days))
    session = Session.objects.filter(client=client).order_by("starts_at").last()
    with CaptureQueriesContext(connection) as queries:
        write_reflection(author=ana, session=session, ratings=dict.fromkeys(KEYS, 3))
    writes = [q["sql"] for q in queries if "insights_weekfigures" in q["sql"] and not q["sql"].startswith("SELECT")]
    assert len(writes) == 1  # the one week of the session and the reflection, nothing else
    week = WeekFigures.objects.get(therapist=ana, week=figures.monday(session.starts_at, ana.zone))
    assert (week.reflected_share, week.reciprocity, week.dimensions[KEYS[0]]) == (1.0, 3.0, 3.0)


def _tables_read(queries: CaptureQueriesContext) -> set[str]:
    return {q["sql"].split(" FROM ")[1].split()[0].strip('"') for q in queries if q["sql"].startswith("SELECT")}


@pytest.mark.django_db
def test_a_new_session_or_reflection_reads_again_only_its_own_kind_of_row(ana):
    client = make_client(ana)
    start = NOW - datetime.timedelta(days=9)
    rng = random.Random(1)  # noqa: S311 - reproducible answers
    record_administration(therapist=ana, instrument=registry.get("who5"), answers=_answers("who5", rng),
                          completed_at=start + datetime.timedelta(hours=3))  # fmt: skip
    with CaptureQueriesContext(connection) as saving_a_session:
        session = record_session(therapist=ana, client=client, starts_at=start)
    with CaptureQueriesContext(connection) as saving_a_reflection:
        write_reflection(author=ana, session=session, ratings=dict.fromkeys(KEYS, 2))
    assert _tables_read(saving_a_session) & {"therapy_reflection", "measures_administration"} == set()
    assert "measures_administration" not in _tables_read(saving_a_reflection)
    assert "insights_coursefigures" not in _tables_read(saving_a_session) | _tables_read(saving_a_reflection)
    # The week's check-in, written before, is still in its row: only the new kinds' columns were written.
    week = WeekFigures.objects.get(therapist=ana, week=figures.monday(start, ana.zone))
    assert week.checkins and (week.sessions, week.reflections, week.reflected_share) == (1, 1, 1.0)
    assert not figures.differs(ana.pk)


@pytest.mark.django_db
def test_a_score_moved_to_another_week_refreshes_both_weeks_at_once(ana):
    client, rng = make_client(ana), random.Random(2)  # noqa: S311 - reproducible answers
    for weeks in (3, 2):
        when = NOW - datetime.timedelta(weeks=weeks)
        phq9 = registry.get("phq9")
        record_administration(
            therapist=ana, instrument=phq9, client=client, answers=_answers("phq9", rng), completed_at=when
        )
    score = Administration.objects.order_by("completed_at").last()
    score.completed_at = NOW - datetime.timedelta(weeks=6)
    with CaptureQueriesContext(connection) as queries:
        score.save()
    writes = [q["sql"].split()[:3] for q in queries if q["sql"].startswith(("INSERT", "UPDATE", "DELETE"))]
    written = [(verb, words[0] if verb == "UPDATE" else words[1]) for verb, *words in writes]
    # One refresh for both weeks: one upsert of the weeks (and a delete of the week the score left). The token
    # is written twice: the lock taken before the old row is read, and the refresh's own.
    assert written.count(("INSERT", '"insights_figuresversion"')) == 2
    assert written.count(("INSERT", '"insights_weekfigures"')) == 1
    assert not figures.differs(ana.pk)


def test_each_column_of_a_week_comes_from_one_kind_of_row():
    """Leaving one kind of row out of a week changes only that kind's columns (what a new row's refresh writes)."""
    columns = [field for kind in figures.ALL_KINDS for field in figures.KIND_FIELDS[kind]]
    assert sorted(columns) == sorted(figures.FIGURE_FIELDS)
    monday = datetime.datetime(2026, 11, 2, 9, tzinfo=datetime.UTC)
    rows = {
        "sessions": [figures.SessionRow(monday, 50, True, 7, 3, 6, reflected=True),
                     figures.SessionRow(monday + datetime.timedelta(minutes=55), 60, False, 4, 5, 5, reflected=False)],
        "reflections": [figures.ReflectionRow(Occasion.SUPERVISION, (3, 4, 2, 4, 1, 3, 2))],
        "checkins": [("who5.wellbeing", 12.0)],
        "improvements": [0.8],
    }  # fmt: skip
    whole = figures.summarise_week(rows["sessions"], None, rows["reflections"], rows["checkins"],
                                   rows["improvements"], datetime.UTC)  # fmt: skip
    for kind in figures.ALL_KINDS:
        without = {k: [] if k == kind else found for k, found in rows.items()}
        partial = figures.summarise_week(without["sessions"], None, without["reflections"], without["checkins"],
                                         without["improvements"], datetime.UTC)  # fmt: skip
        changed = {column for column in figures.FIGURE_FIELDS if partial[column] != whole[column]}
        assert changed == set(figures.KIND_FIELDS[kind]), kind


@pytest.mark.django_db
def test_erasing_a_therapist_takes_their_figures_and_recomputes_nothing(ana, ben):
    record_session(therapist=ana, client=make_client(ana), starts_at=NOW - datetime.timedelta(days=3))
    record_session(therapist=ben, client=make_client(ben), starts_at=NOW - datetime.timedelta(days=3))
    erase_account(ana)
    assert not WeekFigures.objects.filter(therapist_id=ana.pk).exists()
    assert WeekFigures.objects.filter(therapist=ben).count() == 1


@pytest.mark.django_db
def test_what_was_remembered_of_an_erased_account_leaves_the_cache_within_the_hour(ana, monkeypatch):
    from django.core.cache import cache
    from django.core.cache.backends import locmem

    from reciprocity.insights import services

    record_session(therapist=ana, client=make_client(ana), starts_at=NOW - datetime.timedelta(days=3))
    token, now = figures.version(ana.pk), timezone.localtime(NOW, ana.zone)
    services.remembered_figures(ana.pk, now, 20, token)
    kept = [key for key in cache._cache if f":{ana.pk}:{token}:" in key]  # locmem's own store, by its keys
    assert kept
    erase_account(ana)
    assert all(key in cache._cache for key in kept)  # unreachable (its token went with her), still in memory
    real = locmem.time.time
    monkeypatch.setattr(locmem, "time", type("Clock", (), {"time": staticmethod(lambda: real() + 3601)}))
    assert all(not cache.has_key(key.split(":", 2)[2]) for key in kept)  # expired, and taken out on reading


@pytest.mark.django_db
def test_the_team_figures_are_remembered_until_a_colleagues_figures_change(ana, ben):
    from reciprocity.insights import selectors, services

    today = timezone.localdate()
    for therapist in (ana, ben):
        session = record_session(
            therapist=therapist, client=make_client(therapist), starts_at=NOW - datetime.timedelta(weeks=2)
        )
        write_reflection(author=therapist, session=session, ratings=dict.fromkeys(KEYS, 2))
    first = services.team_recent([ana.pk, ben.pk], today, 4)
    pd.testing.assert_frame_equal(first, selectors.team_recent([ana.pk, ben.pk], today, 4))
    session = record_session(therapist=ben, client=make_client(ben), starts_at=NOW - datetime.timedelta(weeks=3))
    write_reflection(author=ben, session=session, ratings=dict.fromkeys(KEYS, 4))  # a past week of a colleague's
    again = services.team_recent([ben.pk, ana.pk], today, 4)
    pd.testing.assert_frame_equal(again, selectors.team_recent([ana.pk, ben.pk], today, 4))
    assert (
        again.loc[again["therapist"] == ben.pk, "reciprocity"].item()
        > first.loc[first["therapist"] == ben.pk, "reciprocity"].item()
    )


@pytest.mark.django_db
def test_migrate_fills_the_figures_of_a_database_made_before_them(ana):
    record_session(therapist=ana, client=make_client(ana), starts_at=NOW - datetime.timedelta(days=3))
    WeekFigures.objects.all().delete()
    figures.fill_missing()
    assert WeekFigures.objects.filter(therapist=ana).count() == 1


@pytest.mark.django_db
def test_the_analysis_is_remembered_until_a_past_week_changes(ana, monkeypatch):
    from django.core.cache import cache

    from reciprocity.insights import services

    cache.clear()
    calls = []
    real = services.analysis
    monkeypatch.setattr(services, "analysis", lambda complete: calls.append(1) or real(complete))
    client = make_client(ana)
    past = [record_session(therapist=ana, client=client, starts_at=NOW - datetime.timedelta(weeks=w)) for w in (3, 5)]
    first = services.therapist_flywheel(ana)
    again = services.therapist_flywheel(ana)
    assert len(calls) == 1 and [v.sentence for v in again.links] == [v.sentence for v in first.links]
    record_session(therapist=ana, client=client, starts_at=timezone.localtime(NOW, ana.zone))  # the current week
    services.therapist_flywheel(ana)
    assert len(calls) == 1  # the analysis leaves the current week out
    update_session(past[0], duration_minutes=120)
    services.therapist_flywheel(ana)
    assert len(calls) == 2


@pytest.mark.django_db
def test_the_team_figures_weigh_each_reflection_and_session_once(ana, ben):
    from reciprocity.insights.selectors import team_recent

    today = timezone.localdate(NOW, ana.zone)
    monday = today - datetime.timedelta(days=today.weekday())
    one_week_back = timezone.make_aware(
        datetime.datetime.combine(monday - datetime.timedelta(days=5), datetime.time(10))
    )
    three_weeks_back = one_week_back - datetime.timedelta(weeks=2)
    client = make_client(ana)
    # Week A: three sessions, one with trauma material, reflected 4, 4, 4; week B: one session reflected 1.
    for hour, trauma in ((0, True), (2, False), (4, False)):
        s = record_session(therapist=ana, client=client, starts_at=one_week_back + datetime.timedelta(hours=hour),
                           worked_with_trauma=trauma)  # fmt: skip
        write_reflection(author=ana, session=s, ratings=dict.fromkeys(KEYS, 4))
    s = record_session(therapist=ana, client=client, starts_at=three_weeks_back, worked_with_trauma=True)
    write_reflection(author=ana, session=s, ratings=dict.fromkeys(KEYS, 1))
    record_session(therapist=ana, client=client, starts_at=timezone.now() - datetime.timedelta(minutes=5))  # this week
    frame = team_recent([ana.pk, ben.pk], today).set_index("therapist")
    assert frame.at[ana.pk, "reciprocity"] == pytest.approx((4 * 3 + 1) / 4)  # not the mean of weekly means (2.5)
    assert (frame.at[ana.pk, "sessions"], frame.at[ana.pk, "trauma_share"]) == (4, pytest.approx(2 / 4))
    assert frame.at[ana.pk, "hours"] == pytest.approx(4 * 50 / 60)
    assert frame.at[ben.pk, "sessions"] == 0 and pd.isna(frame.at[ben.pk, "reciprocity"])


def _waiting_on_a_lock() -> bool:
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT count(*) FROM pg_stat_activity WHERE wait_event_type = 'Lock' AND datname = current_database()"
        )
        return cursor.fetchone()[0] > 0


def _run_overlapping(first, second, first_may_commit: threading.Event) -> None:
    """Run two writes in threads of their own (connections of their own): the first holds its transaction open
    until the second waits on a lock, or 20 s have passed."""
    errors: list[Exception] = []

    def in_thread(work) -> threading.Thread:
        def run() -> None:
            try:
                work()
            except Exception as error:  # reported below
                errors.append(error)
            finally:
                connections.close_all()

        thread = threading.Thread(target=run)
        thread.start()
        return thread

    threads = [in_thread(first), in_thread(second)]
    deadline = time.monotonic() + 20
    while not _waiting_on_a_lock() and time.monotonic() < deadline:  # the second write is inside its transaction
        time.sleep(0.02)
    first_may_commit.set()
    for thread in threads:
        thread.join(60)
    assert not errors, errors


@pytest.mark.django_db(transaction=True)
def test_two_sessions_saved_at_once_in_one_week_are_both_counted():
    """The second save waits for the first to commit before it reads the week, so neither count is lost."""
    if connection.vendor != "postgresql":
        pytest.skip("SQLite runs one write transaction at a time: two saves cannot overlap")
    ana = make_user("ana", time_zone="Europe/Berlin")
    client = make_client(ana)
    last_monday = figures.monday(NOW - datetime.timedelta(weeks=1), ana.zone)
    start = datetime.datetime.combine(last_monday, datetime.time(10), tzinfo=ana.zone)  # both on one Monday
    first_saved, first_may_commit = threading.Event(), threading.Event()

    def first() -> None:
        with transaction.atomic():
            record_session(therapist=ana, client=client, starts_at=start)
            first_saved.set()
            first_may_commit.wait(30)

    def second() -> None:
        first_saved.wait(30)
        record_session(therapist=ana, client=client, starts_at=start + datetime.timedelta(hours=2))

    _run_overlapping(first, second, first_may_commit)
    week = WeekFigures.objects.get(therapist=ana, week=figures.monday(start, ana.zone))
    assert week.sessions == 2 and not figures.differs(ana.pk)


@pytest.mark.django_db(transaction=True)
def test_two_tabs_moving_one_session_at_once_leave_no_week_counting_it():
    """The second edit reads where the session was after the first one committed: the week the first edit moved
    it to is refreshed when the second moves it on, not left counting a session that is no longer there."""
    if connection.vendor != "postgresql":
        pytest.skip("SQLite runs one write transaction at a time: two edits cannot overlap")
    ana = make_user("ana", time_zone="Europe/Berlin")
    session = record_session(therapist=ana, client=make_client(ana), starts_at=NOW - datetime.timedelta(weeks=9))
    moved_to = {"first": NOW - datetime.timedelta(weeks=5), "second": NOW - datetime.timedelta(weeks=2)}
    tabs = {tab: Session.objects.select_related("client").get(pk=session.pk) for tab in moved_to}  # both opened
    first_saved, first_may_commit = threading.Event(), threading.Event()

    def first() -> None:
        with transaction.atomic():
            update_session(tabs["first"], starts_at=moved_to["first"])
            first_saved.set()
            first_may_commit.wait(30)

    def second() -> None:
        first_saved.wait(30)
        update_session(tabs["second"], starts_at=moved_to["second"])

    _run_overlapping(first, second, first_may_commit)
    assert Session.objects.get(pk=session.pk).starts_at == moved_to["second"]
    weeks = dict(WeekFigures.objects.filter(therapist=ana).values_list("week", "sessions"))
    assert weeks.get(figures.monday(moved_to["first"], ana.zone)) is None  # no session there any more
    assert not figures.differs(ana.pk)


@pytest.mark.django_db(transaction=True)  # no test transaction around it: the save runs as a page's would
def test_a_save_outside_a_transaction_refreshes_all_or_nothing(monkeypatch):
    """A score saved outside any transaction (a management shell, a script) is refreshed in one of its own."""
    ana = make_user("ana")
    score = record_administration(therapist=ana, instrument=registry.get("phq9"), client=make_client(ana),
                                  answers=_answers("phq9", random.Random(5)), completed_at=NOW)  # noqa: S311 # fmt: skip
    token = figures.version(ana.pk)

    def failing(*_args, **_kwargs):
        raise RuntimeError("the week could not be computed")

    monkeypatch.setattr(figures, "_weeks", failing)
    score.completed_at = NOW - datetime.timedelta(days=1)
    with pytest.raises(RuntimeError):
        score.save(update_fields=["completed_at"])
    assert not connection.in_atomic_block
    assert figures.version(ana.pk) == token  # the token it took first was rolled back with the rest


@pytest.mark.django_db
def test_acknowledging_a_risk_flag_reads_and_writes_no_figures(ana):
    answers = dict.fromkeys((item.id for item in registry.get("phq9").items), 0) | {"9": 2}
    score = record_administration(therapist=ana, instrument=registry.get("phq9"), client=make_client(ana),
                                  answers=answers, completed_at=NOW)  # fmt: skip
    assert score.flags and figures.version(ana.pk) is not None
    token = figures.version(ana.pk)
    with CaptureQueriesContext(connection) as queries:
        acknowledge_flags(score)
    assert [q["sql"] for q in queries if "insights_" in q["sql"]] == []
    assert figures.version(ana.pk) == token and Administration.objects.get(pk=score.pk).flags_acknowledged_at


@pytest.mark.django_db(transaction=True)
def test_a_tab_deleting_a_session_another_tab_moves_leaves_no_week_counting_it():
    """The delete reads where the session is once the move has committed: the week it was moved to is refreshed
    too, not only the week the deleting tab last saw it in."""
    if connection.vendor != "postgresql":
        pytest.skip("SQLite runs one write transaction at a time: a move and a delete cannot overlap")
    ana = make_user("ana", time_zone="Europe/Berlin")
    session = record_session(therapist=ana, client=make_client(ana), starts_at=NOW - datetime.timedelta(weeks=9))
    stale = Session.objects.get(pk=session.pk)  # the deleting tab's copy, read before the move
    moved_to = NOW - datetime.timedelta(weeks=5)
    first_saved, first_may_commit = threading.Event(), threading.Event()

    def move() -> None:
        with transaction.atomic():
            update_session(Session.objects.select_related("client").get(pk=session.pk), starts_at=moved_to)
            first_saved.set()
            first_may_commit.wait(30)

    def delete() -> None:
        first_saved.wait(30)
        stale.delete()

    _run_overlapping(move, delete, first_may_commit)
    assert not Session.objects.filter(pk=session.pk).exists()
    assert not WeekFigures.objects.filter(therapist=ana, week=figures.monday(moved_to, ana.zone)).exists()
    assert not figures.differs(ana.pk)
