"""PostgreSQL: each owner's document frequency per hashed term, and their number of documents and words.

Kept up to date by triggers on recall_document, in the transaction that writes the documents, so
full-text ranking reads them in one indexed lookup instead of counting every match (the SQLite index
has the same from FTS5's vocabulary table, migration 0003). The triggers run once per statement, over
its rows as a whole (transition tables): a bulk insert of thousands of documents updates each count
once, not once per document. A term whose count falls to zero is deleted, so nothing of an erased
person's words stays behind.
"""

from django.db import migrations

from reciprocity.lib.migrations import on_postgresql

ADDED = "SELECT owner_id, terms, 1 AS sign FROM added"
REMOVED = "SELECT owner_id, terms, -1 AS sign FROM removed"


def _apply(rows: str) -> str:
    """The body of a trigger function adding the statement's changes (`rows`: owner, terms, +1 or -1)."""
    # Words of a document as the ranking counts them: hashed terms of 13 characters, one space apart.
    return f"""
    BEGIN
        WITH changed AS ({rows}), delta AS (
            SELECT c.owner_id, t.term, sum(c.sign) AS n
            FROM changed c, LATERAL (SELECT DISTINCT unnest(string_to_array(c.terms, ' ')) AS term) t
            WHERE t.term <> '' GROUP BY c.owner_id, t.term HAVING sum(c.sign) <> 0
        )
        INSERT INTO recall_term_count AS k (owner_id, term, documents) SELECT owner_id, term, n FROM delta
        ON CONFLICT (owner_id, term) DO UPDATE SET documents = k.documents + excluded.documents;
        DELETE FROM recall_term_count k USING (
            SELECT DISTINCT c.owner_id, t.term
            FROM ({rows}) c, LATERAL (SELECT unnest(string_to_array(c.terms, ' ')) AS term) t WHERE c.sign < 0
        ) gone
        WHERE k.owner_id = gone.owner_id AND k.term = gone.term AND k.documents <= 0;
        WITH changed AS ({rows}), delta AS (
            SELECT owner_id, sum(sign) AS n, sum(sign * (length(terms) + 1) / 14.0) AS words
            FROM changed GROUP BY owner_id HAVING sum(sign) <> 0 OR sum(sign * length(terms)) <> 0
        )
        INSERT INTO recall_owner_size AS s (owner_id, documents, words) SELECT owner_id, n, words FROM delta
        ON CONFLICT (owner_id) DO UPDATE
        SET documents = s.documents + excluded.documents, words = s.words + excluded.words;
        DELETE FROM recall_owner_size WHERE documents <= 0;
        RETURN NULL;
    END"""


def _function(name: str, rows: str) -> str:
    return f"CREATE FUNCTION {name}() RETURNS trigger LANGUAGE plpgsql AS $${_apply(rows)}$$"


UP = [
    """CREATE TABLE recall_term_count (
        owner_id bigint NOT NULL, term text NOT NULL, documents integer NOT NULL, PRIMARY KEY (owner_id, term)
    )""",
    """CREATE TABLE recall_owner_size (
        owner_id bigint PRIMARY KEY, documents integer NOT NULL, words double precision NOT NULL
    )""",
    _function("recall_terms_added", ADDED),
    _function("recall_terms_removed", REMOVED),
    _function("recall_terms_changed", f"{ADDED} UNION ALL {REMOVED}"),
    """CREATE TRIGGER recall_terms_insert AFTER INSERT ON recall_document
        REFERENCING NEW TABLE AS added FOR EACH STATEMENT EXECUTE FUNCTION recall_terms_added()""",
    """CREATE TRIGGER recall_terms_delete AFTER DELETE ON recall_document
        REFERENCING OLD TABLE AS removed FOR EACH STATEMENT EXECUTE FUNCTION recall_terms_removed()""",
    """CREATE TRIGGER recall_terms_update AFTER UPDATE ON recall_document
        REFERENCING OLD TABLE AS removed NEW TABLE AS added FOR EACH STATEMENT EXECUTE FUNCTION recall_terms_changed()""",
    # The documents already indexed.
    """INSERT INTO recall_term_count (owner_id, term, documents)
        SELECT d.owner_id, t.term, count(*)
        FROM recall_document d, LATERAL (SELECT DISTINCT unnest(string_to_array(d.terms, ' ')) AS term) t
        WHERE t.term <> '' GROUP BY d.owner_id, t.term""",
    """INSERT INTO recall_owner_size (owner_id, documents, words)
        SELECT owner_id, count(*), sum((length(terms) + 1) / 14.0) FROM recall_document GROUP BY owner_id""",
]
DOWN = [
    "DROP TRIGGER IF EXISTS recall_terms_update ON recall_document",
    "DROP TRIGGER IF EXISTS recall_terms_delete ON recall_document",
    "DROP TRIGGER IF EXISTS recall_terms_insert ON recall_document",
    "DROP FUNCTION IF EXISTS recall_terms_changed()",
    "DROP FUNCTION IF EXISTS recall_terms_removed()",
    "DROP FUNCTION IF EXISTS recall_terms_added()",
    "DROP TABLE IF EXISTS recall_owner_size",
    "DROP TABLE IF EXISTS recall_term_count",
]


class Migration(migrations.Migration):
    dependencies = [("recall", "0005_alter_document_vector")]

    operations = [on_postgresql(UP, DOWN)]
