"""Steps of the calendar import as a therapist takes them, and what the database holds afterwards."""

import html
import json
import re

from django.contrib.sessions.models import Session as WebSession
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import connection
from django.test import Client as HttpClient

from reciprocity.calendars.tests.calendars import PRACTICE_ICS, SUPERVISION, VIDEO, WEEKLY, WINDOW
from reciprocity.vault.fields import encrypted_fields

# Ana's usual answer: the weekly client gets a new code, the video client her N-0007, supervision is not a
# session, and the intake is left unmapped.
CHOICES = {WEEKLY: "new:N-0101", VIDEO: "N-0007", SUPERVISION: "skip"}


def upload(browser: HttpClient, raw: bytes = PRACTICE_ICS, **fields: str):  # type: ignore[no-untyped-def]
    return browser.post("/calendar/", {"file": SimpleUploadedFile("calendar.ics", raw, "text/calendar"),
                                       **WINDOW, **fields})  # fmt: skip


def rows(page: str) -> dict[str, int]:
    """Each title on the mapping page with its row number."""
    return {html.unescape(text): int(i) for i, text in re.findall(r'name="text-(\d+)" value="([^"]*)"', page)}


def answer(browser: HttpClient, page: str, choices: dict[str, str] = CHOICES):  # type: ignore[no-untyped-def]
    """Post the mapping page: per title a code, "skip", "new:<code>", or nothing (not mapped)."""
    data = {}
    for title, i in rows(page).items():
        data[f"text-{i}"] = title
        choice = choices.get(title, "")
        data[f"new-{i}" if choice.startswith("new:") else f"choice-{i}"] = choice.removeprefix("new:")
    return browser.post("/calendar/map/", data)


def import_calendar(browser: HttpClient, raw: bytes = PRACTICE_ICS, choices: dict[str, str] = CHOICES):  # type: ignore[no-untyped-def]
    """Upload, map, preview, import: the whole way, asserting each step went through."""
    mapping = upload(browser, raw)
    assert mapping.status_code == 200, mapping.content.decode()[:2000]
    assert answer(browser, mapping.content.decode(), choices)["Location"] == "/calendar/preview/"
    assert browser.get("/calendar/preview/").status_code == 200
    return browser.post("/calendar/preview/")


def stored_text() -> str:
    """Every text the database holds, lower-cased: each table's every column, the web sessions' decoded data,
    and the decrypted value of every encrypted column."""
    chunks = []
    with connection.cursor() as cursor:
        for table in connection.introspection.table_names():
            cursor.execute(f"SELECT * FROM {connection.ops.quote_name(table)}")  # noqa: S608 - our own table names
            for row in cursor.fetchall():
                chunks += [bytes(c).decode("utf-8", "replace") if isinstance(c, bytes | memoryview) else str(c)
                           for c in row]  # fmt: skip
    chunks += [json.dumps(s.get_decoded()) for s in WebSession.objects.all()]
    for model, fields in encrypted_fields():
        chunks += [str(v) for row in model.objects.values_list(*[f.attname for f in fields]) for v in row]
    return "\n".join(chunks).lower()
