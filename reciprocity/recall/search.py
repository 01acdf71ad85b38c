"""Recall: one query over a therapist's own entries, ranked by meaning and by words, fused."""

from collections import defaultdict
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass
from typing import Literal

from django.db import connection

from reciprocity.practice.models import User
from reciprocity.recall import lexical, vectors
from reciprocity.recall.embedding import embedder
from reciprocity.recall.models import Document, Kind
from reciprocity.recall.sources import SOURCES
from reciprocity.recall.terms import Piece, snippet

Mode = Literal["hybrid", "vector", "lexical"]
MAX_QUERY = 10_000
EMBEDDED_QUERY = 2_000  # the model reads about 256 word pieces; more text only costs time
DEPTH = 50  # candidates taken from each ranking before fusing
RRF_K = 60  # reciprocal rank fusion's constant (Cormack, Clarke & Büttcher 2009)
WEAK = 0.2  # a meaning-only match below this cosine is not shown


class QueryError(ValueError):
    """The query cannot be searched (empty, or longer than MAX_QUERY)."""


def clean_query(query: str) -> str:
    query = " ".join((query or "").split())
    if not query:
        raise QueryError("Type a few words to search for, for example “worried about my health”.")
    if len(query) > MAX_QUERY:
        raise QueryError(f"Search for at most {MAX_QUERY:,} characters; this query has {len(query):,}.")
    return query


def fuse(*rankings: list[int], weights: tuple[float, ...] = (), k: int = RRF_K) -> list[int]:
    """Reciprocal rank fusion: each list adds weight/(k + rank) to an id's score (weight 1 unless given)."""
    scores: dict[int, float] = defaultdict(float)
    for n, ranking in enumerate(rankings):
        weight = weights[n] if n < len(weights) else 1.0
        for rank, pk in enumerate(ranking, start=1):
            scores[pk] += weight / (k + rank)
    return sorted(scores, key=lambda pk: (-scores[pk], pk))


@dataclass(frozen=True)
class Ranked:
    ids: list[int]  # document ids, best first
    similarity: dict[int, float]  # cosine of each meaning match
    lexical: set[int]  # documents that share words with the query


LESSONS = {Kind.ITEM, Kind.TRIAL}
LESSON_WEIGHT = 0.25  # a tie-breaker: chosen on the labelled evaluation (docs/recall.md)


_pool = ThreadPoolExecutor(max_workers=2, thread_name_prefix="recall-words")


def _ranked_in_thread(owner_id: int, query: str, depth: int) -> list[tuple[int, float]]:
    try:
        return lexical.ranked(owner_id, query, depth)
    finally:
        connection.close()  # the thread's own connection: none is left open between searches


def hybrid(
    by_meaning: list[tuple[int, float]], by_words: list[tuple[int, float]], kept: set[int], *, lessons: float
) -> list[int]:
    """Fuse the meaning and word rankings, then let the kept lessons among them speak with weight `lessons`."""
    lexical_ids = {pk for pk, _ in by_words}
    shown = [pk for pk, score in by_meaning if score >= WEAK or pk in lexical_ids]
    words = [pk for pk, _ in by_words]
    ids = fuse(shown, words)
    if not lessons:
        return ids
    return fuse(shown, words, [pk for pk in ids if pk in kept], weights=(1, 1, lessons))


def rank(
    owner_id: int, query: str, *, mode: Mode = "hybrid", depth: int = DEPTH, lessons: float = LESSON_WEIGHT
) -> Ranked:
    """Document ids of the owner's entries for the query, best first (the evaluation scores this).

    Hybrid fuses three rankings: by meaning, by shared words, and — the repertoire's voice — the
    lessons the therapist chose to keep (repertoire items and their tries) among those candidates, in
    the order the first two put them. A kept lesson about a query outranks a passing mention of it.
    """
    query = clean_query(query)
    by_meaning: list[tuple[int, float]] = []
    by_words: list[tuple[int, float]] = []
    words = None
    if mode == "hybrid" and not connection.in_atomic_block:
        # Both halves at once: the database works while numpy multiplies (each releases the GIL). Inside a
        # transaction the other thread's connection would not see its writes, so there it runs in turn.
        words = _pool.submit(_ranked_in_thread, owner_id, query, depth)
    if mode in ("hybrid", "vector"):
        vector = embedder().encode([query[:EMBEDDED_QUERY]])[0]
        by_meaning = vectors.nearest(owner_id, vector, depth)
    if words is not None:
        by_words = words.result()
    elif mode in ("hybrid", "lexical"):
        by_words = lexical.ranked(owner_id, query, depth)
    similarity = dict(by_meaning)
    lexical_ids = {pk for pk, _ in by_words}
    if mode == "hybrid":
        candidates = {pk for pk, _ in by_meaning} | lexical_ids
        kept = set(Document.objects.filter(pk__in=candidates, kind__in=LESSONS).values_list("pk", flat=True))
        ids = hybrid(by_meaning, by_words, kept, lessons=lessons)
    else:
        ids = [pk for pk, _ in (by_meaning or by_words)]
    return Ranked(ids=ids, similarity=similarity, lexical=lexical_ids)


@dataclass(frozen=True)
class Hit:
    kind: str
    label: str
    title: str
    when: object
    url: str
    pieces: list[Piece]
    obj: object


def hits_for(owner: User, document_ids: list[int], query: str) -> list[Hit]:
    """The entries behind the documents, in the same order, each with a marked snippet.

    Every entry is read again through its owner filter: a document can never show someone else's words.
    """
    # Looked up by primary key, then checked for their owner here: a filter on the owner's column would let
    # SQLite walk all of a large therapist's rows instead of the ten asked for.
    documents = Document.objects.filter(pk__in=document_ids).values_list("pk", "kind", "object_id", "owner_id")
    wanted: dict[str, dict[int, int]] = defaultdict(dict)
    for pk, kind, object_id, owner_id in documents:
        if owner_id == owner.pk:
            wanted[kind][object_id] = pk
    found: dict[int, tuple] = {}
    for kind, by_object in wanted.items():
        source = SOURCES[kind]
        for obj in source.entries().filter(pk__in=list(by_object)):
            if source.owner_id(obj) == owner.pk:
                found[by_object[obj.pk]] = (source, obj)
    results = []
    for pk in document_ids:
        if pk not in found:
            continue  # the entry was deleted a moment ago and its document not yet
        source, obj = found[pk]
        results.append(Hit(kind=source.kind, label=source.label, title=source.title(obj), when=source.when(obj),
                           url=obj.get_absolute_url(), pieces=snippet(source.text(obj), query), obj=obj))  # fmt: skip
    return results


def search(owner: User, query: str, *, limit: int = 10, mode: Mode = "hybrid") -> list[Hit]:
    """The owner's entries that best answer the query, with snippets; QueryError for an empty or huge query."""
    ranked = rank(owner.pk, query, mode=mode)
    return hits_for(owner, ranked.ids[:limit], clean_query(query))
