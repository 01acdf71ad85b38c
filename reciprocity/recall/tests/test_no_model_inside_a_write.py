"""No write keeps its transaction open while the search model runs; the entry is searchable once it answers.

These tests commit for real (`transaction=True`), so "inside an atomic block" means inside a transaction
of the code, never one of the test's own.
"""

import pytest
from django.db import connection, transaction
from django.utils import timezone

from reciprocity.measures import registry
from reciprocity.measures.services import record_administration
from reciprocity.recall import embedding, vectors
from reciprocity.recall.index import index_entry
from reciprocity.recall.models import Document, Kind
from reciprocity.repertoire.services import add_item, log_trial
from reciprocity.therapy.models import Reflection
from tests.builders import make_reflection, ratings_post

pytestmark = pytest.mark.django_db(transaction=True)


@pytest.fixture(autouse=True)
def _forget_cached_matrices():
    """These tests commit and then empty the tables: no cached matrix of theirs may outlive them."""
    yield
    vectors.clear()


@pytest.fixture
def encodings(monkeypatch):
    """For each call of the shared model: was a transaction open on the default connection?"""
    model = embedding.embedder()
    encode = model.encode
    seen: list[bool] = []

    def watched(texts):
        seen.append(connection.in_atomic_block)
        return encode(texts)

    monkeypatch.setattr(model, "encode", watched)
    return seen


def _indexed(kind, obj) -> bool:
    return Document.objects.filter(kind=kind, object_id=obj.pk).exists()


def test_a_reflection_saved_through_its_page_is_embedded_after_the_commit(as_ana, ana_session, encodings):
    data = ratings_post(3) | {"session": ana_session.pk, "gave_me": "The flash-forward quieted my own fear."}
    assert as_ana.post(f"/reflections/new/?session={ana_session.pk}", data).status_code == 302
    reflection = Reflection.objects.get(session=ana_session)
    assert _indexed(Kind.REFLECTION, reflection)  # searchable as soon as the request answered
    assert encodings and not any(encodings)


def test_an_edited_reflection_is_embedded_again_after_the_commit(as_ana, ana_reflection, encodings):
    data = ratings_post(2) | {"gave_me": "Patience, and a walk after work.", "carry_home": ""}
    assert as_ana.post(f"/reflections/{ana_reflection.pk}/edit/", data).status_code == 302
    assert encodings and not any(encodings)


def test_lessons_tries_and_check_in_notes_are_embedded_after_their_commit(ana, encodings):
    item = add_item(owner=ana, title="Run the film forward", description="Imagine the feared day, then after.")
    trial = log_trial(item, tried_on=timezone.localdate(), situation="Before my scan", helped=4, by=ana)
    answers = {i.id: 2 for i in registry.get("who5").items}
    checkin = record_administration(therapist=ana, instrument=registry.get("who5"), answers=answers, note="Tired.")
    assert _indexed(Kind.ITEM, item) and _indexed(Kind.TRIAL, trial) and _indexed(Kind.CHECKIN, checkin)
    assert len(encodings) >= 3 and not any(encodings)


def test_a_write_that_rolls_back_embeds_nothing(ana_session, encodings):
    with pytest.raises(RuntimeError), transaction.atomic():
        make_reflection(ana_session, gave_me="Words that were never saved.")
        raise RuntimeError("the request failed after the write")
    assert encodings == [] and not Document.objects.exists()


def test_the_watch_sees_a_model_run_inside_a_transaction(ana_session, encodings):
    reflection = make_reflection(ana_session, gave_me="Patience with my sister.")
    Document.objects.all().delete()
    with transaction.atomic():
        index_entry(Kind.REFLECTION, reflection.pk)  # what the old write path did
    assert encodings[-1] is True


def test_a_reflection_written_in_a_transaction_is_embedded_only_after_it(ana_session, encodings):
    with transaction.atomic():
        reflection = make_reflection(ana_session, gave_me="Patience with my sister.")
        assert not _indexed(Kind.REFLECTION, reflection) and encodings == []
    assert _indexed(Kind.REFLECTION, reflection) and not any(encodings)
