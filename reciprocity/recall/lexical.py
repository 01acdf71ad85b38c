"""Full-text ranking: SQLite FTS5 (BM25), or PostgreSQL full-text search (matching) ranked by the same BM25.

Both index the hashed terms of recall/terms.py, and a match must also be the owner's: on SQLite the
FTS5 query itself requires the owner's token (in a column that does not count towards the score), on
PostgreSQL the row's owner columns do. The engine only ever ranks the searching therapist's documents.
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
# PostgreSQL finds the matches through its GIN index; they are ranked here with the same BM25 as FTS5
# (ts_rank has no inverse document frequency, so a common word would weigh as much as a rare one).
POSTGRESQL = """
    SELECT d.id, d.terms FROM recall_document d
    WHERE to_tsvector('simple', d.terms) @@ to_tsquery('simple', %s) AND d.owner = %s AND d.owner_id = %s
"""
POSTGRESQL_SIZE = "SELECT count(*), avg(length(terms) + 1) / 14.0 FROM recall_document WHERE owner_id = %s"
K1, B = 1.2, 0.75  # FTS5's bm25() constants


def bm25(matches: list[tuple[int, str]], tokens: list[str], documents: int, mean_length: float) -> dict[int, float]:
    """Okapi BM25 of each matching document; document frequencies are counted among the matches, which hold
    every document with any of the tokens."""
    counted = [(pk, text.split()) for pk, text in matches]
    frequency = {t: sum(t in set(words) for _, words in counted) for t in tokens}
    scores = {}
    for pk, words in counted:
        score = 0.0
        for token in tokens:
            if tf := words.count(token):
                idf = math.log(1 + (documents - frequency[token] + 0.5) / (frequency[token] + 0.5))
                score += idf * tf * (K1 + 1) / (tf + K1 * (1 - B + B * len(words) / max(mean_length, 1)))
        scores[pk] = score
    return scores


# FTS5 scores every document that holds any query word, so in a large index (a therapist with thousands
# of entries) only the query's rarest words are looked up: at most MOST of them, leaving out any found in
# more than a tenth of the documents (BM25 gives those little weight), but always the rarest one.
LARGE, COMMON_SHARE, KEEP, MOST = 5_000, 0.1, 1, 3
SQLITE_FREQUENCY = "SELECT doc FROM recall_fts_terms WHERE term = %s AND col = %s"


def _frequency(cursor, term: str, column: str) -> int:
    cursor.execute(SQLITE_FREQUENCY, [term, column])
    row = cursor.fetchone()
    return row[0] if row else 0


def _without_common(cursor, owner: str, tokens: list[str]) -> list[str]:
    if len(tokens) <= KEEP or (documents := _frequency(cursor, owner, "owner")) < LARGE:
        return tokens
    frequency = {t: _frequency(cursor, t, "terms") for t in tokens}
    rarest = sorted(tokens, key=lambda t: frequency.get(t, 0))
    chosen = [t for n, t in enumerate(rarest) if n < KEEP or frequency.get(t, 0) <= COMMON_SHARE * documents]
    return chosen[:MOST]


def ranked(owner_id: int, query: str, limit: int) -> list[tuple[int, float]]:
    """The owner's documents sharing words with the query: (document id, score), best first."""
    tokens = terms.query_terms(query)
    if not tokens:
        return []
    owner = owner_token(owner_id)
    with connection.cursor() as cursor:
        if connection.vendor == "sqlite":
            tokens = _without_common(cursor, owner, tokens)
            cursor.execute(SQLITE, [f"owner:{owner} AND terms:({' OR '.join(tokens)})", owner_id, limit])
            return [(int(pk), float(score)) for pk, score in cursor.fetchall()]
        cursor.execute(POSTGRESQL, [" | ".join(tokens), owner, owner_id])
        matches = cursor.fetchall()
        cursor.execute(POSTGRESQL_SIZE, [owner_id])
        documents, mean_length = cursor.fetchone()
    scores = bm25(matches, tokens, documents, float(mean_length or 1))
    return sorted(scores.items(), key=lambda kv: (-kv[1], kv[0]))[:limit]
