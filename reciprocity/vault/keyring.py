"""The encryption keys: outside the database, in a key file (mode 0600) or in the environment.

ENCRYPTION_KEYS       "id:base64key,id:base64key" — the first is the one new text is written with; the
                      others can still be read (a clinic deployment keeps keys in its secret store)
ENCRYPTION_KEYS_FILE  a file holding the same, one "id:base64key" a line (not both: which wins would be a guess)
otherwise             RECIPROCITY_DATA_DIR/encryption.keys, generated on first use with mode 0600

The app writes only the data directory's key file: `reciprocity rotate-key` puts a new key first in it and
may leave several keys there while a rotation runs; every process re-reads it when it changes, so the app
keeps running through a rotation. ENCRYPTION_KEYS and ENCRYPTION_KEYS_FILE are the operator's to edit
(docs/deploy.md#keys): the app only reads them.
"""

import base64
import binascii
import os
import secrets
import threading
import time
from dataclasses import dataclass
from pathlib import Path

from django.conf import settings
from django.core.exceptions import ImproperlyConfigured

KEY_BYTES = 32  # AES-256
ID_LENGTH = 8


class RotationRefused(Exception):
    """A rotation cannot start: the operator's keys hold no new key to rotate to; the message says what to do."""


@dataclass(frozen=True)
class Keyring:
    primary: str  # the id new text is encrypted with
    keys: dict[str, bytes]  # every key that can still decrypt
    source: str  # where the keys came from, for messages
    path: Path | None  # the key file, when the keys live in one (None: from the environment)
    is_external: bool = False  # from ENCRYPTION_KEYS or ENCRYPTION_KEYS_FILE: the operator's, never written by us

    def key(self, key_id: str) -> bytes | None:
        return self.keys.get(key_id)


