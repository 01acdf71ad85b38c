"""Every saved, edited or deleted entry asks for its search document to follow, through the task queue.

The request is queued once the write has committed, in every task mode. With the immediate runner the
embedding then runs after the commit, still within the request, so a reflection is searchable when its
page answers; with the database runner the worker picks it up. Either way no write transaction is open
while the model runs: on SQLite that transaction would hold the one write lock every other writer needs.
"""

from typing import Any

from django.db import models, transaction
from django.db.models.signals import post_delete, post_save

from reciprocity.recall.sources import BY_MODEL, PARTS_OF_ENTRIES


def index_after_commit(kind: str, object_id: int) -> None:
    """Queue the indexing of one entry for when the current transaction commits (at once outside one)."""
    from reciprocity.recall import tasks

    transaction.on_commit(lambda: tasks.index_entry.enqueue(kind, object_id))


def _saved(sender: type[models.Model], instance: models.Model, **kwargs: Any) -> None:
    source = BY_MODEL[sender]
    if source.applies(instance):
        index_after_commit(source.kind, instance.pk)
        for kind, pk in source.dependents(instance):
            index_after_commit(kind, pk)


def _deleted(sender: type[models.Model], instance: models.Model, **kwargs: Any) -> None:
    source = BY_MODEL[sender]
    if source.applies(instance):
        index_after_commit(source.kind, instance.pk)


def _part_changed(sender: type[models.Model], instance: models.Model, **kwargs: Any) -> None:
    kind, attribute = PARTS_OF_ENTRIES[sender]
    index_after_commit(kind, getattr(instance, attribute))  # an entry already gone only loses its document


def connect() -> None:
    for model in BY_MODEL:
        post_save.connect(_saved, sender=model, dispatch_uid=f"recall-save-{model.__name__}")
        post_delete.connect(_deleted, sender=model, dispatch_uid=f"recall-delete-{model.__name__}")
    for model in PARTS_OF_ENTRIES:  # an answer to a prompt is part of its reflection's text
        post_save.connect(_part_changed, sender=model, dispatch_uid=f"recall-save-{model.__name__}")
        post_delete.connect(_part_changed, sender=model, dispatch_uid=f"recall-delete-{model.__name__}")
