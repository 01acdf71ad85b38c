"""Every saved, edited or deleted entry asks for its search document to follow, through the task queue.

The request is queued once the write has committed, in every task mode. With the immediate runner the
embedding then runs after the commit, still within the request, so a reflection is searchable when its
page answers; with the database runner the worker picks it up. Either way no write transaction is open
while the model runs: on SQLite that transaction would hold the one write lock every other writer needs.
"""

from typing import Any

from django.db import models, transaction
from django.db.models.signals import post_delete, post_save

from reciprocity.recall.sources import BY_MODEL, PARTS_OF_ENTRIES, SOURCES


class _Batch:
    """The entries of one owner that the current transaction changed, queued as one task when it commits."""

    def __init__(self, owner_id: int) -> None:
        self.owner_id = owner_id
        self.entries: dict[tuple[str, int], None] = {}  # in order, each once

    def __call__(self) -> None:
        from reciprocity.recall import tasks

        tasks.index_entries.enqueue(self.owner_id, [[kind, pk] for kind, pk in self.entries])


def index_after_commit(kind: str, object_id: int, owner_id: int) -> None:
    """Queue the indexing of one entry for when the current transaction commits (at once outside one).

    The entries one transaction changes go together, one task per owner: deleting a client with a
    hundred sessions, or an account, indexes once, not once per reflection. An entry that a rolled-back
    savepoint changed may be indexed needlessly; indexing finds it unchanged (or gone) and leaves it so.
    """
    connection = transaction.get_connection()
    pending = [f for _, f, _ in connection.run_on_commit] if connection.in_atomic_block else []
    queued = next((f for f in reversed(pending) if isinstance(f, _Batch) and f.owner_id == owner_id), None)
    batch = queued or _Batch(owner_id)
    batch.entries[kind, object_id] = None
    if queued is None:
        transaction.on_commit(batch)  # outside a transaction it runs now, so the entry is in it first


def _saved(sender: type[models.Model], instance: models.Model, **kwargs: Any) -> None:
    source = BY_MODEL[sender]
    if source.applies(instance):
        owner_id = source.owner_id(instance)
        index_after_commit(source.kind, instance.pk, owner_id)
        for kind, pk in source.dependents(instance):
            index_after_commit(kind, pk, owner_id)


def _deleted(sender: type[models.Model], instance: models.Model, **kwargs: Any) -> None:
    source = BY_MODEL[sender]
    if source.applies(instance):
        index_after_commit(source.kind, instance.pk, source.owner_id(instance))


def _part_changed(sender: type[models.Model], instance: models.Model, **kwargs: Any) -> None:
    kind, attribute = PARTS_OF_ENTRIES[sender]
    source, entry, related = SOURCES[kind], getattr(instance, attribute), attribute.removesuffix("_id")
    if getattr(sender, related).is_cached(instance):  # the entry is at hand (a form saved it with its answers)
        owner_id = source.owner_id(getattr(instance, related))
    else:
        owner_id = source.owner_of(entry)
    if owner_id is not None:  # an entry already gone took its document with it, through its own signal
        index_after_commit(kind, entry, owner_id)


def connect() -> None:
    for model in BY_MODEL:
        post_save.connect(_saved, sender=model, dispatch_uid=f"recall-save-{model.__name__}")
        post_delete.connect(_deleted, sender=model, dispatch_uid=f"recall-delete-{model.__name__}")
    for model in PARTS_OF_ENTRIES:  # an answer to a prompt is part of its reflection's text
        post_save.connect(_part_changed, sender=model, dispatch_uid=f"recall-save-{model.__name__}")
        post_delete.connect(_part_changed, sender=model, dispatch_uid=f"recall-delete-{model.__name__}")
