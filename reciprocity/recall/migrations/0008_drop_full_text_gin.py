"""PostgreSQL: the GIN index over recall_document.terms goes; full-text ranking reads the postings (0007)."""

from django.db import migrations

from reciprocity.lib.migrations import on_postgresql

UP = ["DROP INDEX IF EXISTS recall_document_fts"]
DOWN = ["CREATE INDEX recall_document_fts ON recall_document USING GIN (to_tsvector('simple', terms))"]


class Migration(migrations.Migration):
    dependencies = [("recall", "0007_postings")]

    operations = [on_postgresql(UP, DOWN)]
