"""Flywheel at practice scale: 200 therapists × 5 years (about a million sessions with reflections and
measures). Reports, each beside its baseline in the same run, on the database in DATABASE_URL (or a new
SQLite file):

- one therapist's flywheel page and Today, server time over 20 requests; baselines: the bare SQL that
  fetches the rows behind the page (sessions, reflections, questionnaires), and the sign-in page;
- the practice view; baseline: one hand-written aggregate SQL query over the same tables;
- peak Python memory of each (tracemalloc); and how the page's cost grows from 1 to 5 years of data.

`--keep DIR` generates into DIR once and reuses it in later runs (which print their figures and write no
section): for trying a change against the same practice.

Run with `make bench` (SQLite, then PostgreSQL) or `python bench/flywheel.py --label SQLite`.
"""

import argparse
import datetime
import os
import random
import statistics
import sys
import tempfile
import time
import tracemalloc
from collections.abc import Callable
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))


def setup_django(data_dir: str) -> None:
    os.environ["RECIPROCITY_DATA_DIR"] = data_dir
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "reciprocity.config.settings")
    import django

    django.setup()
    from django.conf import settings

    settings.ALLOWED_HOSTS = ["testserver"]
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
    settings.STORAGES = {
        **settings.STORAGES,
        "staticfiles": {"BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"},
    }
    from django.core.management import call_command

    call_command("migrate", verbosity=0, interactive=False)


REBUILD_SECONDS: list[float] = []  # per therapist: computing their figures from their rows