def new_key() -> tuple[str, bytes]:
    return secrets.token_hex(ID_LENGTH // 2), secrets.token_bytes(KEY_BYTES)


def format_keys(entries: list[tuple[str, bytes]]) -> str:
    return "".join(f"{key_id}:{base64.b64encode(key).decode()}\n" for key_id, key in entries)


def parse_keys(text: str, source: str) -> list[tuple[str, bytes]]:
    """Read "id:base64key" entries separated by commas or new lines; the first is the primary."""
    entries: list[tuple[str, bytes]] = []
    for raw in text.replace(",", "\n").splitlines():
        item = raw.strip()
        if not item or item.startswith("#"):
            continue
        key_id, sep, encoded = item.partition(":")
        try:
            key = base64.b64decode(encoded, validate=True)
        except (binascii.Error, ValueError):
            key = b""
        if not sep or not (key_id.isascii() and key_id.isalnum()) or len(key_id) > 16 or len(key) != KEY_BYTES:
            raise ImproperlyConfigured(
                f"{source} holds an entry that is not id:base64key with a {KEY_BYTES}-byte key; "
                "generate one with `reciprocity rotate-key --print-new-key`."
            )
        entries.append((key_id, key))
    if not entries:
        raise ImproperlyConfigured(f"{source} holds no encryption key.")
    if len({key_id for key_id, _ in entries}) != len(entries):
        raise ImproperlyConfigured(f"{source} names the same key id twice.")
    return entries


def key_file_path() -> Path:
    return Path(settings.DATA_DIR) / "encryption.keys"


def write_key_file(path: Path, entries: list[tuple[str, bytes]]) -> None:
    """Replace the key file in one step (a crash leaves the old file or the new one, never half).

    Raises OSError (no such folder, no permission, a full disk) with nothing left behind.
    """
    temporary = path.with_name(f".{path.name}.{os.getpid()}.tmp")
    fd = os.open(temporary, os.O_WRONLY | os.O_CREAT | os.O_TRUNC, 0o600)
    try:
        with os.fdopen(fd, "w") as handle:
            handle.write(format_keys(entries))
            handle.flush()
            os.fsync(handle.fileno())
        os.replace(temporary, path)
    except OSError:
        temporary.unlink(missing_ok=True)
        raise
    _sync_folder(path.parent)


def keep_copy(path: Path) -> Path:
    """Copy a key file beside itself (mode 0600, named NAME.<time>.bak) before it is replaced; returns the copy.

    An earlier copy is never overwritten. Raises OSError with nothing left behind.
    """
    data = path.read_bytes()
    copy, fd = _create_copy_beside(path)
    try:
        with os.fdopen(fd, "wb") as handle:
            handle.write(data)
            handle.flush()
            os.fsync(handle.fileno())
    except OSError:
        copy.unlink(missing_ok=True)
        raise
    _sync_folder(copy.parent)
    return copy


def _create_copy_beside(path: Path) -> tuple[Path, int]:
    """A new, empty file NAME.<time>.bak (NAME.<time>-1.bak when that exists) and its descriptor, mode 0600."""
    stamp, number = time.strftime("%Y%m%d-%H%M%S"), 0
    while True:
        copy = path.with_name(f"{path.name}.{stamp}{f'-{number}' if number else ''}.bak")
        try:
            return copy, os.open(copy, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
        except FileExistsError:
            number += 1


def _sync_folder(folder: Path) -> None:
    """Make a file just created or renamed in this folder survive a crash."""
    directory = os.open(folder, os.O_RDONLY)
    try:
        os.fsync(directory)
    finally:
        os.close(directory)


def _generate(path: Path) -> None:
    try:
        fd = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
    except FileExistsError:
        return
    with os.fdopen(fd, "w") as handle:
        handle.write(format_keys([new_key()]))
        handle.flush()
        os.fsync(handle.fileno())


def _load() -> tuple[Keyring, float | None]:
    text = os.environ.get("ENCRYPTION_KEYS", "").strip()
    named = os.environ.get("ENCRYPTION_KEYS_FILE", "").strip()
    if text and named:  # worded as settings word it for SECRET_KEY and SECRET_KEY_FILE
        raise ImproperlyConfigured("Both ENCRYPTION_KEYS and ENCRYPTION_KEYS_FILE are set; keep one.")
    if text:
        entries = parse_keys(text, "ENCRYPTION_KEYS")
        return Keyring(entries[0][0], dict(entries), "ENCRYPTION_KEYS", None, is_external=True), None
    path = Path(named) if named else key_file_path()
    if not named:
        _generate(path)
    try:
        stamp = path.stat().st_mtime_ns
        entries = parse_keys(path.read_text(), str(path))
    except OSError as error:
        raise ImproperlyConfigured(f"The encryption key file {path} cannot be read: {error.strerror}.") from None
    return Keyring(entries[0][0], dict(entries), str(path), path, is_external=bool(named)), stamp


class _Cache:
    def __init__(self) -> None:
        self.lock = threading.Lock()
        self.ring: Keyring | None = None
        self.stamp: float | None = None

    def current(self, *, fresh: bool = False) -> Keyring:
        """The keyring, re-read whenever its file changed (one stat per call) or when asked to."""
        with self.lock:
            ring = self.ring
            if ring is not None and not fresh:
                if ring.path is None:
                    return ring
                try:
                    if ring.path.stat().st_mtime_ns == self.stamp:
                        return ring
                except OSError:
                    pass
            self.ring, self.stamp = _load()
            return self.ring

    def forget(self) -> None:
        with self.lock:
            self.ring = self.stamp = None


_cache = _Cache()


def keyring(*, fresh: bool = False) -> Keyring:
    return _cache.current(fresh=fresh)


def forget() -> None:
    """Drop the cached keys (settings changed, e.g. another data directory in a test)."""
    _cache.forget()


def retired_keys_path() -> Path:
    return Path(settings.DATA_DIR) / "retired.keys"


def begin_rotation() -> str:
    """Put a new key first in the key file (the old ones stay, to read what is not yet re-encrypted).

    A rotation already under way (more than one key in the file) is resumed: no second new key. The
    operator's keys (ENCRYPTION_KEYS, ENCRYPTION_KEYS_FILE) are never written: the operator puts the new key
    first (docs/deploy.md#keys), and with a single key there is nothing to rotate to (RotationRefused).
    """
    ring = keyring(fresh=True)
    if ring.is_external:
        if len(ring.keys) == 1:
            raise RotationRefused(_add_a_key_first(ring))
        return ring.primary
    if len(ring.keys) > 1:
        return ring.primary
    key_id, key = new_key()
    write_key_file(ring.path, [(key_id, key), *ring.keys.items()])
    return keyring(fresh=True).primary


def finish_rotation() -> list[str]:
    """Drop every key but the primary from the key file, keeping them in retired.keys for old backups."""
    ring = keyring(fresh=True)
    old = [(key_id, key) for key_id, key in ring.keys.items() if key_id != ring.primary]
    if ring.is_external or not old:  # the operator removes the old keys (the command says which)
        return [key_id for key_id, _ in old]
    archive = retired_keys_path()
    kept = parse_keys(archive.read_text(), str(archive)) if archive.exists() else []
    known = {key_id for key_id, _ in kept}
    write_key_file(archive, kept + [entry for entry in old if entry[0] not in known])
    write_key_file(ring.path, [(ring.primary, ring.keys[ring.primary])])
    keyring(fresh=True)
    return [key_id for key_id, _ in old]


def _add_a_key_first(ring: Keyring) -> str:
    where = (
        "first in ENCRYPTION_KEYS, followed by a comma and the current key"
        if ring.path is None
        else f"as the first line of {ring.source}, above the current key"
    )
    return (
        f"The keys come from {ring.source}, which holds one key ({ring.primary}), and rotate-key does not write "
        f"there: that is yours to edit. Add a new key {where} (`reciprocity rotate-key --print-new-key` prints "
        "one), restart the app, then run `reciprocity rotate-key` again. Nothing was changed. See docs/deploy.md#keys."
    )
