from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser
from django.db import transaction

from reciprocity.insights import figures
from reciprocity.practice.models import User


class Command(BaseCommand):
    help = (
        "Check or rebuild the flywheel's weekly and course figures (kept up to date on every write) from the "
        "sessions, reflections and questionnaires they sum up."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        what = parser.add_mutually_exclusive_group(required=True)
        what.add_argument("--check", action="store_true", help="say whose figures differ from their rows")
        what.add_argument("--rebuild", action="store_true", help="compute the figures again from the rows")
        parser.add_argument("--user", help="only this user (default: everyone)")

    def handle(self, *args: Any, **options: Any) -> None:
        people = User.objects.order_by("username")
        if options["user"]:
            people = people.filter(username=options["user"])
            if not people.exists():
                raise CommandError(f"There is no user called {options['user']!r}.", returncode=2)
        if options["rebuild"]:
            weeks = 0
            for pk in people.values_list("pk", flat=True):
                with transaction.atomic():
                    weeks += figures.rebuild(pk)
            count = people.count()
            self.stdout.write(f"Rebuilt the figures of {count} user{'s' if count != 1 else ''}: {weeks} weeks.")
            return
        stale = [name for pk, name in people.values_list("pk", "username") if figures.differs(pk)]
        if stale:
            raise CommandError(
                f"The figures of {', '.join(stale)} differ from their rows; run `reciprocity figures --rebuild`.",
                returncode=1,
            )
        self.stdout.write("Every user's figures agree with their rows.")
