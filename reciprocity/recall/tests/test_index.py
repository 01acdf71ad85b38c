import datetime
import re
from io import StringIO

import numpy as np
import pytest
from django.core.management import CommandError, call_command

from reciprocity.measures import registry
from reciprocity.measures.services import record_administration
from reciprocity.recall import embedding, index
from reciprocity.recall.index import owner_token
from reciprocity.recall.models import Document, Kind
from reciprocity.recall.search import search
from reciprocity.recall.sources import SOURCES
from reciprocity.repertoire.services import add_item, log_trial, update_item
from reciprocity.therapy.services import update_reflection
from tests.builders import make_reflection, make_session

WORDS = "Patience with my sister"


def _document(kind, obj):
    return Document.objects.filter(kind=kind, object_id=obj.pk).first()


def _who5_answers(value=3):
    return {item.id: value for item in registry.get("who5").items}


def test_saving_a_reflection_stores_its_vectors_and_hashed_words_only(ana_reflection):
    document = _document(Kind.REFLECTION, ana_reflection)
    vectors = document.as_array()
    assert document.owner == ana_reflection.author and document.owner_token == owner_token(ana_reflection.author_id)
    # the whole text and its two sentences, each a unit vector of the model's size
    assert vectors.shape == (3, embedding.DIMENSIONS)
    assert np.allclose(np.linalg.norm(vectors, axis=1), 1, atol=1e-5)
    assert re.fullmatch(r"(t[0-9a-f]{12} ?)+", document.terms)
    for word in ("patience", "sister", "pause", "answering"):
        assert word not in document.terms.lower()


def test_editing_the_words_re_embeds_but_editing_ratings_does_not(ana_reflection):
    before = _document(Kind.REFLECTION, ana_reflection)
    ratings = ana_reflection.ratings | {"empathy": 4}
    update_reflection(ana_reflection, ratings=ratings, gave_me=ana_reflection.gave_me,
                      carry_home=ana_reflection.carry_home)  # fmt: skip
    unchanged = _document(Kind.REFLECTION, ana_reflection)
    assert (unchanged.updated_at, bytes(unchanged.vector)) == (before.updated_at, bytes(before.vector))
    update_reflection(ana_reflection, ratings=ratings, gave_me="Dread before the Monday sessions.", carry_home="")
    after = _document(Kind.REFLECTION, ana_reflection)
    assert after.digest != before.digest and bytes(after.vector) != bytes(before.vector)
    assert after.as_array().shape == (1, embedding.DIMENSIONS)


def test_emptying_or_deleting_an_entry_removes_its_document(ana_client):
    reflection = make_reflection(make_session(ana_client), gave_me=WORDS)
    update_reflection(reflection, ratings=reflection.ratings, gave_me="", carry_home="")
    assert _document(Kind.REFLECTION, reflection) is None
    other = make_reflection(make_session(ana_client), gave_me=WORDS)
    assert _document(Kind.REFLECTION, other) is not None
    other.session.delete()  # the reflection goes with its session, and its document with it
    assert not Document.objects.exists()


def test_a_tries_document_follows_its_items_title(ana):
    item = add_item(owner=ana, title="Paced breathing", description="Slow out-breath.")
    trial = log_trial(item, by=ana, tried_on=datetime.date(2026, 3, 1), situation="Before a call.", helped=4)
    before = _document(Kind.TRIAL, trial).digest
    update_item(item, title="Box breathing")
    assert _document(Kind.TRIAL, trial).digest != before
    item.delete()
    assert not Document.objects.exists()


def test_check_in_notes_are_searchable_and_client_questionnaires_are_not(ana, ana_client):
    own = record_administration(therapist=ana, instrument=registry.get("who5"), answers=_who5_answers(),
                                note="Tired of answering e-mails at night.")  # fmt: skip
    silent = record_administration(therapist=ana, instrument=registry.get("who5"), answers=_who5_answers())
    phq9 = registry.get("phq9")
    theirs = record_administration(therapist=ana, instrument=phq9, client=ana_client,
                                   answers={item.id: 1 for item in phq9.items})  # fmt: skip
    assert _document(Kind.CHECKIN, own) is not None
    assert _document(Kind.CHECKIN, silent) is None and _document(Kind.CHECKIN, theirs) is None


def test_reindex_rebuilds_what_was_lost_with_a_progress_bar(ana, ana_reflection, ben):
    add_item(owner=ana, title="Grounding", description="Five things I can see.")
    Document.objects.all().delete()
    err, out = StringIO(), StringIO()
    call_command("reindex", "--user", "ana", stdout=out, stderr=err)
    assert Document.objects.filter(owner=ana).count() == 2
    assert "2/2" in err.getvalue() and "[####" in err.getvalue()
    assert "2 entries of 1 user: 2 embedded" in out.getvalue()
    out = StringIO()
    call_command("reindex", stdout=out, stderr=StringIO())
    assert "0 embedded" in out.getvalue()
    call_command("reindex", "--force", stdout=(out := StringIO()), stderr=StringIO())
    assert "2 embedded" in out.getvalue()


