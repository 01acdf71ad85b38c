"""SQLite: an fts5vocab view of the full-text index, giving each hashed term's document frequency."""

from django.db import migrations


def _run(statement):
    def run(apps, schema_editor):
        if schema_editor.connection.vendor == "sqlite":
            schema_editor.execute(statement)

    return run


class Migration(migrations.Migration):
    dependencies = [("recall", "0002_full_text")]

    operations = [
        migrations.RunPython(
            _run("CREATE VIRTUAL TABLE recall_fts_terms USING fts5vocab(recall_fts, 'col')"),
            _run("DROP TABLE IF EXISTS recall_fts_terms"),
        )
    ]
