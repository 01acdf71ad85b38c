"""Releases before the sealed staging (imports/staging.py) kept an upload waiting to be imported in clear, as
DATA_DIR/imports/<user>-<random>.csv. Upgrading deletes them at once, whether or not anyone uploads again or
a worker runs; an upload in the middle of being matched is asked for again."""

from pathlib import Path

from django.conf import settings
from django.db import migrations


def delete_clear_uploads(apps: object, schema_editor: object) -> None:
    for path in (Path(settings.DATA_DIR) / "imports").glob("*.csv"):
        path.unlink(missing_ok=True)


class Migration(migrations.Migration):
    dependencies: list[tuple[str, str]] = []
    operations = [migrations.RunPython(delete_clear_uploads, migrations.RunPython.noop, elidable=True)]
