"""An uploaded CSV kept between the upload page and the import: sealed with the vault, never on disk in clear.

The file waits in DATA_DIR/imports/ as `<user pk>-<random>.sealed` (mode 0600) while the therapist matches
its columns. It is the vault's file format (AES-256-GCM, the key id in the header), with its own name bound
in as associated data, so a file renamed to another user's name, or any other vault file, does not open
here; it is decrypted only in memory. It goes when the import is done, when the next upload replaces it,
when the account is erased (personal_data.py), and at the latest STALE_AFTER after it was written: every
upload and the worker's hourly job (periodic.py) sweep out the stale files of everyone. The same sweep
deletes the `.csv` files that releases before this one left in clear.
"""

import io
import os
import re
import secrets
import time
from collections.abc import Iterable
from pathlib import Path

from django.conf import settings

from reciprocity.vault.cipher import DecryptionError, decrypt_stream, encrypt_stream

SUFFIX = ".sealed"
STALE_AFTER = 6 * 60 * 60  # seconds; long enough to match the columns, short enough not to keep words for long
NAME = re.compile(r"\A(\d+)-[0-9a-f]{32}\.sealed\Z")
CLEAR_SUFFIX = ".csv"  # how earlier releases kept the upload, in clear


def folder() -> Path:
    return Path(settings.DATA_DIR) / "imports"


def _aad(name: str) -> bytes:
    return b"reciprocity.imports.staged-upload\0" + name.encode()


def _is_theirs(user_pk: int, name: str) -> bool:
    match = NAME.match(name)
    return match is not None and match.group(1) == str(user_pk)


def stage(user_pk: int, data: bytes) -> str:
    """Seal an uploaded file into the staging folder (mode 0600) and return its name; sweeps out stale files first."""
    sweep()
    where = folder()
    where.mkdir(mode=0o700, parents=True, exist_ok=True)
    name = f"{user_pk}-{secrets.token_hex(16)}{SUFFIX}"
    fd = os.open(where / name, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
    try:
        with os.fdopen(fd, "wb") as handle:
            encrypt_stream(io.BytesIO(data), handle, aad=_aad(name))
    except BaseException:
        (where / name).unlink(missing_ok=True)
        raise
    return name


def read(user_pk: int, name: str) -> bytes | None:
    """The plain bytes of this user's staged file, in memory; None when it is gone, not theirs, or cannot be opened."""
    if not _is_theirs(user_pk, name):
        return None
    plain = io.BytesIO()
    try:
        with (folder() / name).open("rb") as handle:
            decrypt_stream(handle, plain, aad=_aad(name))
    except (OSError, DecryptionError):
        return None  # gone (swept, imported in another tab), or sealed with a key no longer held: upload again
    return plain.getvalue()


def forget(user_pk: int, name: str) -> None:
    """Delete this user's staged file, if it is still there."""
    if _is_theirs(user_pk, name):
        (folder() / name).unlink(missing_ok=True)


def forget_all(user_pk: int) -> int:
    """Delete every file this user has staged, in clear (earlier releases) or sealed; returns how many went."""
    prefix = f"{user_pk}-"
    return _delete(path for path in _listing() if path.name.startswith(prefix))


def sweep(now: float | None = None) -> int:
    """Delete everyone's staged files written more than STALE_AFTER seconds ago, and every file an earlier
    release left in clear; returns how many went. Safe in many processes at once."""
    oldest = (time.time() if now is None else now) - STALE_AFTER
    return _delete(path for path in _listing() if path.name.endswith(CLEAR_SUFFIX) or _is_stale(path, oldest))


def _is_stale(path: Path, oldest: float) -> bool:
    try:
        return path.stat().st_mtime < oldest
    except FileNotFoundError:
        return False  # another process swept it a moment ago


def _listing() -> list[Path]:
    try:
        return [path for path in folder().iterdir() if path.name.endswith((SUFFIX, CLEAR_SUFFIX))]
    except FileNotFoundError:
        return []  # nothing was ever uploaded here


def _delete(paths: Iterable[Path]) -> int:
    deleted = 0
    for path in paths:
        try:
            path.unlink()
        except FileNotFoundError:
            continue
        deleted += 1
    return deleted
