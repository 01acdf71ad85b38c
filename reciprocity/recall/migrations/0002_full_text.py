"""The full-text index over recall_document.terms: an FTS5 table kept in step by triggers on SQLite,
a GIN expression index on PostgreSQL."""

from django.db import migrations

SQLITE_UP = [
    # `owner` holds the owner's token (u<id>), so a match can require it; bm25() weighs that column 0.
    "CREATE VIRTUAL TABLE recall_fts USING fts5(owner, terms, content='recall_document', content_rowid='id')",
    """CREATE TRIGGER recall_fts_insert AFTER INSERT ON recall_document BEGIN
         INSERT INTO recall_fts(rowid, owner, terms) VALUES (new.id, new.owner, new.terms);
       END""",
    """CREATE TRIGGER recall_fts_delete AFTER DELETE ON recall_document BEGIN
         INSERT INTO recall_fts(recall_fts, rowid, owner, terms) VALUES ('delete', old.id, old.owner, old.terms);
       END""",
    """CREATE TRIGGER recall_fts_update AFTER UPDATE OF owner, terms ON recall_document BEGIN
         INSERT INTO recall_fts(recall_fts, rowid, owner, terms) VALUES ('delete', old.id, old.owner, old.terms);
         INSERT INTO recall_fts(rowid, owner, terms) VALUES (new.id, new.owner, new.terms);
       END""",
    "INSERT INTO recall_fts(recall_fts) VALUES ('rebuild')",
]
SQLITE_DOWN = [
    "DROP TRIGGER IF EXISTS recall_fts_update",
    "DROP TRIGGER IF EXISTS recall_fts_delete",
    "DROP TRIGGER IF EXISTS recall_fts_insert",
    "DROP TABLE IF EXISTS recall_fts",
]
POSTGRESQL_UP = ["CREATE INDEX recall_document_fts ON recall_document USING GIN (to_tsvector('simple', terms))"]
POSTGRESQL_DOWN = ["DROP INDEX IF EXISTS recall_document_fts"]


def _run(statements_by_vendor):
    def run(apps, schema_editor):
        for statement in statements_by_vendor.get(schema_editor.connection.vendor, []):
            schema_editor.execute(statement)

    return run


class Migration(migrations.Migration):
    dependencies = [("recall", "0001_initial")]

    operations = [
        migrations.RunPython(
            _run({"sqlite": SQLITE_UP, "postgresql": POSTGRESQL_UP}),
            _run({"sqlite": SQLITE_DOWN, "postgresql": POSTGRESQL_DOWN}),
        )
    ]
