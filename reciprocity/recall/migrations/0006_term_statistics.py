"""PostgreSQL: each owner's document frequency per hashed term, and their number of documents and words.

Kept up to date by a trigger on recall_document, in the transaction that writes the documents, so
full-text ranking reads them in one indexed lookup instead of counting every match (the SQLite index
has the same from FTS5's vocabulary table, migration 0003). A term whose count falls to zero is deleted,
so nothing of an erased person's words stays behind.
"""

from django.db import migrations

UP = [
    """CREATE TABLE recall_term_count (
        owner_id bigint NOT NULL, term text NOT NULL, documents integer NOT NULL, PRIMARY KEY (owner_id, term)
    )""",
    """CREATE TABLE recall_owner_size (
        owner_id bigint PRIMARY KEY, documents integer NOT NULL, words double precision NOT NULL
    )""",
    # Words of a document as the ranking counts them: hashed terms of 13 characters, one space apart.
    """CREATE FUNCTION recall_count_terms() RETURNS trigger LANGUAGE plpgsql AS $$
    BEGIN
        IF TG_OP IN ('UPDATE', 'DELETE') THEN
            UPDATE recall_term_count c SET documents = c.documents - 1
            FROM (SELECT DISTINCT unnest(string_to_array(OLD.terms, ' ')) AS term) t
            WHERE c.owner_id = OLD.owner_id AND c.term = t.term;
            DELETE FROM recall_term_count c
            USING (SELECT DISTINCT unnest(string_to_array(OLD.terms, ' ')) AS term) t
            WHERE c.owner_id = OLD.owner_id AND c.term = t.term AND c.documents <= 0;
            UPDATE recall_owner_size SET documents = documents - 1, words = words - (length(OLD.terms) + 1) / 14.0
            WHERE owner_id = OLD.owner_id;
            DELETE FROM recall_owner_size WHERE owner_id = OLD.owner_id AND documents <= 0;
        END IF;
        IF TG_OP IN ('UPDATE', 'INSERT') THEN
            INSERT INTO recall_term_count (owner_id, term, documents)
            SELECT NEW.owner_id, t.term, 1
            FROM (SELECT DISTINCT unnest(string_to_array(NEW.terms, ' ')) AS term) t WHERE t.term <> ''
            ON CONFLICT (owner_id, term) DO UPDATE SET documents = recall_term_count.documents + 1;
            INSERT INTO recall_owner_size (owner_id, documents, words)
            VALUES (NEW.owner_id, 1, (length(NEW.terms) + 1) / 14.0)
            ON CONFLICT (owner_id) DO UPDATE
            SET documents = recall_owner_size.documents + 1, words = recall_owner_size.words + excluded.words;
        END IF;
        RETURN NULL;
    END $$""",
    """CREATE TRIGGER recall_count_terms_insert_delete AFTER INSERT OR DELETE ON recall_document
        FOR EACH ROW EXECUTE FUNCTION recall_count_terms()""",
    """CREATE TRIGGER recall_count_terms_update AFTER UPDATE OF owner_id, terms ON recall_document
        FOR EACH ROW WHEN (OLD.terms IS DISTINCT FROM NEW.terms OR OLD.owner_id IS DISTINCT FROM NEW.owner_id)
        EXECUTE FUNCTION recall_count_terms()""",
    # The documents already indexed.
    """INSERT INTO recall_term_count (owner_id, term, documents)
        SELECT d.owner_id, t.term, count(*)
        FROM recall_document d, LATERAL (SELECT DISTINCT unnest(string_to_array(d.terms, ' ')) AS term) t
        WHERE t.term <> '' GROUP BY d.owner_id, t.term""",
    """INSERT INTO recall_owner_size (owner_id, documents, words)
        SELECT owner_id, count(*), sum((length(terms) + 1) / 14.0) FROM recall_document GROUP BY owner_id""",
]
DOWN = [
    "DROP TRIGGER IF EXISTS recall_count_terms_update ON recall_document",
    "DROP TRIGGER IF EXISTS recall_count_terms_insert_delete ON recall_document",
    "DROP FUNCTION IF EXISTS recall_count_terms()",
    "DROP TABLE IF EXISTS recall_owner_size",
    "DROP TABLE IF EXISTS recall_term_count",
]


def _run(statements):
    def run(apps, schema_editor):
        if schema_editor.connection.vendor == "postgresql":
            for statement in statements:
                schema_editor.execute(statement)

    return run


class Migration(migrations.Migration):
    dependencies = [("recall", "0005_alter_document_vector")]

    operations = [migrations.RunPython(_run(UP), _run(DOWN))]
