from pathlib import Path
from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser

from reciprocity.vault.backup import BackupError, backup
from reciprocity.vault.canary import explain_missing, stored_key_ids
from reciprocity.vault.keyring import keyring


class Command(BaseCommand):
    help = (
        "Write an encrypted copy of the whole database while the app keeps running (SQLite backup API, or "
        "pg_dump on PostgreSQL). Keep the encryption key safe as well: without it the backup cannot be read."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument(
            "-o", "--output", type=Path, help="the file to write (default: backups/reciprocity-DATE-TIME.backup)"
        )

    def handle(self, *args: Any, **options: Any) -> None:
        stored = stored_key_ids()  # read first: while a rotation runs, the copy holds no key not listed here
        try:
            written = backup(options["output"])
        except BackupError as error:
            raise CommandError(str(error), returncode=2) from None
        ring = keyring()
        size = written.stat().st_size
        needed = sorted(set(stored) - {ring.primary})
        also = (
            f" Its text is also sealed with key {', '.join(needed)} (a key rotation had not finished): keep "
            f"{'that key' if len(needed) == 1 else 'those keys'} too, or the restored text under it cannot be read."
            if needed
            else ""
        )
        self.stdout.write(
            f"Wrote {written} ({size / 1_000_000:.1f} MB), encrypted with key {ring.primary}. "
            f"Keep that key (in {ring.source}): without it this backup cannot be restored.{also}"
        )
        if missing := {key_id: labels for key_id, labels in stored.items() if key_id not in ring.keys}:
            self.stderr.write(f"Warning: the database itself is missing keys. {explain_missing(missing, ring)}")
