from pathlib import Path
from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser

from reciprocity.vault.backup import BackupError, backup
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
        try:
            written = backup(options["output"])
        except BackupError as error:
            raise CommandError(str(error), returncode=2) from None
        size = written.stat().st_size
        self.stdout.write(
            f"Wrote {written} ({size / 1_000_000:.1f} MB), encrypted with key {keyring().primary}. "
            f"Keep that key (in {keyring().source}): without it this backup cannot be restored."
        )
