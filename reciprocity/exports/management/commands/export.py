import os
import tempfile
from pathlib import Path
from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser

from reciprocity.audit.models import Action
from reciprocity.audit.services import record
from reciprocity.exports.tables import account_archive
from reciprocity.practice.models import User
from reciprocity.vault.canary import explain_missing
from reciprocity.vault.cipher import DecryptionError
from reciprocity.vault.keyring import keyring


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
            archive = account_archive(user)  # built in full first: a failure leaves an earlier export untouched
        except DecryptionError as error:
            raise CommandError(_unreadable(error, user, target), returncode=2) from None
        try:
            _replace(target, archive)
        except OSError as error:
            raise CommandError(f"Cannot write {target}: {error.strerror}.", returncode=2) from None
        record(Action.EXPORT, "all data written to a zip on the server (reciprocity export)", subject=user, actor=None)
        self.stdout.write(f"Wrote {target}.")


def _unreadable(error: DecryptionError, user: User, target: Path) -> str:
    """What to tell the administrator when a stored text cannot be opened: the vault's own account of a
    missing key (which one, where a rotation retired it), or the error itself for damaged text."""
    why = explain_missing({error.key_id: {f"{user.username}'s"}}, keyring()) if error.key_id else str(error)
    return f"Some of {user.username}'s text cannot be read, so nothing was written to {target}. {why}"


def _replace(target: Path, data: bytes) -> None:
    """Write the zip beside the target, then move it into place in one step: never a half-written file."""
    fd, temporary = tempfile.mkstemp(prefix=f".{target.name}.", suffix=".tmp", dir=target.parent)
    try:
        with os.fdopen(fd, "wb") as handle:
            os.fchmod(handle.fileno(), 0o600)  # everything they wrote: theirs alone
            handle.write(data)
            handle.flush()
            os.fsync(handle.fileno())
        os.replace(temporary, target)
    except BaseException:
        Path(temporary).unlink(missing_ok=True)
        raise
