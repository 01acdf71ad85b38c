"""A copy of the encryption keys for the practice's safe, sealed with a passphrase.

The keys (and any retired by a rotation, which old backups need) are sealed with AES-256-GCM under a key
derived from the passphrase with scrypt (n = 2**17, r = 8, p = 1: about 128 MiB and a fraction of a second
per try, so guessing a passphrase is slow). The file is text, so it can be printed as well as stored.
"""

import base64
import binascii
import json
import os

from cryptography.exceptions import InvalidTag
from cryptography.hazmat.primitives.ciphers.aead import AESGCM
from cryptography.hazmat.primitives.kdf.scrypt import Scrypt

BEGIN, END = "-----BEGIN RECIPROCITY KEYS-----", "-----END RECIPROCITY KEYS-----"
AAD = b"reciprocity-sealed-keys-1"
SALT_BYTES, NONCE_BYTES = 16, 12
SCRYPT = {"length": 32, "n": 2**17, "r": 8, "p": 1}
MIN_PASSPHRASE = 12


class SealedKeysError(Exception):
    """A passphrase too short, a file that is not sealed keys, or a passphrase that does not open it."""


def _derive(passphrase: str, salt: bytes) -> bytes:
    return Scrypt(salt=salt, **SCRYPT).derive(passphrase.encode())


def seal(keys: str, retired: str, passphrase: str, *, note: str = "") -> str:
    """The keys (and the retired ones) sealed with the passphrase, as printable text."""
    if len(passphrase) < MIN_PASSPHRASE:
        raise SealedKeysError(f"The passphrase must be at least {MIN_PASSPHRASE} characters long.")
    salt, nonce = os.urandom(SALT_BYTES), os.urandom(NONCE_BYTES)
    payload = json.dumps({"keys": keys, "retired": retired}).encode()
    sealed = AESGCM(_derive(passphrase, salt)).encrypt(nonce, payload, AAD)
    body = base64.b64encode(salt + nonce + sealed).decode()
    lines = [body[i : i + 64] for i in range(0, len(body), 64)]
    header = "Reciprocity's encryption keys, sealed with a passphrase. Open with `reciprocity keys open FILE`."
    return "\n".join([header, *([note] if note else []), BEGIN, *lines, END]) + "\n"


def open_sealed(text: str, passphrase: str) -> tuple[str, str]:
    """(keys, retired keys) from a sealed copy; SealedKeysError when it is not one or the passphrase is wrong."""
    start, end = text.find(BEGIN), text.find(END)
    if start < 0 or end < start:
        raise SealedKeysError("This file is not a sealed copy of Reciprocity's keys.")
    try:
        raw = base64.b64decode("".join(text[start + len(BEGIN) : end].split()), validate=True)
    except (binascii.Error, ValueError):
        raise SealedKeysError("The sealed keys are damaged: the text between the markers is not base64.") from None
    salt, nonce, sealed = raw[:SALT_BYTES], raw[SALT_BYTES : SALT_BYTES + NONCE_BYTES], raw[SALT_BYTES + NONCE_BYTES :]
    try:
        payload = json.loads(AESGCM(_derive(passphrase, salt)).decrypt(nonce, sealed, AAD))
    except (InvalidTag, ValueError):
        raise SealedKeysError("The passphrase does not open this file (or the file was altered).") from None
    return payload["keys"], payload.get("retired", "")
