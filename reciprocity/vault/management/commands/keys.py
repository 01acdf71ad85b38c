import getpass
import os
import sys
from pathlib import Path
from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser
from django.utils import timezone

from reciprocity.vault.canary import DOCS, KeysMismatch, verify
from reciprocity.vault.keyring import format_keys, keyring, parse_keys, retired_keys_path, write_key_file
from reciprocity.vault.sealed_keys import SealedKeysError, open_sealed, seal


def _fail(message: str) -> CommandError:
    return CommandError(message, returncode=2)


class Command(BaseCommand):
    help = (
        "The encryption keys: `check` that they open this database, `export` a copy sealed with a passphrase "
        "for the practice's safe, `open` such a copy back into a key file."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        actions = parser.add_subparsers(dest="action", required=True, metavar="check|export|open")
        actions.add_parser("check", help="do the configured keys open this database's text?")
        export = actions.add_parser("export", help="write the keys sealed with a passphrase")
        export.add_argument("-o", "--output", type=Path, required=True, help="the file to write (must not exist)")
        export.add_argument("--passphrase-file", type=Path, help="read the passphrase from this file")
        opened = actions.add_parser("open", help="write the keys of a sealed copy to a key file")
        opened.add_argument("sealed", type=Path, help="the file `keys export` wrote")
        opened.add_argument("-o", "--output", type=Path, required=True, help="the key file to write")
        opened.add_argument("--passphrase-file", type=Path, help="read the passphrase from this file")
        opened.add_argument("--force", action="store_true", help="replace an existing key file")

    def handle(self, *args: Any, **options: Any) -> None:
        {"check": self._check, "export": self._export, "open": self._open}[options["action"]](options)

    def _check(self, options: dict[str, Any]) -> None:
        ring = keyring(fresh=True)
        self.stdout.write(f"Keys from {ring.source}: {len(ring.keys)} (new text is sealed with {ring.primary}).")
        try:
            state = verify(create=False)
        except KeysMismatch as error:
            raise _fail(str(error)) from None
        self.stdout.write(
            {
                "ok": "They open this database's key check: the keys are the right ones.",
                "unsealed": "They open the stored text sampled; the key check is sealed when the app next starts.",
                "empty": "The database has no tables yet (run `reciprocity migrate`); nothing to check against.",
            }[state]
        )

    def _passphrase(self, options: dict[str, Any], *, twice: bool) -> str:
        if path := options.get("passphrase_file"):
            try:
                return path.read_text().rstrip("\n")
            except OSError as error:
                raise _fail(f"The passphrase file {path} cannot be read: {error.strerror}.") from None
        if not sys.stdin.isatty():
            raise _fail("Give the passphrase with --passphrase-file, or run this in a terminal to type it.")
        first = getpass.getpass("Passphrase: ")
        if twice and getpass.getpass("The same passphrase again: ") != first:
            raise _fail("The two passphrases differ; nothing was written.")
        return first

    def _export(self, options: dict[str, Any]) -> None:
        output: Path = options["output"]
        if output.exists():
            raise _fail(f"{output} exists already; choose a new file name.")
        ring = keyring(fresh=True)
        retired = retired_keys_path()
        try:
            note = f"Written {timezone.now():%Y-%m-%d %H:%M} UTC; new text is sealed with key {ring.primary}."
            text = seal(
                format_keys(list(ring.keys.items())),
                retired.read_text() if retired.exists() else "",
                self._passphrase(options, twice=True),
                note=note,
            )
        except SealedKeysError as error:
            raise _fail(str(error)) from None
        fd = os.open(output, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
        with os.fdopen(fd, "w") as handle:
            handle.write(text)
        self.stdout.write(
            f"Wrote {output}: {len(ring.keys)} key(s) sealed with your passphrase. Keep the file and the "
            f"passphrase apart (see {DOCS}); `reciprocity keys open {output.name} -o FILE` brings them back."
        )

    def _open(self, options: dict[str, Any]) -> None:
        source: Path = options["sealed"]
        output: Path = options["output"]
        try:
            text = source.read_text()
        except (OSError, UnicodeDecodeError) as error:
            raise _fail(f"{source} cannot be read: {getattr(error, 'strerror', None) or error}.") from None
        if output.exists() and not options["force"]:
            raise _fail(f"{output} exists already; give --force to replace it.")
        try:
            keys, retired = open_sealed(text, self._passphrase(options, twice=False))
        except SealedKeysError as error:
            raise _fail(str(error)) from None
        write_key_file(output, parse_keys(keys, str(source)))
        written = [str(output)]
        if retired.strip() and not (beside := output.with_name("retired.keys")).exists():
            write_key_file(beside, parse_keys(retired, str(source)))
            written.append(str(beside))
        self.stdout.write(f"Wrote {' and '.join(written)} (mode 0600). Point ENCRYPTION_KEYS_FILE at it, or put it "
                          "in the data directory as encryption.keys.")  # fmt: skip
