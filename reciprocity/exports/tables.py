"""A therapist's own data as tables: one function per resource, each giving a header and rows.

The same tables become CSV files, JSON documents and the whole-account archive. Only the therapist's own
rows are ever read; clients appear by their pseudonymous code.
"""

import csv
import io
import json
import zipfile
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from typing import Any

from django.utils import timezone

from reciprocity.clients.models import Client
from reciprocity.development.models import Activity, Goal, Support
from reciprocity.measures import registry
from reciprocity.measures.fhir import questionnaire_response
from reciprocity.measures.models import Administration
from reciprocity.practice.models import User
from reciprocity.repertoire.models import Item, Trial
from reciprocity.therapy.dimensions import KEYS
from reciprocity.therapy.models import Reflection, Session


@dataclass(frozen=True)
class Table:
    name: str
    header: list[str]
    rows: list[list[Any]]


def _when(value: Any) -> Any:
    return value.isoformat() if hasattr(value, "isoformat") else value


def clients_table(user: User) -> Table:
    rows = [
        [c.code, ";".join(t.name for t in c.concerns.all()), _when(c.started_on), _when(c.ended_on)]
        for c in Client.objects.owned_by(user).prefetch_related("concerns")
    ]
    return Table("clients", ["code", "concerns", "started_on", "ended_on"], rows)


def sessions_table(user: User) -> Table:
    header = ["id", "client", "starts_at", "duration_minutes", "format", "mode", "techniques", "emotional_load",
              "worked_with_trauma", "arrival_calm", "arrival_tiredness"]  # fmt: skip
    rows = [
        [s.pk, s.client.code, _when(s.starts_at), s.duration_minutes, s.format, s.mode,
         ";".join(t.name for t in s.techniques.all()), s.emotional_load, s.worked_with_trauma, s.arrival_calm,
         s.arrival_tiredness]
        for s in Session.objects.owned_by(user).for_listing().order_by("starts_at")
    ]  # fmt: skip
    return Table("sessions", header, rows)


def reflections_table(user: User) -> Table:
    header = ["id", "session", "occasion", "occurred_at", *KEYS, "gave_me", "carry_home", "mood_before", "mood_after"]
    rows = [
        [r.pk, r.session_id, r.occasion, _when(r.occurred_at), *(getattr(r, k) for k in KEYS), r.gave_me,
         r.carry_home, r.mood_before, r.mood_after]
        for r in Reflection.objects.owned_by(user).order_by("occurred_at")
    ]  # fmt: skip
    return Table("reflections", header, rows)


def responses_table(user: User) -> Table:
    header = ["id", "instrument", "version", "client", "completed_at", "source", "total", "band", "scales", "flags",
              "answers", "note"]  # fmt: skip
    rows = [
        [a.pk, a.instrument_id, a.instrument_version, a.client.code if a.client else "", _when(a.completed_at),
         a.source, a.total, a.band, json.dumps(a.scale_scores, sort_keys=True), ";".join(a.flags),
         json.dumps(a.answers, sort_keys=True), a.note]
        for a in Administration.objects.owned_by(user).select_related("client").order_by("completed_at")
    ]  # fmt: skip
    return Table("questionnaires", header, rows)


def repertoire_table(user: User) -> Table:
    header = ["id", "title", "description", "origin", "reflection", "dimensions", "tags", "created_at"]
    rows = [
        [i.pk, i.title, i.description, i.origin, i.reflection_id, ";".join(i.dimensions), ";".join(i.tags),
         _when(i.created_at)]
        for i in Item.objects.owned_by(user).order_by("created_at")
    ]  # fmt: skip
    return Table("repertoire", header, rows)


def tries_table(user: User) -> Table:
    header = ["id", "item", "tried_on", "situation", "helped", "note"]
    rows = [
        [t.pk, t.item_id, _when(t.tried_on), t.situation, t.helped, t.note]
        for t in Trial.objects.owned_by(user).order_by("tried_on", "pk")
    ]
    return Table("tries", header, rows)


def development_table(user: User) -> Table:
    header = ["id", "kind", "day", "title", "hours", "credits", "note"]
    rows = [[a.pk, a.kind, _when(a.day), a.title, float(a.hours), float(a.credits), a.note]
            for a in Activity.objects.owned_by(user).order_by("day", "pk")]  # fmt: skip
    return Table("development", header, rows)


def goals_table(user: User) -> Table:
    rows = [[g.pk, g.title, _when(g.target), g.progress, g.note] for g in Goal.objects.owned_by(user).order_by("pk")]
    return Table("goals", ["id", "title", "target", "progress", "note"], rows)


def support_table(user: User) -> Table:
    rows = [
        [e.pk, e.kind, _when(e.day), e.helped, e.note] for e in Support.objects.owned_by(user).order_by("day", "pk")
    ]
    return Table("support", ["id", "kind", "day", "helped", "note"], rows)


TABLES: dict[str, Callable[[User], Table]] = {
    "clients": clients_table,
    "sessions": sessions_table,
    "reflections": reflections_table,
    "questionnaires": responses_table,
    "repertoire": repertoire_table,
    "tries": tries_table,
    "development": development_table,
    "goals": goals_table,
    "support": support_table,
}


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
        for build in TABLES.values():
            table = build(user)
            archive.writestr(f"{table.name}.csv", as_csv(table))
            archive.writestr(f"{table.name}.json", as_json(table))
        for administration in _fhir_ready(Administration.objects.owned_by(user).select_related("client")):
            instrument = registry.get(administration.instrument_id)
            resource = questionnaire_response(administration, instrument)
            archive.writestr(f"fhir/questionnaire-response-{administration.pk}.json", json.dumps(resource, indent=1))
        archive.writestr(
            "README.txt",
            f"Reciprocity export of {user.username}, made {timezone.now().isoformat()}.\n"
            "clients, sessions, reflections and questionnaires as CSV and JSON; questionnaires also as FHIR R4\n"
            "QuestionnaireResponse in fhir/. Clients appear only by their pseudonymous code.\n",
        )
    return buffer.getvalue()


def _fhir_ready(administrations: Iterable[Administration]) -> Iterable[Administration]:
    for administration in administrations:
        try:
            registry.get(administration.instrument_id)
        except registry.UnknownInstrument:
            continue  # a practice's own instrument file was removed: its answers are still in the CSV
        yield administration
