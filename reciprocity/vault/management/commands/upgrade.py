import importlib.metadata
from pathlib import Path
from typing import Any

from django.core.management import call_command
from django.core.management.base import BaseCommand, CommandError, CommandParser
from django.db import DatabaseError, connection, transaction
from django.utils import timezone

from reciprocity.lib.migrations import unapplied
from reciprocity.vault.backup import BackupError, backup, holds_data
from reciprocity.vault.canary import DOCS, KeysMismatch, explain, require_keys, unreadable_sample, verify
from reciprocity.vault.keyring import keyring

KEYS_STATE = {
    "ok": "Keys: they open the database's key check.",
    "unsealed": "Keys: they open the stored text (the key check is sealed after the upgrade).",
    "empty": "A new database.",
}


def _fail(message: str) -> CommandError:
    return CommandError(message, returncode=2)


class Command(BaseCommand):
    help = (
        "Bring the database up to this version: check the keys, take an encrypted backup, apply the migrations "
        "(in one transaction on PostgreSQL), check again, and print how to roll back."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument(
            "--backup-dir", type=Path, help="where the backup goes (default: the data directory's backups/)"
        )

    def handle(self, *args: Any, **options: Any) -> None:
        version = importlib.metadata.version("reciprocity")
        try:
            pending = sorted(unapplied())
        except DatabaseError as error:
            raise _fail(f"The database does not answer ({error.__class__.__name__}: {error}).") from None
        try:
            state = verify(create=False)
        except KeysMismatch as error:
            raise _fail(f"Nothing was upgraded. {error}") from None
        if not pending:
            require_keys(self.stderr)
            self.stdout.write(f"The database is up to date with Reciprocity {version}; nothing to do.")
            return
        self.stdout.write(KEYS_STATE[state])
        saved = self._backup(options["backup_dir"], version) if holds_data() else None
        if saved is None:
            self.stdout.write("Backup: none needed, the database holds no data yet.")
        self._migrate(pending, saved)
        self._verify(pending)
        require_keys(self.stderr)
        self.stdout.write(f"Upgraded to Reciprocity {version}: {len(pending)} migrations applied and checked.")
        if saved:
            self.stdout.write(
                f"To roll back: stop Reciprocity, install the version you had before, and run\n"
                f"    reciprocity restore {saved} --force\n"
                f"(the backup is sealed with key {keyring().primary}; see docs/deploy.md#upgrades)."
            )

    def _backup(self, folder: Path | None, version: str) -> Path:
        name = f"before-{version}-{timezone.now():%Y%m%d-%H%M%S}.backup"
        try:
            saved = backup(folder / name if folder else None)
        except BackupError as error:
            raise _fail(f"Nothing was upgraded: the backup failed. {error}") from None
        if folder is None:
            saved = saved.rename(saved.with_name(name))
        self.stdout.write(f"Backup: {saved}.")
        return saved

    def _migrate(self, pending: list[tuple[str, str]], saved: Path | None) -> None:
        one_transaction = connection.vendor == "postgresql"  # SQLite cannot change its schema inside one
        self.stdout.write(f"Applying {len(pending)} migrations{' in one transaction' if one_transaction else ''}.")
        try:
            if one_transaction:
                with transaction.atomic():
                    call_command("migrate", interactive=False, verbosity=0)
            else:
                call_command("migrate", interactive=False, verbosity=0)
        except Exception as error:
            undo = (
                "Nothing was changed: the transaction was rolled back."
                if one_transaction
                else f"Bring the database back with `reciprocity restore {saved} --force`."
                if saved
                else "The database held no data."
            )
            raise _fail(f"The migrations failed ({error.__class__.__name__}: {error}). {undo}") from None

    def _verify(self, pending: list[tuple[str, str]]) -> None:
        if left := unapplied():
            raise _fail(f"{len(left)} migrations are still not applied after the upgrade; see {DOCS}.")
        if failing := unreadable_sample():
            raise _fail(f"After the upgrade some stored text does not open. {explain(failing, keyring())}")
