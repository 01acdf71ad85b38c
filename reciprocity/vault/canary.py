"""Keys that cannot be lost silently: a check value sealed at first start, opened before anything is written.

The worst failure of an installation whose text is encrypted is a wrong key: a key file that was not
mounted (and so was generated afresh), an ENCRYPTION_KEYS pasted from another practice, a database
restored beside the wrong keys. Every text written then would be sealed under a key the old text does not
know. So the first process that starts on a database seals a known text (the canary) with the primary
key, and `serve`, `worker` and every command that writes open it first (`require_keys`): when it does not
open, they stop with a message that names the key the database needs and where the keys came from.

A database made before the canary has none: its stored text is sampled instead, and the canary is sealed
once that text opens.
"""

import secrets
import sys
from typing import TextIO

from django.db import DatabaseError, IntegrityError, connection, transaction
from django.db.models import TextField
from django.db.models.functions import Cast

from reciprocity.vault.cipher import DecryptionError, decrypt_text, key_id_of
from reciprocity.vault.fields import encrypted_fields
from reciprocity.vault.keyring import Keyring, keyring
from reciprocity.vault.models import KeyCanary
from reciprocity.vault.rotation import stored_column

DOCS = "docs/deploy.md#keys"
PREFIX = "reciprocity key canary "
SAMPLE = 5  # stored values read per encrypted column of a database without a canary


class KeysMismatch(Exception):
    """The configured keys cannot open what the database holds; the message says which key is needed."""


def _aad() -> str:
    return KeyCanary._meta.get_field("sealed").associated_data


def _has_table() -> bool:
    return KeyCanary._meta.db_table in connection.introspection.table_names()


def _stored_canary() -> str | None:
    return KeyCanary.objects.annotate(raw=Cast("sealed", TextField())).values_list("raw", flat=True).first()


def _opens(stored: str) -> bool:
    try:
        return decrypt_text(stored, aad=_aad()).startswith(PREFIX)
    except DecryptionError:
        return False


def unreadable_sample() -> list[str | None]:
    """The key ids of sampled stored values the configured keys cannot open (None: a damaged value)."""
    failing = []
    for model, fields in encrypted_fields():
        for field in fields:
            base = model._base_manager.exclude(**{f"{field.attname}__isnull": True}).order_by("-pk")
            raw = base.annotate(raw=stored_column(field)).values_list("raw", flat=True)
            try:
                with transaction.atomic():  # a table or column an older schema lacks: skip it, nothing else
                    values = [value for value in raw[:SAMPLE] if value]
            except DatabaseError:
                continue
            for value in values:
                try:
                    field.from_db_value(value, None, connection)
                except DecryptionError:
                    failing.append(field.key_id_of(value))
    return failing


def explain(needed: list[str | None], ring: Keyring) -> str:
    """Which key the database needs, which keys were given and where, and what to do."""
    ids = sorted({key_id for key_id in needed if key_id})
    given = f"{ring.source} (key {', '.join(sorted(ring.keys))})"
    missing = [key_id for key_id in ids if key_id not in ring.keys]
    if missing:
        what = (
            f"The database's text is sealed with key {', '.join(missing)}, which is not among the keys in {given}. "
            "If the key file was lost or not mounted, a new one was made in its place: put the original back "
            "(from the copy `reciprocity keys export` wrote, with `reciprocity keys open`), or point "
            "ENCRYPTION_KEYS_FILE at it."
        )
    elif ids:
        what = f"The key {', '.join(ids)} in {ring.source} is not the key the database was written with (other bytes)."
    else:
        what = f"Stored text is damaged or is not Reciprocity's; the keys in {given} cannot open it."
    return f"{what} Nothing was written. See {DOCS}."


def verify(*, create: bool = True) -> str:
    """Check the configured keys against the database: "ok", "created" (the canary was sealed now, on first
    start), "unsealed" (it opens, but `create` was off) or "empty" (no tables yet). Raises KeysMismatch."""
    ring = keyring(fresh=True)
    has_table = _has_table()
    stored = _stored_canary() if has_table else None
    if stored is not None:
        if not _opens(stored):
            raise KeysMismatch(explain([key_id_of(stored)], ring))
        return "ok"
    if failing := unreadable_sample():
        raise KeysMismatch(explain(failing, ring))
    if not has_table:  # a database of a release before the canary (sealed once upgraded), or a new one
        return "unsealed" if connection.introspection.table_names() else "empty"
    if not create:
        return "unsealed"
    try:
        with transaction.atomic():
            KeyCanary.objects.create(pk=1, sealed=PREFIX + secrets.token_hex(16))
    except IntegrityError:  # another process sealed it first, perhaps with other keys: open theirs
        return verify(create=False)
    return "created"


FIRST_START = (
    "Reciprocity sealed its key check with encryption key {key} (kept in {source}). Without that key no "
    "text can ever be read again: run `reciprocity keys export` now and keep the file it writes, and its "
    "passphrase, in the practice's safe. See " + DOCS + "."
)


def require_keys(stream: TextIO | None = None) -> None:
    """For a process about to write: stop (KeysMismatch) unless the keys open the database's canary; on first
    start, seal it and tell the administrator to keep a copy of the keys."""
    if verify(create=True) == "created":
        ring = keyring()
        print(FIRST_START.format(key=ring.primary, source=ring.source), file=stream or sys.stderr)
