"""The indexing work, run by the task backend: inline by default, by `reciprocity worker` in a clinic."""

from django_tasks import task

from reciprocity.recall import index


@task()
def index_entry(kind: str, object_id: int) -> None:
    index.index_entry(kind, object_id)


@task()
def index_owner(owner_id: int) -> None:
    """After a bulk change (an import): bring every entry of this therapist up to date."""
    index.reindex([owner_id])
