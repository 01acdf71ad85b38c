"""One search document per entry a therapist wrote: its vector and its (hashed) words, never its text."""

from collections.abc import Iterable
from typing import ClassVar

import numpy as np
from django.conf import settings
from django.db import models

from reciprocity.recall.embedding import DIMENSIONS
from reciprocity.vault.fields import EncryptedBinaryField


class Kind(models.TextChoices):
    REFLECTION = "reflection", "Reflection"
    ITEM = "item", "Repertoire item"
    TRIAL = "trial", "Tried it on myself"
    CHECKIN = "checkin", "Check-in note"


class Document(models.Model):
    owner = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="+")
    kind = models.CharField(max_length=12, choices=Kind.choices)
    object_id = models.PositiveBigIntegerField()
    # Hashed stems for the full-text index (recall/terms.py); the SQLite FTS5 table (with `owner`, the
    # owner's token) and the PostgreSQL GIN index are built on these columns by migration 0002.
    owner_token = models.CharField(max_length=24, db_column="owner")
    terms = models.TextField()
    # One float32 (little-endian, unit length) row per passage: the whole text first, then its sentences.
    vector = EncryptedBinaryField()  # encrypted at rest like the text it stands for
    model = models.CharField(max_length=64)
    digest = models.CharField(max_length=64)  # keyed hash of the embedded text: unchanged text is not re-embedded
    updated_at = models.DateTimeField()

    class Meta:
        constraints: ClassVar[list[models.BaseConstraint]] = [
            models.UniqueConstraint(fields=["kind", "object_id"], name="recall_one_document_per_entry"),
            models.CheckConstraint(condition=models.Q(kind__in=Kind.values), name="recall_known_kind"),
        ]
        indexes: ClassVar[list[models.Index]] = [models.Index(fields=["owner", "updated_at"])]

    def __str__(self) -> str:
        return f"{self.kind} {self.object_id}"

    def as_array(self) -> np.ndarray:
        """The passages' vectors, one row each; row 0 is the whole text."""
        return np.frombuffer(bytes(self.vector), dtype="<f4").reshape(-1, DIMENSIONS)


class TermsKey(models.Model):
    """Which secret key the stored word hashes were made with (a fingerprint of the key, never the key): a
    database restored beside another SECRET_KEY finds nothing by words, and this is how that is noticed."""

    fingerprint = models.CharField(max_length=16)

    def __str__(self) -> str:
        return self.fingerprint


class Generation(models.Model):
    """Counts the changes to one owner's documents, so a cached vector matrix knows in one lookup that it is stale."""

    owner = models.OneToOneField(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, primary_key=True, related_name="+")
    number = models.BigIntegerField(default=0)

    def __str__(self) -> str:
        return f"{self.owner_id}: {self.number}"


def bump(owner_ids: Iterable[int]) -> None:
    """Every owner whose documents were written or deleted gets a new generation."""
    owner_ids = set(owner_ids)
    if not owner_ids:
        return
    Generation.objects.filter(owner_id__in=owner_ids).update(number=models.F("number") + 1)
    have = set(Generation.objects.filter(owner_id__in=owner_ids).values_list("owner_id", flat=True))
    Generation.objects.bulk_create(
        [Generation(owner_id=pk, number=1) for pk in owner_ids - have], ignore_conflicts=True
    )
