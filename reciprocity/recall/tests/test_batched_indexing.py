"""The entries one transaction changes are indexed together: one task per owner, run once it commits."""

import pytest
from django.db import transaction
from django_tasks_db.models import DBTaskResult

from reciprocity.recall import index
from reciprocity.recall.models import Document, Kind
from reciprocity.therapy.models import Reflection
from tests.builders import make_client, make_reflection, make_session


def _queued() -> list[list]:
    return sorted(call["args"] for call in DBTaskResult.objects.values_list("args_kwargs", flat=True))


def _reflected_sessions(therapist, count, words="A quiet hour with a patient client."):
    client = make_client(therapist)
    return client, [make_reflection(make_session(client), gave_me=f"{words} ({n})") for n in range(count)]


@pytest.mark.django_db
def test_one_transaction_queues_one_task_per_owner_with_each_entry_once(settings, ana, ben):
    settings.TASKS = {"default": {"BACKEND": "django_tasks_db.DatabaseBackend", "QUEUES": ["default"]}}
    with transaction.atomic():
        _, ana_reflections = _reflected_sessions(ana, 3)
        _, (ben_reflection,) = _reflected_sessions(ben, 1)
        ana_reflections[0].carry_home = "Saved twice in the same transaction."
        ana_reflections[0].save()
        assert _queued() == []  # nothing before the commit
    assert _queued() == [
        [ana.pk, [["reflection", r.pk] for r in ana_reflections]],
        [ben.pk, [["reflection", ben_reflection.pk]]],
    ]


@pytest.mark.django_db
def test_deleting_a_client_removes_every_document_of_its_reflections_in_one_pass(ana, ben, monkeypatch):
    client, reflections = _reflected_sessions(ana, 4)
    _, (ben_reflection,) = _reflected_sessions(ben, 1)
    assert Document.objects.filter(kind=Kind.REFLECTION, owner=ana).count() == 4
    calls = []
    real = index.index_entries
    monkeypatch.setattr(index, "index_entries", lambda entries: calls.append(list(entries)) or real(calls[-1]))

    with transaction.atomic():
        client.delete()

    assert len(calls) == 1 and sorted(calls[0]) == sorted(("reflection", r.pk) for r in reflections)
    assert not Document.objects.filter(owner=ana).exists()
    assert Document.objects.filter(kind=Kind.REFLECTION, object_id=ben_reflection.pk).exists()


@pytest.mark.django_db
def test_an_entry_of_a_rolled_back_savepoint_leaves_no_document_and_the_rest_are_indexed(ana):
    client = make_client(ana)
    with transaction.atomic():
        kept = make_reflection(make_session(client), gave_me="Kept after the commit.")
        try:
            with transaction.atomic():
                lost = make_reflection(make_session(client), gave_me="Rolled back with its savepoint.")
                raise RuntimeError("undo")
        except RuntimeError:
            pass
        later = make_reflection(make_session(client), gave_me="Written after the savepoint.")
    documents = set(Document.objects.filter(owner=ana).values_list("object_id", flat=True))
    existing = set(Reflection.objects.filter(author=ana).values_list("pk", flat=True))
    assert documents == existing == {kept.pk, later.pk}  # (SQLite may give the lost one's id to the later one)
    assert lost.gave_me not in {r.gave_me for r in Reflection.objects.filter(author=ana)}
