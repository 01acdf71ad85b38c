"""Recall's part of a person's data: the search index built from their entries, which erasure empties first."""

from collections import Counter
from typing import Any

from django.db import connection

from reciprocity.lib.personal_data import Part, TaskFilter
from reciprocity.practice.models import User
from reciprocity.recall import vectors
from reciprocity.recall.models import Document
from reciprocity.recall.sources import SOURCES

TASKS = "reciprocity.recall.tasks."


def erase_index(user: User) -> Counter:
    """Delete the person's search documents (their triggers clear the full-text index), then merge it."""
    deleted = Counter(Document.objects.filter(owner=user).delete()[1])
    if connection.vendor == "sqlite":
        with connection.cursor() as cursor:
            # Merge the full-text index, so deleted terms leave its segments, not just get marked.
            cursor.execute("INSERT INTO recall_fts(recall_fts) VALUES ('optimize')")
    return deleted


def queued_indexing(user: User) -> TaskFilter:
    """Whether a queued indexing task names this person or one of their entries (read before they go)."""
    entries = {
        (kind, pk)
        for kind, source in SOURCES.items()
        for pk in source.owned_by(user.pk).values_list("pk", flat=True).iterator(chunk_size=2000)
    }

    def names_the_person(path: str, call: Any) -> bool:
        args, kwargs = list(call.get("args") or []), dict(call.get("kwargs") or {})
        if path in {f"{TASKS}index_owner", f"{TASKS}index_entries"}:  # the entries of one owner
            return (dict(zip(["owner_id"], args, strict=False)) | kwargs).get("owner_id") == user.pk
        if path == f"{TASKS}index_entry":
            named = dict(zip(["kind", "object_id"], args, strict=False)) | kwargs
            return (named.get("kind"), named.get("object_id")) in entries
        return False

    return names_the_person


PART = Part(
    not_exported={
        "recall.Document": "the search index, derived from the entries (hashed words and vectors)",
        "recall.Generation": "a counter of search index changes",
    },
    erase_first=erase_index,
    queued_work=queued_indexing,
    after_erasure=vectors.clear,  # this process's cached matrices; others reload when the generation changes
)
