import time
from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser

from reciprocity.vault import keyring as keys
from reciprocity.vault.rotation import reencrypt_all, stale_count


class Command(BaseCommand):
    help = (
        "Re-encrypt every stored text under a new key while the app keeps running. Safe to interrupt: "
        "run it again and it resumes. Old keys move to retired.keys (needed only for older backups). With "
        "ENCRYPTION_KEYS or ENCRYPTION_KEYS_FILE, put a new key first yourself (docs/deploy.md#keys); this command "
        "then re-encrypts and names the old keys to remove."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument(
            "--grace",
            type=float,
            default=5.0,
            help="seconds to wait for running requests to pick up the new key before the last pass (default 5)",
        )
        parser.add_argument("--print-new-key", action="store_true", help="only print a new id:key line and exit")

    def handle(self, *args: Any, **options: Any) -> None:
        if options["print_new_key"]:
            key_id, key = keys.new_key()
            self.stdout.write(keys.format_keys([(key_id, key)]).strip())
            return
        if options["grace"] < 0:
            raise CommandError("--grace must be zero or more seconds.", returncode=2)
        try:
            primary = keys.begin_rotation()
        except keys.RotationRefused as error:
            raise CommandError(str(error), returncode=2) from None
        self.stdout.write(f"Encrypting under key {primary} ({keys.keyring().source}).")
        reencrypt_all(on_batch=lambda label, count: self.stdout.write(f"  {label}: {count} rows checked"))
        time.sleep(options["grace"])  # a request that encrypted under the old key has committed by now
        reencrypt_all()
        if left := stale_count():
            raise CommandError(f"{left} values are still under an older key; run the command again.", returncode=1)
        retired = keys.finish_rotation()
        ring = keys.keyring()
        if ring.is_external and retired:
            self.stdout.write(_remove_old_keys(primary, retired, ring.source))
        else:
            self.stdout.write(f"Every text is under {primary}. Retired keys: {', '.join(retired) or 'none'}.")


def _remove_old_keys(primary: str, retired: list[str], source: str) -> str:
    """What the operator does after a rotation of keys the app does not write (ENCRYPTION_KEYS or its file)."""
    return (
        f"Every text is under {primary}; remove keys {', '.join(retired)} from {source} and restart the app. "
        "Keep the removed lines somewhere safe, apart from the backups: a backup made before now needs them to be "
        "restored. Then export the keys again (`reciprocity keys export`)."
    )
