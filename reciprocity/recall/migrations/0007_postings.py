"""PostgreSQL: one posting per (owner, hashed term, document) with the term's occurrences and the document's length.

Full-text ranking reads the postings of the query's few words from the primary key's index alone (an
index-only scan) and sums BM25 over them, instead of visiting every matching document's wide row to
count its words (docs/recall.md). Statement triggers keep the postings in the transaction that writes
the documents, as migration 0006 keeps the term counts; a document whose owner and words did not change
keeps its postings. Removing a document removes its postings, so nothing of an erased person's words
stays behind.
"""

from django.db import migrations

# A document's postings: each distinct term with its number of occurrences, and the document's number of
# words (hashed terms of 13 characters, one space apart).
POSTINGS = """
    SELECT c.owner_id, t.term, c.id AS document_id, t.n AS occurrences, (length(c.terms) + 1) / 14 AS words
    FROM {rows} c, LATERAL (
        SELECT term, count(*) AS n FROM unnest(string_to_array(c.terms, ' ')) AS term WHERE term <> '' GROUP BY term
    ) t
"""
# In the index's order, so a batch of documents fills each part of the index once.
INSERT = "INSERT INTO recall_posting (owner_id, term, document_id, occurrences, words) " + POSTINGS
INSERT += " ORDER BY 1, 2, 3"
# Found by their whole primary key, term by term: the index has no entry point by document alone.
DELETE = f"""
    DELETE FROM recall_posting p USING ({POSTINGS}) gone
    WHERE p.owner_id = gone.owner_id AND p.term = gone.term AND p.document_id = gone.document_id
"""
# An update rewrites the postings only of documents whose owner or words changed.
UNCHANGED = "SELECT FROM {other} o WHERE o.id = c.id AND o.owner_id = c.owner_id AND o.terms = c.terms"
GONE = f"(SELECT * FROM removed c WHERE NOT EXISTS ({UNCHANGED.format(other='added')}))"
NEW = f"(SELECT * FROM added c WHERE NOT EXISTS ({UNCHANGED.format(other='removed')}))"


def _function(name: str, statements: list[str]) -> str:
    body = ";\n".join(statements)
    return f"CREATE FUNCTION {name}() RETURNS trigger LANGUAGE plpgsql AS $$ BEGIN {body}; RETURN NULL; END $$"


UP = [
    """CREATE TABLE recall_posting (
        owner_id bigint NOT NULL, term text NOT NULL, document_id bigint NOT NULL,
        occurrences integer NOT NULL, words integer NOT NULL,
        PRIMARY KEY (owner_id, term, document_id) INCLUDE (occurrences, words)
    )""",
    _function("recall_postings_added", [INSERT.format(rows="added")]),
    _function("recall_postings_removed", [DELETE.format(rows="removed")]),
    _function("recall_postings_changed", [DELETE.format(rows=GONE), INSERT.format(rows=NEW)]),
    """CREATE TRIGGER recall_postings_insert AFTER INSERT ON recall_document
        REFERENCING NEW TABLE AS added FOR EACH STATEMENT EXECUTE FUNCTION recall_postings_added()""",
    """CREATE TRIGGER recall_postings_delete AFTER DELETE ON recall_document
        REFERENCING OLD TABLE AS removed FOR EACH STATEMENT EXECUTE FUNCTION recall_postings_removed()""",
    """CREATE TRIGGER recall_postings_update AFTER UPDATE ON recall_document
        REFERENCING OLD TABLE AS removed NEW TABLE AS added FOR EACH STATEMENT EXECUTE FUNCTION recall_postings_changed()""",
    INSERT.format(rows="recall_document"),  # the documents already indexed
]
DOWN = [
    "DROP TRIGGER IF EXISTS recall_postings_update ON recall_document",
    "DROP TRIGGER IF EXISTS recall_postings_delete ON recall_document",
    "DROP TRIGGER IF EXISTS recall_postings_insert ON recall_document",
    "DROP FUNCTION IF EXISTS recall_postings_changed()",
    "DROP FUNCTION IF EXISTS recall_postings_removed()",
    "DROP FUNCTION IF EXISTS recall_postings_added()",
    "DROP TABLE IF EXISTS recall_posting",
]


def _run(statements):
    def run(apps, schema_editor):
        if schema_editor.connection.vendor == "postgresql":
            for statement in statements:
                schema_editor.execute(statement)

    return run


class Migration(migrations.Migration):
    dependencies = [("recall", "0006_term_statistics")]

    operations = [migrations.RunPython(_run(UP), _run(DOWN))]
