"""Re-encrypting stored text: under a new key (`reciprocity rotate-key`) or for the first time.

The work goes table by table in small batches, each its own transaction, so the app keeps serving and
an interrupted run leaves every row readable (under the old key or the new one) and simply resumes.
A row is rewritten only if its stored ciphertext is still the one that was read: an edit made by the
app in the meantime is never overwritten with the older text.
"""

from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass
from typing import Any

from django.db import models, transaction
from django.db.models.functions import Cast

from reciprocity.vault.fields import EncryptedField, encrypted_fields
from reciprocity.vault.keyring import keyring

BATCH = 500


@dataclass
class Progress:
    table: str
    rewritten: int


def stored_column(field: EncryptedField) -> Cast:
    """The column as stored, past the field's decryption (for asking which key wrote it)."""
    base = models.BinaryField() if isinstance(field, models.BinaryField) else models.TextField()
    return Cast(field.attname, base)


def _stale_batches(model: type[models.Model], field: EncryptedField, primary: str) -> Iterator[list[tuple[int, Any]]]:
    """(pk, stored value) of the rows not (yet) under the primary key — plain, or another key's — a batch at a time."""
    last_pk = 0
    while True:
        rows = list(
            model.objects.filter(pk__gt=last_pk)
            .order_by("pk")
            .annotate(stored=stored_column(field))
            .values_list("pk", "stored")[:BATCH]
        )
        if not rows:
            return
        last_pk = rows[-1][0]
        stale = [(pk, value) for pk, value in rows if value and field.key_id_of(value) != primary]
        if stale:
            yield stale


def reencrypt_model(
    model: type[models.Model], fields: Iterable[EncryptedField], *, on_batch: Callable[[int], None] | None = None
) -> int:
    """Bring every value of these columns under the primary key; returns how many values were rewritten."""
    rewritten = 0
    for field in fields:
        for batch in _stale_batches(model, field, keyring().primary):
            with transaction.atomic():
                plain = dict(model.objects.filter(pk__in=[pk for pk, _ in batch]).values_list("pk", field.attname))
                for pk, stored in batch:
                    if pk in plain:  # rewritten only if nobody changed it since it was read
                        changed = model.objects.filter(pk=pk, **{field.attname: stored})
                        rewritten += changed.update(**{field.attname: plain[pk]})
            if on_batch is not None:
                on_batch(len(batch))
    return rewritten


def reencrypt_all(*, on_batch: Callable[[str, int], None] | None = None) -> list[Progress]:
    """Every encrypted column of every model, under the primary key."""
    done = []
    for model, fields in encrypted_fields():
        label = model._meta.label

        def report(count: int, label: str = label) -> None:
            if on_batch is not None:
                on_batch(label, count)

        done.append(Progress(label, reencrypt_model(model, fields, on_batch=report)))
    return done


def stale_count() -> int:
    """Values not under the primary key (0 once a rotation has finished)."""
    primary = keyring().primary
    return sum(
        len(batch)
        for model, fields in encrypted_fields()
        for field in fields
        for batch in _stale_batches(model, field, primary)
    )
