import os
from pathlib import Path
from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser

from reciprocity.audit.models import Action
from reciprocity.audit.services import record
from reciprocity.exports.tables import account_archive
from reciprocity.practice.models import User


class Command(BaseCommand):
    help = "Write everything of one therapist to a zip (CSV, JSON and FHIR), as 'Download everything' does."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--user", required=True)
        parser.add_argument("-o", "--output", type=Path, help="the zip to write (default: reciprocity-USER.zip)")

    def handle(self, *args: Any, **options: Any) -> None:
        user = User.objects.filter(username=options["user"]).first()
        if user is None:
            raise CommandError(f"There is no user called {options['user']!r}.", returncode=2)
        target = options["output"] or Path(f"reciprocity-{user.username}.zip")
        try:
            fd = os.open(target, os.O_WRONLY | os.O_CREAT | os.O_TRUNC, 0o600)  # everything they wrote: theirs alone
            os.fchmod(fd, 0o600)
            with os.fdopen(fd, "wb") as handle:
                handle.write(account_archive(user))
        except OSError as error:
            raise CommandError(f"Cannot write {target}: {error.strerror}.", returncode=2) from None
        record(Action.EXPORT, "all data written to a zip on the server (reciprocity export)", subject=user, actor=None)
        self.stdout.write(f"Wrote {target}.")
