from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser

from reciprocity.practice.erasure import erase_account
from reciprocity.practice.models import User


class Command(BaseCommand):
    help = (
        "Delete one person's account and everything of theirs (entries, search index, sign-ins, queued work). "
        "It cannot be undone: run `reciprocity export --user U` first to keep a copy."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--user", required=True, help="the username of the account to delete")
        parser.add_argument("--yes", action="store_true", help="confirm: delete it now, for good")

    def handle(self, *args: Any, **options: Any) -> None:
        user = User.objects.filter(username=options["user"]).first()
        if user is None:
            raise CommandError(f"There is no user called {options['user']!r}.", returncode=2)
        if not options["yes"]:
            raise CommandError(
                f"This deletes {user.username} and everything of theirs for good. "
                "Add --yes to go ahead (and `reciprocity export --user` first to keep a copy).",
                returncode=2,
            )
        counts = erase_account(user)
        self.stdout.write(f"Deleted the account {options['user']}: {counts.summary()}.")
