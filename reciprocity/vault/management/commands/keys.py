import getpass
import os
import sys
from pathlib import Path
from typing import Any

from django.core.exceptions import ImproperlyConfigured
from django.core.management.base import BaseCommand, CommandError, CommandParser
from django.utils import timezone

from reciprocity.vault.backup import needs_after_restore
from reciprocity.vault.canary import DOCS, KeysMismatch, explain_missing, missing_keys, verify
from reciprocity.vault.keyring import (
    format_keys,
    keep_copy,
    keyring,
    parse_keys,
    retired_keys_path,
    write_key_file,
)
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
        try:
            ring = keyring(fresh=True)
        except ImproperlyConfigured as error:
            raise _fail(str(error)) from None
        self.stdout.write(f"Keys from {ring.source}: {len(ring.keys)} (new text is sealed with {ring.primary}).")
        try:
            state = verify(create=False)
        except KeysMismatch as error:
            raise _fail(str(error)) from None
        if state != "empty" and (missing := missing_keys(ring)):  # every value asked, not only the key check
            raise _fail(explain_missing(missing, ring))
        for need in needs_after_restore() if state != "empty" else []:
            self.stderr.write(f"Warning: {need}")
        self.stdout.write(
            {
                "ok": "They open this database's key check, and every stored text is sealed with one of them.",
                "unsealed": "Every stored text is sealed with one of them; the key check is sealed when the app next "
                "starts.",
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
        _require_folder(output)
        if output.exists():
            raise _fail(f"{output} exists already; choose a new file name.")
        try:
            ring = keyring(fresh=True)
        except ImproperlyConfigured as error:
            raise _fail(str(error)) from None
        retired = retired_keys_path()
        retired_text = _read_text(retired) if retired.exists() else ""
        try:
            note = f"Written {timezone.now():%Y-%m-%d %H:%M} UTC; new text is sealed with key {ring.primary}."
            text = seal(
                format_keys(list(ring.keys.items())), retired_text, self._passphrase(options, twice=True), note=note
            )
        except SealedKeysError as error:
            raise _fail(str(error)) from None
        _write_new_file(output, text)
        self.stdout.write(
            f"Wrote {output}: {len(ring.keys)} key(s) sealed with your passphrase. Keep the file and the "
            f"passphrase apart (see {DOCS}); `reciprocity keys open {output.name} -o FILE` brings them back."
        )

    def _open(self, options: dict[str, Any]) -> None:
        source: Path = options["sealed"]
        output: Path = options["output"]
        text = _read_text(source)
        _require_folder(output)
        if output.exists() and not options["force"]:
            raise _fail(f"{output} exists already; give --force to replace it.")
        try:
            keys, retired = open_sealed(text, self._passphrase(options, twice=False))
            entries = parse_keys(keys, str(source))
            retired_entries = parse_keys(retired, str(source)) if retired.strip() else []
        except (SealedKeysError, ImproperlyConfigured) as error:
            raise _fail(str(error)) from None
        kept = _keep_what_is_replaced(output, entries, source) if output.exists() else None
        written = _write_keys(output, entries, retired_entries, kept=kept)
        self.stdout.write(f"Wrote {' and '.join(map(str, written))} (mode 0600). Point ENCRYPTION_KEYS_FILE at it, or "
                          "put it in the data directory as encryption.keys.")  # fmt: skip
        if kept:
            self.stdout.write(f"The key file it replaced is kept as {kept} (mode 0600).")


def _read_text(path: Path) -> str:
    """A file's text, or a CommandError that says why it cannot be read (nothing is written after it)."""
    try:
        return path.read_text()
    except (OSError, UnicodeDecodeError) as error:
        raise _fail(
            f"{path} cannot be read: {getattr(error, 'strerror', None) or error}. Nothing was written."
        ) from None


def _require_folder(output: Path) -> None:
    """Refuse, before any passphrase is asked, a file name that cannot be written."""
    if output.is_dir():
        raise _fail(f"{output} is a folder; give the name of the file to write.")
    if not output.parent.is_dir():
        raise _fail(f"The folder {output.parent} does not exist; create it first, or write somewhere else. "
                    "Nothing was written.")  # fmt: skip


def _write_new_file(output: Path, text: str) -> None:
    """Write a file that must not exist yet (mode 0600), whole or not at all."""
    try:
        fd = os.open(output, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
    except OSError as error:
        raise _fail(f"{output} cannot be written: {error.strerror}. Nothing was written.") from None
    try:
        with os.fdopen(fd, "w") as handle:
            handle.write(text)
            handle.flush()
            os.fsync(handle.fileno())
    except OSError as error:
        output.unlink(missing_ok=True)
        raise _fail(f"{output} cannot be written: {error.strerror}. Nothing was written.") from None


def _keys_lost_by_replacing(output: Path, entries: list[tuple[str, bytes]]) -> list[str]:
    """The key ids in the file at `output` that these entries lack, or hold with other bytes."""
    text = _read_text(output)
    try:
        current = parse_keys(text, str(output))
    except ImproperlyConfigured:
        return []  # not a key file: no key to lose, and the copy kept beside it holds it anyway
    opened = dict(entries)
    return [key_id for key_id, key in current if opened.get(key_id) != key]


def _keep_what_is_replaced(output: Path, entries: list[tuple[str, bytes]], source: Path) -> Path:
    """Refuse to replace a key file that holds keys the sealed copy lacks; otherwise copy it beside itself."""
    if lost := _keys_lost_by_replacing(output, entries):
        raise _fail(
            f"{output} holds key(s) {', '.join(lost)}, which {source} does not (or holds with other bytes): replacing "
            "the file would lose them, and text sealed with them could never be read again. Nothing was written. "
            "Write the copy elsewhere (-o another file) instead. Only if those keys sealed nothing (a key file made "
            "afresh after the original was lost: `reciprocity keys check` names the key the database needs), move "
            f"{output} aside yourself and run this again."
        )
    try:
        return keep_copy(output)
    except OSError as error:
        raise _fail(f"{output} could not be copied aside before replacing it: {error.strerror}. Nothing was "
                    "written.") from None  # fmt: skip


def _retired_beside(beside: Path) -> list[tuple[str, bytes]]:
    """The retired keys already kept beside the key file (none when there is no such file)."""
    if not beside.exists():
        return []
    try:
        return parse_keys(_read_text(beside), str(beside))
    except ImproperlyConfigured as error:
        raise _fail(f"{error} Nothing was written.") from None


def _write_keys(
    output: Path, entries: list[tuple[str, bytes]], retired: list[tuple[str, bytes]], *, kept: Path | None
) -> list[Path]:
    """Write the key file, and the copy's retired keys into retired.keys beside it (added to one that is there,
    never dropping a key it holds): both or neither (and then no copy of the replaced file either, which is
    left as it was)."""
    beside = output.with_name("retired.keys")
    had = _retired_beside(beside)
    added = [entry for entry in retired if entry[0] not in dict(had)]
    written = []
    try:
        if added:
            write_key_file(beside, had + added)
            written.append(beside)
        write_key_file(output, entries)
    except OSError as error:
        if written and had:
            write_key_file(beside, had)  # as it was: the keys it held stay
        elif written:
            beside.unlink(missing_ok=True)
        if kept:
            kept.unlink(missing_ok=True)
        raise _fail(f"{output} cannot be written: {error.strerror}. Nothing was written.") from None
    return [output, *written]
