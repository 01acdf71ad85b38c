import sys
from pathlib import Path
from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser

from reciprocity.imports.reading import DELIMITERS, ReadError, read_table
from reciprocity.imports.sessions import (
    FIELDS,
    MAX_PROBLEMS_SHOWN,
    MappingError,
    apply_plan,
    parse_mapping,
    plan_import,
)
from reciprocity.practice.models import User


class Command(BaseCommand):
    help = "Import sessions (their clients, and reflections where present) from a CSV: all of it or nothing."

    def add_arguments(self, parser: CommandParser) -> None:
        kinds = parser.add_subparsers(dest="kind", required=True)
        sessions = kinds.add_parser("sessions", help="sessions from a CSV file")
        sessions.add_argument("file", type=Path)
        sessions.add_argument("--user", required=True, help="the therapist the sessions belong to")
        sessions.add_argument("--map", nargs="+", required=True, metavar="COLUMN=FIELD",
                              help=f"which column holds which field; fields: {', '.join(FIELDS)}")  # fmt: skip
        sessions.add_argument("--dry-run", action="store_true", help="check and report; write nothing")
        sessions.add_argument("--encoding", help="e.g. utf-8 or latin-1 (detected when left out)")
        sessions.add_argument("--delimiter", choices=list(DELIMITERS.values()), help="detected when left out")
        sessions.add_argument("--date-format", help="e.g. '%%d/%%m/%%Y %%H:%%M' (detected when it is certain)")

    def handle(self, *args: Any, **options: Any) -> None:
        user = User.objects.filter(username=options["user"]).first()
        if user is None:
            raise CommandError(f"There is no user called {options['user']!r}.", returncode=2)
        delimiter = next((d for d, name in DELIMITERS.items() if name == options["delimiter"]), None)
        try:
            raw = options["file"].read_bytes()
            table = read_table(raw, encoding=options["encoding"], delimiter=delimiter)
            plan = plan_import(user, table, parse_mapping(options["map"]), date_format=options["date_format"],
                               progress=lambda n: self._progress(n, len(table.rows)))  # fmt: skip
        except OSError as error:
            raise CommandError(f"Cannot read {options['file']}: {error.strerror}.", returncode=2) from None
        except (ReadError, MappingError) as problem:
            raise CommandError(str(problem), returncode=2) from None
        sys.stderr.write("\n" if len(table.rows) >= 5000 else "")
        self.stdout.write(
            f"Read {len(table.rows)} rows ({table.encoding}, dates as {plan.date_format}): {len(plan.sessions)} new "
            f"sessions, {plan.reflections} reflections, {len(plan.new_clients)} new clients; "
            f"{plan.already_there} already imported."
        )
        for number, reason in plan.problems[:MAX_PROBLEMS_SHOWN]:
            self.stdout.write(f"line {number}: {reason}")
        if plan.problems:
            raise CommandError(f"{len(plan.problems)} problem rows: nothing was imported.", returncode=2)
        if options["dry_run"]:
            self.stdout.write("Dry run: nothing was written.")
            return
        counts = apply_plan(user, plan, progress=lambda n: self._progress(n, len(plan.sessions), "writing sessions"))
        sys.stderr.write("\n" if len(plan.sessions) >= 5000 else "")
        self.stdout.write(f"Imported {counts['sessions']} sessions, {counts['reflections']} reflections and "
                          f"{counts['clients']} clients.")  # fmt: skip

    def _progress(self, done: int, total: int, doing: str = "checking rows") -> None:
        sys.stderr.write(f"\r{doing}: {done * 100 // max(total, 1)}%")
        sys.stderr.flush()
