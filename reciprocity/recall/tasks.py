"""The indexing work, run by the task backend: inline by default, by `reciprocity worker` in a clinic."""

from django_tasks import task

from reciprocity.recall import index


@task()
def index_entries(owner_id: int, entries: list[list]) -> None:
    """The entries of one owner that a transaction changed, as [kind, id] pairs; the owner names the task for
    erasure (recall/personal_data.py)."""
    index.index_entries((kind, object_id) for kind, object_id in entries)


@task()
def index_entry(kind: str, object_id: int) -> None:
    """One entry, as earlier versions queued it: a clinic's queue may still hold such tasks."""
    index.index_entry(kind, object_id)


@task()
def index_owner(owner_id: int) -> None:
    """After a bulk change (an import): bring every entry of this therapist up to date."""
    index.reindex([owner_id])
