"""Keeping search documents in step with what the therapist wrote."""

import hashlib
import hmac
from collections.abc import Callable, Iterable

import numpy as np
from django.conf import settings
from django.db import DatabaseError, models, transaction
from django.utils import timezone

from reciprocity.recall import terms
from reciprocity.recall.embedding import MODEL_NAME, embedder
from reciprocity.recall.models import Document, TermsKey, bump
from reciprocity.recall.sources import BY_MODEL, SOURCES, Source

BATCH = 1024  # entries embedded together: larger batches sort into less padding
UNIQUE = ["kind", "object_id"]
REWRITTEN = ["owner", "owner_token", "terms", "vector", "model", "digest", "updated_at"]


def owner_token(owner_id: int) -> str:
    """Every document carries its owner's token, so a full-text match can require it."""
    return f"u{owner_id}"


def _digest(model_name: str, text: str) -> str:
    key = hashlib.sha256(b"reciprocity-recall-digest:" + settings.SECRET_KEY.encode()).digest()
    return hmac.new(key, f"{model_name}\0{text}".encode(), hashlib.sha256).hexdigest()


def index_objects(source: Source, objects: Iterable[models.Model]) -> int:
    """Embed and store the given entries of one kind; unchanged ones are skipped. Returns how many were embedded."""
    objects = list(objects)
    model = embedder()
    existing = {
        d.object_id: d for d in Document.objects.filter(kind=source.kind, object_id__in=[o.pk for o in objects])
    }
    empty, pending = [], []
    for obj in objects:
        text = source.text(obj)
        if not text:
            empty.append(obj.pk)
            continue
        digest = _digest(model.name, text)
        current = existing.get(obj.pk)
        if current is None or current.digest != digest:
            pending.append((obj, text, digest))
    pieces = [terms.passages(text) for _, text, _ in pending]
    flat = model.encode([p for group in pieces for p in group])
    bounds = np.cumsum([0, *(len(group) for group in pieces)])
    vectors = [flat[bounds[n] : bounds[n + 1]] for n in range(len(pieces))]
    now = timezone.now()
    # The documents are built before the transaction, so it holds the write lock only for the statements.
    documents = []
    for (obj, text, digest), vector in zip(pending, vectors, strict=True):
        owner_id = source.owner_id(obj)
        documents.append(Document(
            kind=source.kind, object_id=obj.pk, owner_id=owner_id, owner_token=owner_token(owner_id),
            terms=terms.index_terms(text), vector=vector.astype("<f4").tobytes(), model=model.name,
            digest=digest, updated_at=now,
        ))  # fmt: skip
    with transaction.atomic():
        touched = set(Document.objects.filter(kind=source.kind, object_id__in=empty).values_list("owner_id", flat=True))
        Document.objects.filter(kind=source.kind, object_id__in=empty).delete()
        touched |= {document.owner_id for document in documents}
        # One upsert for the batch: new entries are inserted, changed ones rewritten in place.
        Document.objects.bulk_create(documents, batch_size=500, update_conflicts=True, unique_fields=UNIQUE,
                                     update_fields=REWRITTEN)  # fmt: skip
        bump(touched)
        if documents:  # the first words ever hashed name their key; a later key is noticed (`words_key_changed`)
            TermsKey.objects.bulk_create([TermsKey(pk=1, fingerprint=terms.key_fingerprint())], ignore_conflicts=True)
    return len(pending)


def record_words_key() -> None:
    """Every stored word hash is now made with this installation's key (after everyone's entries were indexed)."""
    TermsKey.objects.update_or_create(pk=1, defaults={"fingerprint": terms.key_fingerprint()})


def words_key_changed() -> str:
    """What to do when the stored word hashes were made with another SECRET_KEY than this installation's (a
    database restored beside a new one); empty when they match, or nothing was hashed yet."""
    try:
        with transaction.atomic():  # a failed read must not abort a transaction around it (PostgreSQL)
            stored = TermsKey.objects.values_list("fingerprint", flat=True).first()
    except DatabaseError:  # a database of a release before the fingerprint: nothing to compare
        return ""
    if stored is None or stored == terms.key_fingerprint():
        return ""
    return (
        "Word search was built under another SECRET_KEY than this installation's, so searching by words finds "
        "nothing (search by meaning still works). Set SECRET_KEY back to the original, or run `reciprocity "
        "reindex` to hash every entry again under this one (it embeds every entry again)."
    )


CHUNK = 500  # ids per query: a deletion of thousands of entries is read in parts


def index_entries(entries: Iterable[tuple[str, int]]) -> None:
    """Bring these entries' documents up to date: written, rewritten, or removed for entries that are gone."""
    by_kind: dict[str, set[int]] = {}
    for kind, object_id in entries:
        by_kind.setdefault(kind, set()).add(object_id)
    for kind, ids in by_kind.items():
        source, ordered = SOURCES[kind], sorted(ids)
        for start in range(0, len(ordered), CHUNK):
            chunk = ordered[start : start + CHUNK]
            found = list(source.entries().filter(pk__in=chunk))
            if gone_ids := set(chunk) - {o.pk for o in found}:
                gone = Document.objects.filter(kind=kind, object_id__in=gone_ids)
                with transaction.atomic():
                    bump(gone.values_list("owner_id", flat=True))
                    gone.delete()
            if found:
                index_objects(source, found)


def index_entry(kind: str, object_id: int) -> None:
    """Bring one entry's document up to date: written, rewritten, or removed when the entry is gone."""
    index_entries([(kind, object_id)])


def entry_of(obj: models.Model) -> tuple[str, int] | None:
    source = BY_MODEL.get(type(obj))
    return (source.kind, obj.pk) if source else None


def reindex(
    owner_ids: Iterable[int], *, force: bool = False, progress: Callable[[int, int], None] | None = None
) -> dict[str, int]:
    """Rebuild the documents of these owners: every entry embedded (or skipped when unchanged), strays removed."""
    owner_ids = list(owner_ids)
    if force:
        Document.objects.filter(owner_id__in=owner_ids).update(digest="")
    total = sum(s.entries().filter(**{f"{s.owner_field}__in": owner_ids}).count() for s in SOURCES.values())
    done = embedded = 0
    for source in SOURCES.values():
        entries = source.entries().filter(**{f"{source.owner_field}__in": owner_ids}).order_by("pk")
        last = 0
        while batch := list(entries.filter(pk__gt=last)[:BATCH]):
            embedded += index_objects(source, batch)
            done += len(batch)
            last = batch[-1].pk
            if progress:
                progress(done, total)
        kept = source.entries().filter(**{f"{source.owner_field}__in": owner_ids}).values("pk")
        strays = Document.objects.filter(owner_id__in=owner_ids, kind=source.kind).exclude(object_id__in=kept)
        bump(strays.values_list("owner_id", flat=True))
        strays.delete()
    return {
        "entries": total,
        "embedded": embedded,
        "documents": Document.objects.filter(owner_id__in=owner_ids).count(),
    }


def owners_of_older_vectors() -> list[int]:
    """The owners with a document whose vectors another model made (an upgrade changed the model).

    Their search keeps working meanwhile (the models agree closely), and `reindex` embeds those entries again.
    """
    documents = Document.objects.exclude(model=MODEL_NAME)
    return list(documents.values_list("owner_id", flat=True).distinct().order_by("owner_id"))