def generate(therapists: int, years: int, short: int, seed: int) -> dict[str, int]:
    """Therapists with `years` of weekly clients (`short` of them with one year only), their sessions,
    reflections, client PHQ-9/GAD-7 every fourth session, and their own WHO-5 and ProQOL check-ins."""
    from django.db import transaction
    from django.utils import timezone

    from reciprocity.clients.models import Client
    from reciprocity.demo.measures import answers_for
    from reciprocity.insights import figures
    from reciprocity.measures import registry
    from reciprocity.measures.models import Administration
    from reciprocity.measures.services import scored_administration
    from reciprocity.practice.models import Membership, Practice, Role, User
    from reciprocity.therapy.dimensions import KEYS
    from reciprocity.therapy.models import Reflection, Session

    rng = random.Random(seed)
    now = timezone.now()
    practice = Practice.objects.create(name="Bench practice")
    director = User.objects.create(username="director")
    Membership.objects.create(practice=practice, user=director, role=Role.DIRECTOR)
    phq9, gad7, who5, proqol = (registry.get(i) for i in ("phq9", "gad7", "who5", "proqol5"))
    # Scoring is exercised by the tests; here a pool of scored answer sets is reused to keep generation fast.
    fields = ("instrument_id", "instrument_version", "answers", "total", "band", "scale_scores", "flags")

    def scored(instrument, answers):
        done = scored_administration(
            therapist=director,
            instrument=instrument,
            answers=answers,
            client=None if instrument.is_for("therapist") else Client(therapist=director),
        )
        return {name: getattr(done, name) for name in fields}

    pool = {
        i.id: [
            scored(i, answers_for(i, {i.primary_scale.id: rng.uniform(*i.primary_scale.range)}, rng)) for _ in range(40)
        ]
        for i in (phq9, gad7, who5)
    }
    pool["proqol5"] = [
        scored(
            proqol,
            answers_for(
                proqol,
                {
                    "burnout": rng.uniform(15, 40),
                    "compassion_satisfaction": rng.uniform(25, 45),
                    "secondary_traumatic_stress": rng.uniform(15, 40),
                },
                rng,
            ),
        )
        for _ in range(40)
    ]
    counts = dict.fromkeys(("sessions", "reflections", "administrations"), 0)
    for number in range(therapists):
        span = 52 if number < short else 52 * years
        with transaction.atomic():
            user = User.objects.create(username=f"t{number:03d}", shows_in_practice_view=number % 2 == 0)
            Membership.objects.create(practice=practice, user=user, role=Role.THERAPIST)
            sessions, links = [], []
            client = None
            for week in range(span):
                monday = now - datetime.timedelta(weeks=span - week, days=now.weekday())
                for slot in range(20):
                    if client is None or rng.random() < 0.05:
                        client = Client.objects.create(
                            therapist=user, code=f"B-{number:03d}{len(links):05d}"[:20], started_on=monday.date()
                        )
                        links.append(client)
                    when = monday + datetime.timedelta(days=slot % 5, hours=9 + slot // 5)
                    sessions.append(
                        Session(
                            client=links[rng.randrange(max(0, len(links) - 25), len(links))],
                            starts_at=when,
                            duration_minutes=50,
                            emotional_load=rng.randint(2, 9),
                            worked_with_trauma=rng.random() < 0.3,
                            arrival_calm=rng.randint(3, 9),
                            arrival_tiredness=rng.randint(1, 8),
                        )
                    )
            Session.objects.bulk_create(sessions, batch_size=2000)
            reflections, administrations = [], []
            for index, session in enumerate(sessions):
                if rng.random() < 0.7:
                    reflection = Reflection(
                        author=user,
                        session=session,
                        occasion="session",
                        occurred_at=session.starts_at,
                        gave_me="A session that gave me something to think about.",
                    )
                    reflection.set_ratings({k: rng.randint(0, 4) for k in KEYS})
                    reflections.append(reflection)
                if index % 4 == 0:
                    for instrument in ("phq9", "gad7"):
                        administrations.append(
                            Administration(
                                therapist=user,
                                client=session.client,
                                session=session,
                                completed_at=session.starts_at,
                                source="therapist",
                                **rng.choice(pool[instrument]),
                            )
                        )
                        flagged = administrations[-1]
                        if flagged.flags and now - session.starts_at > datetime.timedelta(days=7):
                            # A risk flag is reviewed and acknowledged, as Today asks; the last week's wait.
                            flagged.flags_acknowledged_at = session.starts_at + datetime.timedelta(days=1)
            for week in range(0, span, 2):
                when = now - datetime.timedelta(weeks=span - week)
                for instrument in ("who5", "proqol5") if week % 4 == 0 else ("who5",):
                    administrations.append(
                        Administration(
                            therapist=user,
                            client=None,
                            completed_at=when,
                            source="self",
                            **rng.choice(pool[instrument]),
                        )
                    )
            Reflection.objects.bulk_create(reflections, batch_size=2000)
            Administration.objects.bulk_create(administrations, batch_size=2000)
            started = time.perf_counter()
            figures.rebuild(user.pk)  # bulk inserts send no signals; the app's importers do the same
            REBUILD_SECONDS.append(time.perf_counter() - started)
        counts["sessions"] += len(sessions)
        counts["reflections"] += len(reflections)
        counts["administrations"] += len(administrations)
    return counts


BARE = "53 weeks of sessions and reflections, all questionnaires"
FLYWHEEL = "/dashboard/flywheel/"


BLOCK = 5  # calls of one row in a row: enough to time it warm, as a therapist's next view of it would be


def timed_together(calls: dict[str, tuple[Callable[[], None], int]]) -> dict[str, tuple[float, float, float]]:
    """Each call's (p50 ms, p95 ms, peak MB of Python allocations during one extra call), timed in turns of
    BLOCK calls, the rows taking turns until each has its rounds: a slow minute of the machine then falls on
    a page and its baseline alike instead of on whichever was being timed then, and each is still timed warm."""
    samples: dict[str, list[float]] = {name: [] for name in calls}
    while any(len(samples[name]) < rounds for name, (_, rounds) in calls.items()):
        for name, (call, rounds) in calls.items():
            for _ in range(min(BLOCK, rounds - len(samples[name]))):
                start = time.perf_counter()
                call()
                samples[name].append((time.perf_counter() - start) * 1000)
    found = {}
    for name, (call, _) in calls.items():
        tracemalloc.start()
        call()
        peak = tracemalloc.get_traced_memory()[1] / 2**20
        tracemalloc.stop()
        ordered = sorted(samples[name])
        found[name] = statistics.median(ordered), ordered[max(0, round(len(ordered) * 0.95) - 1)], peak
    return found


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--label", default="SQLite")
    parser.add_argument("--therapists", type=int, default=200)
    parser.add_argument("--years", type=int, default=5)
    parser.add_argument("--rounds", type=int, default=40)
    parser.add_argument("--keep", type=Path, help="a data directory to generate into once and reuse in later runs")
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as temporary:
        data_dir = str(args.keep or temporary)
        setup_django(data_dir)
        from django.core.cache import cache
        from django.db import connection
        from django.test import Client

        from bench.report import write_section
        from reciprocity.insights import figures
        from reciprocity.practice import twofactor
        from reciprocity.practice.middleware import LAST_SEEN
        from reciprocity.practice.models import User

        start = time.perf_counter()
        marker = Path(data_dir) / "bench-generated.txt"
        if args.keep and marker.exists():  # generated by an earlier run: its counts were kept beside it
            counts = {k: int(v) for k, v in (line.split("=") for line in marker.read_text().split())}
        else:
            counts = generate(args.therapists, args.years, short=10, seed=1)
            if args.keep:
                marker.write_text("\n".join(f"{k}={v}" for k, v in counts.items()))
        generated_s = time.perf_counter() - start

        def page(username: str | None, path: str, *, before: Callable[[], None] | None = None):
            visitor = Client()  # a browser of its own for each page, as the pages are timed in turn
            if username:
                visitor.force_login(User.objects.get(username=username))
                session = visitor.session  # as if the two-factor step was passed (a director must use one)
                session[twofactor.VERIFIED], session[LAST_SEEN] = True, int(time.time())
                session.save()

            def call() -> None:
                if before:
                    before()
                response = visitor.get(path)
                assert response.status_code == 200, response.status_code

            call()  # warm: imports, template compilation
            return call

        long_user = User.objects.get(username=f"t{args.therapists - 1:03d}")
        since = datetime.datetime.now(datetime.UTC) - datetime.timedelta(weeks=53)
        week_ago = datetime.datetime.now(datetime.UTC) - datetime.timedelta(days=8)

        def bare_sql(user: "User", *, today: bool = False):
            """The rows behind the page, fetched with hand-written SQL and nothing done with them: the last
            53 weeks of sessions (with whether each has a reflection) and reflections, and every questionnaire;
            for Today also the last eight days' sessions with their clients and reflections."""

            def call() -> None:
                with connection.cursor() as cursor:
                    cursor.execute(
                        "SELECT s.*, r.id FROM therapy_session s JOIN clients_client c ON c.id = s.client_id "
                        "LEFT JOIN therapy_reflection r ON r.session_id = s.id "
                        "WHERE c.therapist_id = %s AND s.starts_at >= %s",
                        [user.pk, since],
                    )
                    cursor.fetchall()
                    cursor.execute(
                        "SELECT * FROM therapy_reflection WHERE author_id = %s AND occurred_at >= %s", [user.pk, since]
                    )
                    cursor.fetchall()
                    cursor.execute("SELECT * FROM measures_administration WHERE therapist_id = %s", [user.pk])
                    cursor.fetchall()
                    if today:
                        cursor.execute(
                            "SELECT s.*, c.code, r.id FROM therapy_session s "
                            "JOIN clients_client c ON c.id = s.client_id "
                            "LEFT JOIN therapy_reflection r ON r.session_id = s.id "
                            "WHERE c.therapist_id = %s AND s.starts_at >= %s ORDER BY s.starts_at",
                            [user.pk, week_ago],
                        )
                        cursor.fetchall()

            return call

        def figures_sql() -> None:
            with connection.cursor() as cursor:
                cursor.execute(
                    "SELECT * FROM insights_weekfigures WHERE therapist_id = %s AND week >= %s",
                    [long_user.pk, since.date()],
                )
                cursor.fetchall()
                cursor.execute(
                    "SELECT * FROM insights_coursefigures WHERE therapist_id = %s AND last_at >= %s",
                    [long_user.pk, since],
                )
                cursor.fetchall()

        four_weeks = datetime.datetime.now(datetime.UTC) - datetime.timedelta(weeks=4)

        def aggregate_sql() -> None:
            with connection.cursor() as cursor:
                cursor.execute(
                    "SELECT c.therapist_id, COUNT(*), SUM(s.duration_minutes), "
                    "AVG(CASE WHEN s.worked_with_trauma THEN 1.0 ELSE 0 END) "
                    "FROM therapy_session s JOIN clients_client c ON c.id = s.client_id WHERE s.starts_at >= %s "
                    "GROUP BY c.therapist_id",
                    [four_weeks],
                )
                cursor.fetchall()
                cursor.execute(
                    "SELECT author_id, AVG((empathy + communication + reflection + fulfillment + resilience "
                    "+ destigmatizing + boundaries) / 7.0) FROM therapy_reflection WHERE occurred_at >= %s "
                    "GROUP BY author_id",
                    [four_weeks],
                )
                cursor.fetchall()

        years = args.years
        short_user = User.objects.get(username="t000")
        rows = timed_together(
            {
                f"flywheel page, {years} years of data": (page(long_user.username, FLYWHEEL), args.rounds),
                f"baseline: bare SQL for its rows, {years} years ({BARE})": (bare_sql(long_user), args.rounds),
                "what the page reads instead: its weekly and course figures (bare SQL)": (figures_sql, args.rounds),
                "flywheel page, 1 year of data": (page("t000", FLYWHEEL), args.rounds),
                "baseline: bare SQL for its rows, 1 year": (bare_sql(short_user), args.rounds),
                f"Today, {years} years of data": (page(long_user.username, "/"), args.rounds),
                "baseline: bare SQL for Today's rows (the same, and the last 8 days' sessions)": (
                    bare_sql(long_user, today=True),
                    args.rounds,
                ),
                "baseline: the sign-in page, signed out": (page(None, "/accounts/login/"), args.rounds),
                f"practice view, {args.therapists} therapists": (page("director", "/dashboard/practice/"), 5),
                "baseline: one aggregate SQL query": (aggregate_sql, 5),
            }
        )
        names = list(rows)
        # Timed on their own: they empty the cache before each view, which would empty it for the others too.
        computed = timed_together(
            {
                f"flywheel page, {years} years, first view with an empty cache (figures read, references and "
                "analysis computed)": (page(long_user.username, FLYWHEEL, before=cache.clear), args.rounds),
                f"Today, {years} years, first view after a write (figures read)": (
                    page(long_user.username, "/", before=lambda: figures.touch(long_user.pk)),
                    args.rounds,
                ),
            }
        )
        first, after_write = list(computed)
        rows = {
            names[0]: rows[names[0]],
            first: computed[first],
            **{name: rows[name] for name in names[1:6]},
            after_write: computed[after_write],
            **{name: rows[name] for name in names[6:]},
        }
    names = list(rows)
    p50 = {name: rows[name][0] for name in names}
    today, today_first, today_sql, sign_in = names[6], names[7], names[8], names[9]
    ratios = [
        (f"flywheel page ÷ its rows' SQL, {years} years", p50[names[0]] / p50[names[2]], 3),
        (f"flywheel page, first view with an empty cache ÷ its rows' SQL, {years} years", p50[names[1]] / p50[names[2]],
         None),
        ("flywheel page ÷ its rows' SQL, 1 year", p50[names[4]] / p50[names[5]], 3),
        (f"Today ÷ its rows' SQL, {years} years", p50[today] / p50[today_sql], 3),
        (f"Today ÷ the sign-in page, {years} years", p50[today] / p50[sign_in], 10),
        (f"Today, first view after a write ÷ its rows' SQL, {years} years", p50[today_first] / p50[today_sql], None),
        (f"Today, first view after a write ÷ the sign-in page, {years} years", p50[today_first] / p50[sign_in], None),
    ]  # fmt: skip
    rebuild = sorted(REBUILD_SECONDS) or [0.0]  # empty when --keep reused an earlier run's data
    lines = [
        f"## The flywheel at practice scale — {args.label}",
        "",
        f"Measured {datetime.date.today().isoformat()}; reproduce with `make bench` (or `python bench/flywheel.py "
        f"--label {args.label}`). {args.therapists} therapists (10 of them with one year of data, the rest "
        f"{years} years): {counts['sessions']:,} sessions, {counts['reflections']:,} reflections, "
        f"{counts['administrations']:,} questionnaires, generated in {generated_s:.0f} s, of which computing "
        f"every therapist's figures from their rows (`reciprocity figures --rebuild`'s work) took "
        f"{sum(rebuild):.0f} s (p50 {statistics.median(rebuild) * 1000:.0f} ms, slowest "
        f"{rebuild[-1] * 1000:.0f} ms a therapist). Server time through Django's handler (no network), after one "
        "warm-up request, the rows timed in turns of 5 requests each until each has its rounds (so a slower "
        f"moment of the machine falls on pages and baselines alike, each still timed warm), {args.rounds} requests "
        "a row; peak = Python allocations during one request. Risk flags older than a week are acknowledged, "
        "as a therapist does when Today shows them. What the pages read of a therapist's figures is remembered "
        "until a write changes them, and the flywheel's analysis (links and the weekly insight), which depends "
        'only on the complete weeks, until a past week changes. The row "first view with an empty cache" empties '
        'the cache before every request; the row "first view after a write" gives the therapist\'s figures a new '
        "version before every request, as every write does: both read the figures each time.",
        "",
        "| what | p50 ms | p95 ms | peak MB |",
        "|---|---:|---:|---:|",
        *(f"| {name} | {p50_:.1f} | {p95:.1f} | {peak:.1f} |" for name, (p50_, p95, peak) in rows.items()),
        "",
        "| ratio of p50s, same run | value | target | met |",
        "|---|---:|---:|---|",
        *(
            f"| {name} | {value:.1f}× | {'≤ ' + str(target) + '×' if target else '—'} | "
            f"{('yes' if value <= target else '**no**') if target else '—'} |"
            for name, value, target in ratios
        ),
        "",
        "Targets: as in the ratio table; practice view under 5 s.",
    ]
    text = "\n".join(lines)
    print(text)
    if REBUILD_SECONDS:  # a run on data it generated itself; one reusing kept data only prints
        write_section(f"flywheel-{args.label.lower()}", text)


if __name__ == "__main__":
    main()
