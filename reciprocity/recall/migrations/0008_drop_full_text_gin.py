"""PostgreSQL: the GIN index over recall_document.terms goes; full-text ranking reads the postings (0007)."""

from django.db import migrations

UP = ["DROP INDEX IF EXISTS recall_document_fts"]
DOWN = ["CREATE INDEX recall_document_fts ON recall_document USING GIN (to_tsvector('simple', terms))"]


def _run(statements):
    def run(apps, schema_editor):
        if schema_editor.connection.vendor == "postgresql":
            for statement in statements:
                schema_editor.execute(statement)

    return run


class Migration(migrations.Migration):
    dependencies = [("recall", "0007_postings")]

    operations = [migrations.RunPython(_run(UP), _run(DOWN))]
