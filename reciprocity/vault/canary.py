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

from django.db import IntegrityError, connection, models, transaction
from django.db.models import Case, F, TextField, Value, When
from django.db.models.functions import Cast, StrIndex, Substr

from reciprocity.vault.cipher import BLOB_PREFIX, TEXT_PREFIX, DecryptionError, decrypt_text, key_id_of
from reciprocity.vault.fields import EncryptedField, encrypted_fields
from reciprocity.vault.keyring import Keyring, keyring, parse_keys, retired_keys_path
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
    present = _present_columns()  # a table or column an older schema lacks is left out, nothing else
    for model, fields in encrypted_fields():
        for field in fields:
            if (model._meta.db_table, field.column) not in present:
                continue
            base = model._base_manager.exclude(**{f"{field.attname}__isnull": True}).order_by("-pk")
            raw = base.annotate(raw=stored_column(field)).values_list("raw", flat=True)
            for value in [value for value in raw[:SAMPLE] if value]:
                try:
                    field.from_db_value(value, None, connection)
                except DecryptionError:
                    failing.append(field.key_id_of(value))
    return failing


def stored_key_ids() -> dict[str, set[str]]:
    """Every key id the stored text and bytes were sealed with, with the models that hold some under it: asked
    of every row, not a sample (a backup taken while a rotation ran holds text under two keys). A table or
    column an older schema lacks is left out; nothing else is."""
    found: dict[str, set[str]] = {}
    present = _present_columns()
    for model, fields in encrypted_fields():
        for field in fields:
            if (model._meta.db_table, field.column) not in present:
                continue
            for key_id in _key_ids_in(model, field):
                found.setdefault(key_id, set()).add(model._meta.label)
    return found


def _present_columns() -> set[tuple[str, str]]:
    """(table, column) of the encrypted columns this database has."""
    tables = set(connection.introspection.table_names())
    with connection.cursor() as cursor:
        return {
            (model._meta.db_table, column.name)
            for model, _ in encrypted_fields()
            if model._meta.db_table in tables
            for column in connection.introspection.get_table_description(cursor, model._meta.db_table)
        }


def _key_ids_in(model: type[models.Model], field: EncryptedField) -> set[str]:
    """The key ids of one column: the database cuts each text's id out itself ("enc1:<id>:..."), one row per id;
    for bytes, whose functions differ between databases, the head of each value is read and cut here. A value
    too damaged to name a key is for the key check and the sample to refuse, not counted here."""
    rows = model._base_manager.annotate(stored=stored_column(field)).order_by()
    if isinstance(field, models.BinaryField):
        heads = rows.exclude(stored__isnull=True).annotate(head=Substr("stored", 1, len(BLOB_PREFIX) + 17))
        return {key_id for head in heads.values_list("head", flat=True).iterator(chunk_size=5000)
                if (key_id := field.key_id_of(head))}  # fmt: skip
    start = len(TEXT_PREFIX) + 1
    colon = StrIndex(Substr("stored", start), Value(":"))  # 0 when there is none: a length of -1 fails on PostgreSQL
    length = Case(When(colon__gt=0, then=F("colon") - 1), default=Value(0))
    sealed = rows.filter(stored__startswith=TEXT_PREFIX).annotate(colon=colon, key_id=Substr("stored", start, length))
    return set(sealed.exclude(colon=0).values_list("key_id", flat=True).distinct())


def missing_keys(ring: Keyring | None = None) -> dict[str, set[str]]:
    """The key ids stored text needs that the configured keys lack, with the models that hold text under them."""
    known = (ring or keyring(fresh=True)).keys
    return {key_id: labels for key_id, labels in stored_key_ids().items() if key_id not in known}


def retired_among(key_ids: set[str]) -> set[str]:
    """Those of these key ids that a rotation retired to retired.keys (kept there for old backups)."""
    retired = retired_keys_path()
    if not key_ids or not retired.exists():
        return set()
    return key_ids & {key_id for key_id, _ in parse_keys(retired.read_text(), str(retired))}


def explain_missing(missing: dict[str, set[str]], ring: Keyring) -> str:
    """Which keys the stored text needs beyond the configured ones, what holds text under them, where to look."""
    ids = set(missing)
    holding = ", ".join(sorted({label for labels in missing.values() for label in labels}))
    retired = retired_among(ids)
    where = (
        f"A key rotation retired {', '.join(sorted(retired))} to {retired_keys_path()}: put its line back into the "
        "key file, after the current key, then run `reciprocity rotate-key` to bring that text under the current key."
        if retired
        else "Put the key back from the copy `reciprocity keys export` wrote (with `reciprocity keys open`), or "
        "point ENCRYPTION_KEYS_FILE at a file that holds it."
    )
    return (
        f"Some stored text ({holding}) is sealed with key {', '.join(sorted(ids))}, which is not among the keys in "
        f"{ring.source} (key {', '.join(sorted(ring.keys))}). Until it is back, that text cannot be read or "
        f"exported. {where} See {DOCS}."
    )


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
