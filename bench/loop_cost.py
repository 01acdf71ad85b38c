"""What each request of bench/load.py's therapist loop costs in the app itself: CPU and queries, no server.

One therapist (bench/load.py's: 3 clients and 6 sessions, created through the services) runs the loop through
Django's test client on a new, migrated database: log a session, save its reflection, read Today, read the
dashboard. After 5 untimed rounds, `--rounds` rounds are timed; each request's process CPU time (the model's
threads included) and queries are noted. Beside them, the sign-in page signed out, in the same run.

Run with `make bench` or `python bench/loop_cost.py --label SQLite` and
`scripts/with-postgres .venv/bin/python bench/loop_cost.py --label PostgreSQL`.
"""

import argparse
import collections
import datetime
import os
import platform
import random
import re
import statistics
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from bench import load  # noqa: E402


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--label", default="SQLite")
    parser.add_argument("--rounds", type=int, default=40)
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as data_dir:
        (Path(data_dir) / "static").mkdir()  # pages link their assets by name; none is served here
        from bench.flywheel import setup_django

        setup_django(data_dir)  # settings for the test client, and a migrated database
        from django.db import connection
        from django.test import Client
        from django.test.utils import CaptureQueriesContext

        from bench.report import write_section
        from reciprocity.practice.models import User

        (therapist,) = load.create_therapists(1)
        browser = Client()
        browser.force_login(User.objects.get(username=therapist.username))
        visitor = Client()
        rng = random.Random(1)
        cpu: dict[str, list[float]] = collections.defaultdict(list)
        queries: dict[str, list[int]] = collections.defaultdict(list)

        def timed(kind: str, call, expected: int):  # type: ignore[no-untyped-def]
            with CaptureQueriesContext(connection) as asked:
                began = time.process_time()
                response = call()
                cpu[kind].append((time.process_time() - began) * 1000)
            queries[kind].append(len(asked.captured_queries))
            assert response.status_code == expected, (kind, response.status_code)
            return response

        def one_round() -> None:
            saved = timed(load.KINDS[0], lambda: browser.post("/sessions/new/", load.session_form(therapist, rng)), 302)
            session = int(re.search(r"/sessions/(\d+)/", saved["Location"]).group(1))
            form = load.reflection_form(session, rng)
            timed(load.KINDS[1], lambda: browser.post(f"/reflections/new/?session={session}", form), 302)
            timed(load.KINDS[2], lambda: browser.get("/"), 200)
            timed(load.KINDS[3], lambda: browser.get("/dashboard/"), 200)
            timed("sign-in page", lambda: visitor.get("/accounts/login/"), 200)

        for _ in range(5):
            one_round()
        cpu.clear()
        queries.clear()
        for _ in range(args.rounds):
            one_round()

    sign_in = statistics.mean(cpu["sign-in page"])
    rows = [
        f"| {kind} | {statistics.mean(cpu[kind]):.1f} | {statistics.median(cpu[kind]):.1f} | "
        f"{statistics.mean(queries[kind]):.0f} | {statistics.mean(cpu[kind]) / sign_in:.1f}× |"
        for kind in (*load.KINDS, "sign-in page")
    ]
    per_request = statistics.mean(statistics.mean(cpu[kind]) for kind in load.KINDS)
    text = "\n".join([
        f"## The load loop's requests in the app — {args.label}",
        "",
        f"Measured {datetime.date.today()} on {platform.machine()}, {os.cpu_count()} cores, Python "
        f"{platform.python_version()}; reproduce with `make bench` (or `python bench/loop_cost.py --label "
        f"{args.label}`). One therapist of bench/load.py runs its loop through Django's test client (no server, no "
        f"network) on a new database: {args.rounds} rounds after 5 untimed ones; process CPU time per request "
        "(the model's threads included; a PostgreSQL server's own CPU is not), and the sign-in page, signed out, "
        "in the same rounds.",
        "",
        "| request | CPU mean ms | CPU p50 ms | queries | ÷ sign-in page |",
        "|---|---:|---:|---:|---:|",
        *rows,
        "",
        f"The loop's mean over its four requests: {per_request:.1f} ms of CPU each (bench/load.py's target for the "
        "server, gunicorn included: 15 ms).",
    ])  # fmt: skip
    print(text)
    write_section(f"loop-cost-{args.label.lower()}", text)


if __name__ == "__main__":
    main()
