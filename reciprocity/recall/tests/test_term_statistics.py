"""PostgreSQL's term statistics and postings follow every write of the search documents, and rank as BM25 says."""

import math
from decimal import Decimal

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from reciprocity.practice.erasure import erase_account
from reciprocity.recall import lexical, terms
from reciprocity.recall.index import reindex
from reciprocity.recall.models import Document
from reciprocity.therapy.services import update_reflection
from tests.builders import make_client, make_reflection, make_session

pytestmark = pytest.mark.skipif(
    connection.vendor != "postgresql", reason="the statistics are PostgreSQL's; SQLite's FTS5 keeps its own"
)


def _kept() -> tuple[set, set]:
    with connection.cursor() as cursor:
        cursor.execute("SELECT owner_id, term, documents FROM recall_term_count")
        counts = set(cursor.fetchall())
        cursor.execute("SELECT owner_id, documents, round(words::numeric, 6) FROM recall_owner_size")
        sizes = set(cursor.fetchall())
    return counts, sizes


def _recounted() -> tuple[set, set]:
    counts: dict[tuple[int, str], int] = {}
    sizes: dict[int, list] = {}
    for owner, text in Document.objects.values_list("owner_id", "terms"):
        for term in set(text.split()):
            counts[(owner, term)] = counts.get((owner, term), 0) + 1
        size = sizes.setdefault(owner, [0, 0.0])
        size[0] += 1
        size[1] += (len(text) + 1) / 14
    return (
        {(owner, term, n) for (owner, term), n in counts.items()},
        {(owner, n, round(Decimal(words), 6)) for owner, (n, words) in sizes.items()},
    )


def test_the_statistics_equal_a_recount_after_writes_edits_and_deletes(ana, ben, ana_client):
    first = make_reflection(make_session(ana_client), gave_me="Health anxiety, and the scan next week.")
    second = make_reflection(make_session(ana_client), gave_me="Evenings at the laptop again.")
    make_reflection(make_session(make_client(ben, "B-0001")), gave_me="My own health anxiety tonight.")
    assert _kept() == _recounted() and _kept()[0]
    update_reflection(first, ratings=first.ratings, gave_me="The garden on Sunday, tulips and quiet.", carry_home="")
    second.delete()
    assert _kept() == _recounted()
    Document.objects.filter(owner=ana).delete()  # one statement for many rows, then one insert for many
    assert reindex([ana.pk])["documents"] == 1 and _kept() == _recounted()
    before = _kept()
    Document.objects.update(model="another")  # rows rewritten with the same words change no count
    assert _kept() == before


def _postings(owner_ids) -> set:
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT owner_id, term, document_id, occurrences, words FROM recall_posting WHERE owner_id = ANY(%s)",
            [list(owner_ids)],
        )
        return set(cursor.fetchall())


def _posted(owner_ids) -> set:
    """The postings recounted from the documents: (owner, term, document, occurrences, words of the document)."""
    expected = set()
    for pk, owner, text in Document.objects.filter(owner_id__in=owner_ids).values_list("pk", "owner_id", "terms"):
        words = text.split()
        expected |= {(owner, term, pk, words.count(term), len(words)) for term in set(words)}
    return expected


def test_the_postings_equal_a_recount_after_writes_edits_and_deletes(ana, ben, ana_client):
    owners = [ana.pk, ben.pk]
    first = make_reflection(make_session(ana_client), gave_me="Health anxiety, and the scan next week. Health!")
    second = make_reflection(make_session(ana_client), gave_me="Evenings at the laptop again.")
    make_reflection(make_session(make_client(ben, "B-0001")), gave_me="My own health anxiety tonight.")
    assert _postings(owners) == _posted(owners) and any(n == 2 for *_, n, _ in _postings(owners))
    update_reflection(first, ratings=first.ratings, gave_me="The garden on Sunday, tulips and quiet.", carry_home="")
    second.delete()
    assert _postings(owners) == _posted(owners)
    Document.objects.filter(owner=ana).delete()
    assert reindex([ana.pk])["documents"] == 1 and _postings(owners) == _posted(owners)
    before = _postings(owners)
    Document.objects.update(model="another")  # rows rewritten with the same words keep their postings
    assert _postings(owners) == before
    Document.objects.filter(owner=ana).update(owner=ben, owner_token=f"u{ben.pk}")
    assert _postings(owners) == _posted(owners) and {owner for owner, *_ in _postings(owners)} == {ben.pk}


def test_an_erased_account_leaves_no_term_of_theirs(ana, ben, ana_client):
    make_reflection(make_session(ana_client), gave_me="Health anxiety, and the scan next week.")
    make_reflection(make_session(make_client(ben, "B-0001")), gave_me="My own health anxiety tonight.")
    erase_account(ana)
    counts, sizes = _kept()
    assert counts and {owner for owner, _, _ in counts} == {ben.pk} and {owner for owner, _, _ in sizes} == {ben.pk}
    assert not _postings([ana.pk]) and _postings([ben.pk])


def test_the_ranking_is_okapi_bm25_over_the_owners_documents(ana, ana_client):
    texts = ["health anxiety", "health anxiety health", "laptop in the evening", "anxiety about the laptop"]
    reflections = [make_reflection(make_session(ana_client), gave_me=t) for t in texts]
    documents = {d.object_id: d for d in Document.objects.filter(owner=ana)}
    query = terms.query_terms("health anxiety")
    words = {r.pk: documents[r.pk].terms.split() for r in reflections}
    mean = sum((len(documents[r.pk].terms) + 1) / 14 for r in reflections) / len(reflections)
    expected = {}
    for r in reflections:
        score = 0.0
        for token in query:
            if tf := words[r.pk].count(token):
                frequency = sum(token in w for w in words.values())
                length = (len(documents[r.pk].terms) + 1) / 14
                score += (
                    lexical.idf(len(reflections), frequency) * tf * 2.2 / (tf + 1.2 * (0.25 + 0.75 * length / mean))
                )
        if score:
            expected[documents[r.pk].pk] = score
    ranked = lexical.ranked(ana.pk, "health anxiety", 10)
    assert [pk for pk, _ in ranked] == sorted(expected, key=lambda pk: (-expected[pk], pk))
    assert all(math.isclose(score, expected[pk], rel_tol=1e-9) for pk, score in ranked)


def test_the_ranking_reads_only_the_postings_and_returns_at_most_the_limit(ana, ana_client):
    for n in range(12):
        make_reflection(make_session(ana_client), gave_me=f"Health anxiety, evening {n}." + " health" * (n % 3))
    with CaptureQueriesContext(connection) as queries:
        ranked = lexical.ranked(ana.pk, "health anxiety", 5)
    assert len(ranked) == 5 and [score for _, score in ranked] == sorted((s for _, s in ranked), reverse=True)
    assert queries.captured_queries and not any("recall_document" in q["sql"] for q in queries.captured_queries)
    assert ranked == lexical.ranked(ana.pk, "health anxiety", 12)[:5]  # the same top five as a longer ranking
