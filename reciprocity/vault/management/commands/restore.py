from pathlib import Path
from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser
from django.db import connection
from django.db.migrations.executor import MigrationExecutor

from reciprocity.vault.backup import BackupError, needs_after_restore, restore
from reciprocity.vault.canary import explain_missing, missing_keys
from reciprocity.vault.keyring import keyring


class Command(BaseCommand):
    help = (
        "Bring back a backup written by `reciprocity backup`: it is decrypted and checked first, so a wrong key or "
        "a damaged file leaves the database untouched. A database holding data is replaced only with --force."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("backup", type=Path, help="the .backup file")
        parser.add_argument("--force", action="store_true", help="replace a database that already holds data")

    def handle(self, *args: Any, **options: Any) -> None:
        try:
            restored = restore(options["backup"], force=options["force"])
        except BackupError as error:
            raise CommandError(str(error), returncode=2) from None
        self.stdout.write(f"Restored the database from {options['backup']}.")
        if restored.files:
            self.stdout.write(
                f"Put back {len(restored.files)} file(s) the database names: {', '.join(restored.files)}."
            )
        if restored.differing:
            self.stderr.write(
                f"Left as they are, though the backup holds other versions: {', '.join(restored.differing)} "
                "(a file already there is never replaced; compare them by hand)."
            )
        executor = MigrationExecutor(connection)
        pending = executor.migration_plan(executor.loader.graph.leaf_nodes())
        if pending:
            self.stdout.write(
                f"The backup comes from an earlier version ({len(pending)} database changes behind this one): "
                "run `reciprocity upgrade` before serving."
            )
        for need in needs_after_restore():
            self.stderr.write(f"Warning: {need}")
        if missing := missing_keys():  # a backup taken while a rotation ran holds text under the old key too
            raise CommandError(
                f"The restored database needs more keys. {explain_missing(missing, keyring())}", returncode=3
            )
