"""Authenticated encryption (AES-256-GCM) of text fields, byte strings and whole files.

A text field is stored as "enc1:<key id>:<base64 of nonce + ciphertext + tag>". The field's name is
bound in as associated data, so a ciphertext copied into another column does not decrypt. Files (backups)
are written as a header naming the key, then chunks of at most 1 MiB, each sealed on its own with
its position and a last-chunk flag bound in, so a truncated, reordered or altered file is refused.
"""

import base64
import binascii
import os
import struct
from typing import BinaryIO

from cryptography.exceptions import InvalidTag
from cryptography.hazmat.primitives.ciphers.aead import AESGCM

from reciprocity.vault.keyring import keyring

TEXT_PREFIX = "enc1:"
FILE_MAGIC = b"RCPVAULT1\n"
NONCE_BYTES = 12
CHUNK = 1 << 20


class DecryptionError(Exception):
    """A ciphertext that cannot be opened: unknown key (`key_id` names it), altered bytes, or not ours at all."""

    def __init__(self, message: str, *, key_id: str | None = None) -> None:
        super().__init__(message)
        self.key_id = key_id


def _key(key_id: str) -> bytes:
    ring = keyring()
    key = ring.key(key_id)
    if key is None:  # written by a process that already has a newer key file: read it again
        key = keyring(fresh=True).key(key_id)
    if key is None:
        raise DecryptionError(
            f"The key {key_id!r} is not in {ring.source}; without it this text cannot be read.", key_id=key_id
        )
    return key


def encrypt_bytes(data: bytes, *, aad: bytes = b"") -> tuple[str, bytes]:
    """Seal data with the primary key: (key id, nonce + ciphertext + tag)."""
    ring = keyring()
    nonce = os.urandom(NONCE_BYTES)
    return ring.primary, nonce + AESGCM(ring.keys[ring.primary]).encrypt(nonce, data, aad)


def decrypt_bytes(key_id: str, sealed: bytes, *, aad: bytes = b"") -> bytes:
    try:
        return AESGCM(_key(key_id)).decrypt(sealed[:NONCE_BYTES], sealed[NONCE_BYTES:], aad)
    except (InvalidTag, ValueError):
        raise DecryptionError("The encrypted data was altered or belongs elsewhere; it cannot be read.") from None


def encrypt_text(text: str, *, aad: str = "") -> str:
    key_id, sealed = encrypt_bytes(text.encode(), aad=aad.encode())
    return f"{TEXT_PREFIX}{key_id}:{base64.b64encode(sealed).decode()}"


def is_encrypted(stored: str) -> bool:
    return stored.startswith(TEXT_PREFIX)


def key_id_of(stored: str) -> str | None:
    if not is_encrypted(stored):
        return None
    return stored[len(TEXT_PREFIX) :].partition(":")[0]


def decrypt_text(stored: str, *, aad: str = "") -> str:
    """The plain text of a stored value; text stored before encryption was switched on is returned as is."""
    if not is_encrypted(stored):
        return stored
    key_id, _, encoded = stored[len(TEXT_PREFIX) :].partition(":")
    try:
        sealed = base64.b64decode(encoded, validate=True)
    except (binascii.Error, ValueError):
        raise DecryptionError("The encrypted text is damaged; it cannot be read.") from None
    return decrypt_bytes(key_id, sealed, aad=aad.encode()).decode()


BLOB_PREFIX = TEXT_PREFIX.encode()


def encrypt_blob(data: bytes, *, aad: str = "") -> bytes:
    """Bytes as stored in a binary column: b"enc1:<key id>:" + nonce + ciphertext + tag."""
    key_id, sealed = encrypt_bytes(data, aad=aad.encode())
    return BLOB_PREFIX + key_id.encode() + b":" + sealed


def blob_key_id(stored: bytes) -> str | None:
    if not stored.startswith(BLOB_PREFIX):
        return None
    return stored[len(BLOB_PREFIX) :].partition(b":")[0].decode(errors="replace")


def decrypt_blob(stored: bytes, *, aad: str = "") -> bytes:
    """The plain bytes of a stored value; bytes stored before encryption was switched on are returned as is."""
    if not stored.startswith(BLOB_PREFIX):
        return stored
    key_id, _, sealed = stored[len(BLOB_PREFIX) :].partition(b":")
    return decrypt_bytes(key_id.decode(errors="replace"), sealed, aad=aad.encode())


def _chunk_aad(aad: bytes, index: int, last: bool) -> bytes:
    return aad + struct.pack(">Q?", index, last)


def encrypt_stream(src: BinaryIO, dst: BinaryIO, *, aad: bytes = b"") -> None:
    """Encrypt a whole file with the primary key, chunk by chunk (memory stays at about one chunk)."""
    ring = keyring()
    key_id = ring.primary
    cipher = AESGCM(ring.keys[key_id])
    dst.write(FILE_MAGIC + key_id.encode().ljust(16, b" "))
    index = 0
    chunk = src.read(CHUNK)
    while True:
        following = src.read(CHUNK)
        last = not following
        nonce = os.urandom(NONCE_BYTES)
        sealed = cipher.encrypt(nonce, chunk, _chunk_aad(aad, index, last))
        dst.write(struct.pack(">I", len(sealed)) + nonce + sealed)
        if last:
            return
        chunk, index = following, index + 1


def decrypt_stream(src: BinaryIO, dst: BinaryIO, *, aad: bytes = b"") -> None:
    """Reverse encrypt_stream; raise DecryptionError on a wrong key, altered, reordered or truncated file."""
    header = src.read(len(FILE_MAGIC) + 16)
    if len(header) != len(FILE_MAGIC) + 16 or not header.startswith(FILE_MAGIC):
        raise DecryptionError("This is not an encrypted Reciprocity file.")
    cipher = AESGCM(_key(header[len(FILE_MAGIC) :].decode(errors="replace").strip()))
    index = 0
    while True:
        size_bytes = src.read(4)
        if len(size_bytes) != 4:
            raise DecryptionError("The encrypted file ends too early: it was cut short.")
        (size,) = struct.unpack(">I", size_bytes)
        nonce, sealed = src.read(NONCE_BYTES), src.read(size)
        if len(nonce) != NONCE_BYTES or len(sealed) != size or size > CHUNK + 16:
            raise DecryptionError("The encrypted file ends too early: it was cut short.")
        last = False
        try:
            plain = cipher.decrypt(nonce, sealed, _chunk_aad(aad, index, False))
        except InvalidTag:
            try:
                plain = cipher.decrypt(nonce, sealed, _chunk_aad(aad, index, True))
                last = True
            except InvalidTag:
                raise DecryptionError("The encrypted file was altered; it cannot be read.") from None
        dst.write(plain)
        if last:
            if src.read(1):
                raise DecryptionError("The encrypted file has bytes after its end; it was altered.")
            return
        index += 1
