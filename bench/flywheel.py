"""Flywheel at practice scale: 200 therapists × 5 years (about a million sessions with reflections and
measures). Reports, each beside its baseline in the same run, on the database in DATABASE_URL (or a new
SQLite file):

- one therapist's flywheel page, server time over 20 requests; baseline: the bare SQL that fetches that
  therapist's rows;
- the practice view; baseline: one hand-written aggregate SQL query over the same tables;
- peak Python memory of each (tracemalloc); and how the page's cost grows from 1 to 5 years of data.

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


def generate(therapists: int, years: int, short: int, seed: int) -> dict[str, int]:
    """Therapists with `years` of weekly clients (`short` of them with one year only), their sessions,
    reflections, client PHQ-9/GAD-7 every fourth session, and their own WHO-5 and ProQOL check-ins."""
    from django.db import transaction
    from django.utils import timezone

    from reciprocity.clients.models import Client
    from reciprocity.demo.measures import answers_for
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
        counts["sessions"] += len(sessions)
        counts["reflections"] += len(reflections)
        counts["administrations"] += len(administrations)
    return counts


BARE = "baseline: bare SQL for that therapist's rows (53 weeks of sessions and reflections, all questionnaires)"


def timed(call, rounds: int) -> tuple[float, float, float]:
    """(p50 ms, p95 ms, peak MB of Python allocations during one extra call)."""
    samples = []
    for _ in range(rounds):
        start = time.perf_counter()
        call()
        samples.append((time.perf_counter() - start) * 1000)
    tracemalloc.start()
    call()
    peak = tracemalloc.get_traced_memory()[1] / 2**20
    tracemalloc.stop()
    samples.sort()
    return statistics.median(samples), samples[max(0, round(len(samples) * 0.95) - 1)], peak


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--label", default="SQLite")
    parser.add_argument("--therapists", type=int, default=200)
    parser.add_argument("--years", type=int, default=5)
    parser.add_argument("--rounds", type=int, default=20)
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as data_dir:
        setup_django(data_dir)
        from django.db import connection
        from django.test import Client

        from bench.report import write_section
        from reciprocity.practice.models import User

        start = time.perf_counter()
        counts = generate(args.therapists, args.years, short=10, seed=1)
        generated_s = time.perf_counter() - start
        browser = Client()

        def page(username: str, path: str):
            browser.force_login(User.objects.get(username=username))

            def call() -> None:
                response = browser.get(path)
                assert response.status_code == 200, response.status_code

            call()  # warm: imports, template compilation
            return call

        long_user = User.objects.get(username=f"t{args.therapists - 1:03d}")
        since = datetime.datetime.now(datetime.UTC) - datetime.timedelta(weeks=53)

        def bare_sql() -> None:
            with connection.cursor() as cursor:
                cursor.execute(
                    "SELECT s.* FROM therapy_session s JOIN clients_client c ON c.id = s.client_id "
                    "LEFT JOIN therapy_reflection r ON r.session_id = s.id "
                    "WHERE c.therapist_id = %s AND s.starts_at >= %s",
                    [long_user.pk, since],
                )
                cursor.fetchall()
                cursor.execute(
                    "SELECT * FROM therapy_reflection WHERE author_id = %s AND occurred_at >= %s", [long_user.pk, since]
                )
                cursor.fetchall()
                cursor.execute("SELECT * FROM measures_administration WHERE therapist_id = %s", [long_user.pk])
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

        rows = {
            f"flywheel page, {args.years} years of data": timed(
                page(long_user.username, "/dashboard/flywheel/"), args.rounds
            ),
            BARE: timed(bare_sql, args.rounds),
            "flywheel page, 1 year of data": timed(page("t000", "/dashboard/flywheel/"), args.rounds),
            f"Today, {args.years} years of data": timed(page(long_user.username, "/"), args.rounds),
            f"practice view, {args.therapists} therapists": timed(page("director", "/dashboard/practice/"), 5),
            "baseline: one aggregate SQL query": timed(aggregate_sql, 5),
        }
    lines = [
        f"## The flywheel at practice scale — {args.label}",
        "",
        f"Measured {datetime.date.today().isoformat()}; reproduce with `make bench` (or `python bench/flywheel.py "
        f"--label {args.label}`). {args.therapists} therapists (10 of them with one year of data, the rest "
        f"{args.years} years): {counts['sessions']:,} sessions, {counts['reflections']:,} reflections, "
        f"{counts['administrations']:,} questionnaires, generated in {generated_s:.0f} s. Server time through "
        "Django's handler (no network), after one warm-up request; peak = Python allocations during one request.",
        "",
        "| what | p50 ms | p95 ms | peak MB |",
        "|---|---:|---:|---:|",
        *(f"| {name} | {p50:.0f} | {p95:.0f} | {peak:.1f} |" for name, (p50, p95, peak) in rows.items()),
        "",
        "Targets: flywheel page p50 under 150 ms on SQLite; practice view under 5 s.",
    ]
    text = "\n".join(lines)
    print(text)
    write_section(f"flywheel-{args.label.lower()}", text)


if __name__ == "__main__":
    main()
