"""Full-text ranking: SQLite FTS5 (BM25), or PostgreSQL ranking the postings of the query's words by the same BM25.

Both index the hashed terms of recall/terms.py, and a match must also be the owner's: on SQLite the
FTS5 query itself requires the owner's token (in a column that does not count towards the score), on
PostgreSQL every posting is keyed by its owner. The engine only ever ranks the searching therapist's documents.
"""

import math

from django.db import connection

from reciprocity.recall import terms
from reciprocity.recall.index import owner_token

SQLITE = """
    SELECT d.id, -bm25(recall_fts, 0.0, 1.0) AS score
    FROM recall_fts JOIN recall_document d ON d.id = recall_fts.rowid
    WHERE recall_fts MATCH %s AND d.owner_id = %s
    ORDER BY score DESC, d.id LIMIT %s
"""
# PostgreSQL ranks in the query with the same Okapi BM25, reading each term's document frequency and the
# owner's document count and length from the statistics a trigger keeps (migration 0006), and each
# matching document's term frequency and length from its postings (migration 0007): one posting per
# owner, term and document, found and read from the primary key's index alone. The cost is the postings
# of the query's words (in a large index only the rarest three, below), never the documents' wide rows,
# and only the best `limit` matches leave the database. (ts_rank has no inverse document frequency, so a
# common word would weigh as much as a rare one.) The constants are cast to float8: a bare literal is
# numeric, and numeric arithmetic over tens of thousands of postings took most of the query's time.
POSTGRESQL = """
    SELECT p.document_id,
           SUM(q.idf * p.occurrences * (k.k1 + 1)
               / (p.occurrences + k.k1 * (1 - k.b + k.b * p.words / k.mean))) AS score
    FROM unnest(%(terms)s::text[], %(idfs)s::float8[]) AS q(term, idf)
    JOIN recall_posting p ON p.owner_id = %(owner)s AND p.term = q.term
    CROSS JOIN (SELECT %(k1)s::float8 AS k1, %(b)s::float8 AS b, %(mean)s::float8 AS mean) k
    GROUP BY p.document_id ORDER BY score DESC, p.document_id LIMIT %(limit)s
"""
POSTGRESQL_SIZE = "SELECT documents, words FROM recall_owner_size WHERE owner_id = %s"
POSTGRESQL_FREQUENCY = "SELECT term, documents FROM recall_term_count WHERE owner_id = %s AND term = ANY(%s)"
K1, B = 1.2, 0.75  # FTS5's bm25() constants


def idf(documents: int, frequency: int) -> float:
    """BM25's inverse document frequency of a term found in `frequency` of `documents` documents (always > 0)."""
    return math.log(1 + (documents - frequency + 0.5) / (frequency + 0.5))


# FTS5 scores every document that holds any query word, so in a large index (a therapist with thousands
# of entries) only the query's rarest words are looked up: at most MOST of them, leaving out any found in
# more than a tenth of the documents (BM25 gives those little weight), but always the rarest one. The
# PostgreSQL ranking looks up the same words.
LARGE, COMMON_SHARE, KEEP, MOST = 5_000, 0.1, 1, 3
SQLITE_FREQUENCY = "SELECT doc FROM recall_fts_terms WHERE term = %s AND col = %s"


def rarest(tokens: list[str], frequency: dict[str, int], documents: int) -> list[str]:
    """The query words worth looking up among `documents` documents, given each word's document frequency."""
    if len(tokens) <= KEEP or documents < LARGE:
        return tokens
    ordered = sorted(tokens, key=lambda t: frequency.get(t, 0))
    chosen = [t for n, t in enumerate(ordered) if n < KEEP or frequency.get(t, 0) <= COMMON_SHARE * documents]
    return chosen[:MOST]


def _frequency(cursor, term: str, column: str) -> int:
    cursor.execute(SQLITE_FREQUENCY, [term, column])
    row = cursor.fetchone()
    return row[0] if row else 0


def _without_common(cursor, owner: str, tokens: list[str]) -> list[str]:
    if len(tokens) <= KEEP or (documents := _frequency(cursor, owner, "owner")) < LARGE:
        return tokens
    return rarest(tokens, {t: _frequency(cursor, t, "terms") for t in tokens}, documents)


def _postgresql(cursor, owner_id: int, tokens: list[str], limit: int) -> list[tuple[int, float]]:
    cursor.execute(POSTGRESQL_SIZE, [owner_id])
    documents, words = cursor.fetchone() or (0, 0.0)
    cursor.execute(POSTGRESQL_FREQUENCY, [owner_id, tokens])
    frequency = dict(cursor.fetchall())
    tokens = rarest([t for t in tokens if frequency.get(t)], frequency, documents)  # a word in no entry finds none
    if not tokens:
        return []
    weights = [idf(documents, frequency[t]) for t in tokens]
    cursor.execute(POSTGRESQL, {
        "terms": tokens, "idfs": weights, "owner": owner_id, "mean": max(words / documents, 1.0), "k1": K1, "b": B,
        "limit": limit,
    })  # fmt: skip
    return [(int(pk), float(score)) for pk, score in cursor.fetchall()]


def ranked(owner_id: int, query: str, limit: int) -> list[tuple[int, float]]:
    """The owner's documents sharing words with the query: (document id, score), best first."""
    tokens = terms.query_terms(query)
    if not tokens:
        return []
    owner = owner_token(owner_id)
    with connection.cursor() as cursor:
        if connection.vendor != "sqlite":
            return _postgresql(cursor, owner_id, tokens, limit)
        tokens = _without_common(cursor, owner, tokens)
        cursor.execute(SQLITE, [f"owner:{owner} AND terms:({' OR '.join(tokens)})", owner_id, limit])
        return [(int(pk), float(score)) for pk, score in cursor.fetchall()]
