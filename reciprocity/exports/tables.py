"""A therapist's own data as files: each table of every app's part (lib/personal_data.py) as CSV or JSON.

The same tables become CSV files, JSON documents and the whole-account archive. Only the therapist's own
rows are ever read; clients appear by their pseudonymous code.
"""

import csv
import io
import json
import zipfile
from typing import Any

from django.utils import timezone

from reciprocity.lib.personal_data import Table, parts, tables
from reciprocity.practice.models import User


def _safe_cell(value: Any) -> Any:
    """Keep spreadsheet programs from running a cell as a formula (CSV injection)."""
    if isinstance(value, str) and value[:1] in {"=", "+", "-", "@", "\t", "\r"}:
        return "'" + value
    return "" if value is None else value


def as_csv(table: Table) -> str:
    out = io.StringIO()
    writer = csv.writer(out)
    writer.writerow(table.header)
    writer.writerows([_safe_cell(v) for v in row] for row in table.rows)
    return out.getvalue()


def as_json(table: Table) -> str:
    return json.dumps([dict(zip(table.header, row, strict=True)) for row in table.rows], ensure_ascii=False, indent=1)


def account_archive(user: User) -> bytes:
    """Everything of one therapist as a zip: each table as CSV and JSON, and every questionnaire as FHIR."""
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as archive:
        builders = tables()
        for name, build in builders.items():
            table = build(user)
            archive.writestr(f"{name}.csv", as_csv(table))
            archive.writestr(f"{name}.json", as_json(table))
        for part in parts().values():
            for path, text in part.files(user) if part.files else ():
                archive.writestr(path, text)
        archive.writestr(
            "README.txt",
            f"Reciprocity export of {user.username}, made {timezone.now().isoformat()}.\n"
            "Every table of your data as CSV and JSON (" + ", ".join(builders) + "); questionnaires also as\n"
            "FHIR R4 QuestionnaireResponse in fhir/. Clients appear only by their pseudonymous code.\n",
        )
    return buffer.getvalue()
