"""PostgreSQL: one posting per (owner, hashed term, document) with the term's occurrences and the document's length.

Full-text ranking reads the postings of the query's few words from the primary key's index alone (an
index-only scan) and sums BM25 over them, instead of visiting every matching document's wide row to
count its words (docs/recall.md). Statement triggers keep the postings in the transaction that writes
the documents, as migration 0006 keeps the term counts; a document whose owner and words did not change
keeps its postings. Removing a document removes its postings, so nothing of an erased person's words
stays behind.
"""

from django.db import migrations

from reciprocity.lib.migrations import on_postgresql

# A document's postings: each distinct term with its number of occurrences, and the document's number of
# words (hashed terms of 13 characters, one space apart).
POSTINGS = """
    SELECT c.owner_id, t.term, c.id AS document_id, t.n AS occurrences, (length(c.terms) + 1) / 14 AS words
    FROM {rows} c, LATERAL (
        SELECT term, count(*) AS n FROM unnest(string_to_array(c.terms, ' ')) AS term WHERE term <> '' GROUP BY term
    ) t
"""
# In the index's order, so a batch of documents fills each part of the index once.
INSERT = "INSERT INTO recall_posting (owner_id, term, document_id, occurrences, words) {postings} ORDER BY 1, 2, 3"
DELETE = "DELETE FROM recall_posting WHERE document_id IN (SELECT id FROM removed)"
# An update changes only the postings that differ between the old rows and the new: each posting counts +1
# from the new rows and -1 from the old, and those that cancel out are left alone. (The planner knows
# nothing of the transition tables' sizes; a join of the two could run as a nested loop, quadratic in the
# rows of a large update, and took minutes for a few thousand.)
CHANGED = f"""
    SELECT owner_id, term, document_id, occurrences, words FROM (
        SELECT *, 1 AS sign FROM ({POSTINGS.format(rows="added")}) a
        UNION ALL SELECT *, -1 AS sign FROM ({POSTINGS.format(rows="removed")}) r
    ) c GROUP BY owner_id, term, document_id, occurrences, words HAVING sum(sign) {{compared}} 0
"""
DELETE_CHANGED = f"""
    DELETE FROM recall_posting p USING ({CHANGED.format(compared="<")}) gone
    WHERE p.owner_id = gone.owner_id AND p.term = gone.term AND p.document_id = gone.document_id
"""


def _function(name: str, statements: list[str]) -> str:
    body = ";\n".join(statements)
    return f"CREATE FUNCTION {name}() RETURNS trigger LANGUAGE plpgsql AS $$ BEGIN {body}; RETURN NULL; END $$"


UP = [
    """CREATE TABLE recall_posting (
        owner_id bigint NOT NULL, term text NOT NULL, document_id bigint NOT NULL,
        occurrences integer NOT NULL, words integer NOT NULL,
        PRIMARY KEY (owner_id, term, document_id) INCLUDE (occurrences, words)
    )""",
    # A deleted document's postings are found by their document, whatever the planner guesses.
    "CREATE INDEX recall_posting_document ON recall_posting (document_id)",
    _function("recall_postings_added", [INSERT.format(postings=POSTINGS.format(rows="added"))]),
    _function("recall_postings_removed", [DELETE]),
    _function("recall_postings_changed", [DELETE_CHANGED, INSERT.format(postings=CHANGED.format(compared=">"))]),
    """CREATE TRIGGER recall_postings_insert AFTER INSERT ON recall_document
        REFERENCING NEW TABLE AS added FOR EACH STATEMENT EXECUTE FUNCTION recall_postings_added()""",
    """CREATE TRIGGER recall_postings_delete AFTER DELETE ON recall_document
        REFERENCING OLD TABLE AS removed FOR EACH STATEMENT EXECUTE FUNCTION recall_postings_removed()""",
    """CREATE TRIGGER recall_postings_update AFTER UPDATE ON recall_document
        REFERENCING OLD TABLE AS removed NEW TABLE AS added FOR EACH STATEMENT EXECUTE FUNCTION recall_postings_changed()""",
    INSERT.format(postings=POSTINGS.format(rows="recall_document")),  # the documents already indexed
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


class Migration(migrations.Migration):
    dependencies = [("recall", "0006_term_statistics")]

    operations = [on_postgresql(UP, DOWN)]
