"""Search quality on the demo practice (evaluation.py has the labelled queries)."""

import datetime

import pytest

from reciprocity.demo.builder import build_demo
from reciprocity.practice.models import User
from reciprocity.recall.search import search
from reciprocity.recall.similar import CLOSE, similar_moments
from reciprocity.recall.tests.evaluation import KNOWN_ITEMS, TOPICS, Texts, evaluate, matching_entries
from reciprocity.therapy.models import Reflection
from tests.builders import world_rolled_back
from tests.embeddings import cached_embeddings

NOW = datetime.datetime(2026, 11, 26, 13, 0, tzinfo=datetime.UTC)
# Floors a little under what was measured (docs/benchmarks.md), so that a worse ranking fails here.
KNOWN_ITEM_RECALL = 0.8  # the floor for hybrid recall at 5; measured 0.978 (SQLite and PostgreSQL)
TOPIC_RECALL, TOPIC_MRR = 0.6, 0.8  # measured 0.608 and 0.86-0.87: topics are the harder set


@pytest.fixture(scope="module")
def demo(django_db_setup, django_db_blocker):
    """The demo practice, built and indexed once for this module and rolled back after it (its texts' vectors
    read from the cache of earlier builds where it has them; the queries are embedded by the model)."""
    with django_db_blocker.unblock(), world_rolled_back():
        with cached_embeddings():
            build_demo(password="demo-password", seed=7, now=NOW)
        yield


@pytest.fixture
def robin(demo, db):
    return User.objects.get(username="robin")


def test_every_known_item_names_exactly_one_entry(demo, db):
    texts: Texts = {}
    for case in KNOWN_ITEMS:
        ((kind, _),) = case.relevant
        assert len(matching_entries(case, texts)[kind]) == 1, case.query


def test_hybrid_search_finds_the_remembered_entry_in_the_top_five(demo, db):
    scores = evaluate("hybrid", KNOWN_ITEMS)
    missed = [query for query, recall, _ in scores.per_case if recall < 1]
    assert len(KNOWN_ITEMS) >= 30
    assert scores.recall_at_5 >= KNOWN_ITEM_RECALL, missed


def test_hybrid_search_answers_topics_with_a_relevant_entry_first(demo, db):
    hybrid, lexical = evaluate("hybrid", TOPICS), evaluate("lexical", TOPICS)
    assert len(TOPICS) >= 30
    assert hybrid.recall_at_5 >= TOPIC_RECALL and hybrid.mrr >= TOPIC_MRR
    assert hybrid.recall_at_5 > lexical.recall_at_5


def test_the_recovered_therapist_finds_their_flash_forward_insight_first(robin):
    assert search(robin, "health anxiety")[0].title == "The flash-forward works on my own health anxiety"


def test_a_demo_reflection_remembers_a_similar_moment(robin):
    (scan,) = [r for r in Reflection.objects.filter(author=robin) if r.gave_me.startswith("At 3 am, waiting for scan")]
    moments = similar_moments(scan)
    assert moments and all(m.reflection.author == robin and m.reflection != scan for m in moments)
    assert all(m.similarity >= CLOSE for m in moments)
