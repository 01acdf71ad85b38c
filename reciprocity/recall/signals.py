"""Every saved, edited or deleted entry asks for its search document to follow, through the task queue."""

from typing import Any

from django.db import models
from django.db.models.signals import post_delete, post_save

from reciprocity.recall.sources import BY_MODEL


def _saved(sender: type[models.Model], instance: models.Model, **kwargs: Any) -> None:
    from reciprocity.recall import tasks

    source = BY_MODEL[sender]
    if source.applies(instance):
        tasks.index_entry.enqueue(source.kind, instance.pk)
        for kind, pk in source.dependents(instance):
            tasks.index_entry.enqueue(kind, pk)


def _deleted(sender: type[models.Model], instance: models.Model, **kwargs: Any) -> None:
    from reciprocity.recall import tasks

    source = BY_MODEL[sender]
    if source.applies(instance):
        tasks.index_entry.enqueue(source.kind, instance.pk)


def connect() -> None:
    for model in BY_MODEL:
        post_save.connect(_saved, sender=model, dispatch_uid=f"recall-save-{model.__name__}")
        post_delete.connect(_deleted, sender=model, dispatch_uid=f"recall-delete-{model.__name__}")