def test_reindex_of_an_unknown_user_fails_in_one_line(db):
    with pytest.raises(CommandError, match="no user called 'nobody'") as error:
        call_command("reindex", "--user", "nobody")
    assert error.value.returncode == 2


def test_a_broken_model_file_loses_no_writing_and_reindex_says_why(ana_client, monkeypatch):
    monkeypatch.setattr(embedding, "_loaded", None)
    monkeypatch.setattr(embedding, "TOKENIZER_SHA256", "0" * 64)
    reflection = make_reflection(make_session(ana_client), gave_me=WORDS)  # saved although indexing failed
    assert reflection.pk and _document(Kind.REFLECTION, reflection) is None
    with pytest.raises(CommandError, match="not the expected") as error:
        call_command("reindex", stdout=StringIO(), stderr=StringIO())
    assert error.value.returncode == 2


@pytest.mark.django_db(transaction=True)  # the worker closes its connection, as it does in production
def test_with_the_database_runner_entries_wait_for_the_worker(ana_client, settings, monkeypatch):
    monkeypatch.setattr(embedding, "_threads", None)  # as a new process has it, and restored after
    settings.TASK_RUNNER = "database"
    settings.TASKS = {"default": {"BACKEND": "django_tasks_db.DatabaseBackend", "QUEUES": ["default"]}}
    from django_tasks_db.models import DBTaskResult

    reflection = make_reflection(make_session(ana_client), gave_me=WORDS)
    assert _document(Kind.REFLECTION, reflection) is None
    assert DBTaskResult.objects.filter(status="READY").count() == 1
    call_command("worker", "--batch", stdout=StringIO(), stderr=StringIO())
    assert _document(Kind.REFLECTION, reflection) is not None
    assert embedding._threads == 1  # the worker shares its cores with the server (docs/recall.md)


@pytest.mark.django_db(transaction=True)
def test_the_worker_embeds_again_what_an_earlier_model_embedded(ana_client, settings):
    settings.TASK_RUNNER = "database"
    settings.TASKS = {"default": {"BACKEND": "django_tasks_db.DatabaseBackend", "QUEUES": ["default"]}}
    reflection = make_reflection(make_session(ana_client), gave_me=WORDS)
    call_command("worker", "--batch", stdout=StringIO(), stderr=StringIO())
    text = SOURCES[Kind.REFLECTION].text(reflection)
    earlier = index._digest(embedding.FLOAT_MODEL_NAME, text)  # as an earlier model stored it
    Document.objects.filter(owner=reflection.author).update(model=embedding.FLOAT_MODEL_NAME, digest=earlier)
    out = StringIO()
    call_command("worker", "--batch", stdout=out, stderr=StringIO())
    assert "an earlier model embedded entries of 1 person;" in out.getvalue()
    document = _document(Kind.REFLECTION, reflection)
    assert document.model == embedding.MODEL_NAME and document.as_array().shape[1] == embedding.DIMENSIONS
    out = StringIO()
    call_command("worker", "--batch", stdout=out, stderr=StringIO())
    assert "earlier model" not in out.getvalue()


def test_the_worker_explains_itself_when_work_runs_inline(db):
    with pytest.raises(CommandError, match="TASK_RUNNER is 'immediate'"):
        call_command("worker")


def test_an_import_with_words_is_indexed(ana):
    from reciprocity.imports.reading import read_table
    from reciprocity.imports.sessions import apply_plan, plan_import

    rows = "Client,When,gave," + ",".join(("empathy", "communication", "reflection", "fulfillment", "resilience",
                                            "destigmatizing", "boundaries"))  # fmt: skip
    csv = f"{rows}\nI-0101,2026-02-03 10:00,Courage is contagious,2,2,2,2,2,2,2\n".encode()
    mapping = {"Client": "client", "When": "starts_at", "gave": "gave_me"} | {k: k for k in rows.split(",")[3:]}
    plan = plan_import(ana, read_table(csv), mapping)
    assert not plan.problems
    apply_plan(ana, plan)
    assert Document.objects.filter(owner=ana, kind=Kind.REFLECTION).count() == 1


def test_a_database_beside_another_secret_key_is_noticed_and_reindex_mends_it(ana, ana_client, settings):
    """Word hashes are keyed by SECRET_KEY: a restore beside a new one finds nothing by words, and says so."""
    reflection = make_reflection(make_session(ana_client), gave_me="Quokkas on the ferry")
    assert _document(Kind.REFLECTION, reflection) is not None and index.words_key_changed() == ""
    assert [h.obj.pk for h in search(ana, "quokkas", mode="lexical")] == [reflection.pk]

    settings.SECRET_KEY = "another installation's secret key, as on a new server"
    assert search(ana, "quokkas", mode="lexical") == []  # what the warning is about
    assert "another SECRET_KEY" in index.words_key_changed()
    err = StringIO()
    call_command("keys", "check", stdout=StringIO(), stderr=err)
    assert "Warning: Word search was built under another SECRET_KEY" in err.getvalue()

    call_command("reindex", stdout=StringIO(), stderr=StringIO())
    assert index.words_key_changed() == ""
    assert [h.obj.pk for h in search(ana, "quokkas", mode="lexical")] == [reflection.pk]
