"""Re-encrypting stored text: under a new key (`reciprocity rotate-key`) or for the first time.

The work goes table by table in small batches, each its own transaction, so the app keeps serving and
an interrupted run leaves every row readable (under the old key or the new one) and simply resumes.
A row is rewritten only if its stored ciphertext is still the one that was read: an edit made by the
app in the meantime is never overwritten with the older text.
"""

from collections.abc import Callable, Iterable
from dataclasses import dataclass

from django.db import models, transaction
from django.db.models.functions import Cast

from reciprocity.vault.cipher import TEXT_PREFIX
from reciprocity.vault.fields import EncryptedTextField, encrypted_fields
from reciprocity.vault.keyring import keyring

BATCH = 500


@dataclass
class Progress:
    table: str
    rewritten: int


def _stored(field: EncryptedTextField) -> Cast:
    """The column as stored, past the field's decryption (for asking which key wrote it)."""
    return Cast(field.attname, models.TextField())


def _stale(model: type[models.Model], field: EncryptedTextField, primary: str) -> models.QuerySet:
    """Rows whose value is not (yet) under the primary key: plain text, or another key's ciphertext."""
    rows = model.objects.annotate(stored=_stored(field)).exclude(stored="").exclude(stored__isnull=True)
    return rows.exclude(stored__startswith=f"{TEXT_PREFIX}{primary}:")


def _raw(model: type[models.Model], pks: list[int], field: EncryptedTextField) -> dict[int, str]:
    """The stored (encrypted) values, read past the field's decryption."""
    rows = model.objects.filter(pk__in=pks).annotate(stored=_stored(field))
    return dict(rows.values_list("pk", "stored"))


def reencrypt_model(
    model: type[models.Model], fields: Iterable[EncryptedTextField], *, on_batch: Callable[[int], None] | None = None
) -> int:
    """Bring every value of these columns under the primary key; returns how many values were rewritten."""
    rewritten = 0
    for field in fields:
        last_pk = 0
        while True:
            primary = keyring().primary
            pks = list(
                _stale(model, field, primary).filter(pk__gt=last_pk).order_by("pk").values_list("pk", flat=True)[:BATCH]
            )
            if not pks:
                break
            with transaction.atomic():
                stored = _raw(model, pks, field)
                plain = dict(model.objects.filter(pk__in=pks).values_list("pk", field.attname))
                for pk in pks:
                    if pk in stored and pk in plain:
                        rewritten += model.objects.filter(pk=pk, **{field.attname: stored[pk]}).update(
                            **{field.attname: plain[pk]}
                        )
            last_pk = pks[-1]
            if on_batch is not None:
                on_batch(len(pks))
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
    return sum(_stale(model, f, primary).count() for model, fields in encrypted_fields() for f in fields)
