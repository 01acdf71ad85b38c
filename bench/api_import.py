"""Import and API at scale, each beside its baseline in the same run, on DATABASE_URL or a new SQLite file.

- importing 100,000 sessions from a CSV (reading, checking every row, writing) against a bare bulk insert of
  the same rows;
- one API list page of 100 sessions for a therapist with 10,000, over 30 requests, against the bare SQL
  that fetches those 100 rows.

Run with `make bench` or `python bench/api_import.py --label SQLite`.
"""

import argparse
import datetime
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--label", default="SQLite")
    parser.add_argument("--rows", type=int, default=100_000)
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as data_dir:
        from bench.flywheel import setup_django, timed

        setup_django(data_dir)
        from django.db import connection
        from django.test import Client as Browser

        from bench.report import write_section
        from reciprocity.clients.models import Client
        from reciprocity.imports.reading import read_table
        from reciprocity.imports.sessions import apply_plan, plan_import
        from reciprocity.practice.services import create_user
        from reciprocity.practice.tokens import create_token
        from reciprocity.therapy.models import Session

        start_at = datetime.datetime(2020, 1, 6, 8, 0)
        lines = ["client,starts_at,emotional_load,techniques"] + [
            f"C-{n % 1000 + 1:04d},{start_at + datetime.timedelta(minutes=61 * n):%Y-%m-%d %H:%M},{n % 11},CBT"
            for n in range(args.rows)
        ]
        raw = ("\n".join(lines) + "\n").encode()
        importer = create_user(username="importer", password="x", check_password=False)
        began = time.perf_counter()
        table = read_table(raw)
        plan = plan_import(
            importer,
            table,
            {
                "client": "client",
                "starts_at": "starts_at",
                "emotional_load": "emotional_load",
                "techniques": "techniques",
            },
        )
        counts = apply_plan(importer, plan)
        import_s = time.perf_counter() - began
        assert counts["sessions"] == args.rows, counts

        bare_user = create_user(username="bare", password="x", check_password=False)
        clients = Client.objects.bulk_create(
            [
                Client(therapist=bare_user, code=f"C-{n + 1:04d}", started_on=datetime.date(2020, 1, 6))
                for n in range(1000)
            ]
        )
        began = time.perf_counter()
        Session.objects.bulk_create(
            [
                Session(client=clients[n % 1000], starts_at=s["starts_at"], emotional_load=s.get("emotional_load"))
                for n, s in enumerate(plan.sessions)
            ],
            batch_size=2000,
        )
        bare_s = time.perf_counter() - began

        reader = create_user(username="reader", password="x", check_password=False)
        small = Client.objects.create(therapist=reader, code="R-0001", started_on=datetime.date(2020, 1, 6))
        Session.objects.bulk_create(
            [Session(client=small, starts_at=s["starts_at"]) for s in plan.sessions[:10_000]], batch_size=2000
        )
        _, token = create_token(user=reader, name="bench")
        browser = Browser()
        headers = {"Authorization": f"Bearer {token}"}

        def api_page() -> None:
            response = browser.get("/api/v1/sessions?limit=100&offset=5000", headers=headers)
            assert response.status_code == 200 and len(response.json()["items"]) == 100

        def bare_sql() -> None:
            with connection.cursor() as cursor:
                cursor.execute(
                    "SELECT s.* FROM therapy_session s JOIN clients_client c ON c.id = s.client_id "
                    "WHERE c.therapist_id = %s ORDER BY s.starts_at DESC LIMIT 100 OFFSET 5000",
                    [reader.pk],
                )
                cursor.fetchall()

        api_page()  # warm: imports, first queries
        results = {
            "API list page: 100 of 10,000 sessions": timed(api_page, 30)[:2],
            "baseline: bare SQL for those 100 rows": timed(bare_sql, 30)[:2],
        }
    lines = [
        f"## Import and API — {args.label}",
        "",
        f"Measured {datetime.date.today().isoformat()}; reproduce with `make bench` (or `python bench/api_import.py "
        f"--label {args.label}`). Server time through Django's handler for the API (no network).",
        "",
        "| what | seconds |",
        "|---|---:|",
        f"| import {args.rows:,} sessions from CSV (read, check, write; target under 20 s) | {import_s:.1f} |",
        f"| baseline: bare bulk insert of the same {args.rows:,} sessions | {bare_s:.1f} |",
        "",
        "| what | p50 ms | p95 ms |",
        "|---|---:|---:|",
        *(f"| {name} | {p50:.1f} | {p95:.1f} |" for name, (p50, p95) in results.items()),
    ]
    text = "\n".join(lines)
    print(text)
    write_section(f"api-import-{args.label.lower()}", text)


if __name__ == "__main__":
    main()
