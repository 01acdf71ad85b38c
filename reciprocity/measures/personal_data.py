"""Measures' part of a person's data: questionnaires (also as FHIR) and the one-time links sent to clients."""

import json
from collections.abc import Iterable, Iterator

from reciprocity.lib.personal_data import Part, Table, when
from reciprocity.measures import registry
from reciprocity.measures.fhir import questionnaire_response
from reciprocity.measures.models import Administration, ClientLink
from reciprocity.practice.models import User


def responses_table(user: User) -> Table:
    header = ["id", "instrument", "version", "client", "completed_at", "source", "total", "band", "scales", "flags",
              "answers", "coding", "note", "language"]  # fmt: skip
    rows = [
        [a.pk, a.instrument_id, a.instrument_version, a.client.code if a.client else "", when(a.completed_at),
         a.source, a.total, a.band, json.dumps(a.scale_scores, sort_keys=True), ";".join(a.flags),
         json.dumps(a.answers, sort_keys=True), a.coding, a.note, a.language]
        for a in Administration.objects.owned_by(user).select_related("client").order_by("completed_at")
    ]  # fmt: skip
    return Table("questionnaires", header, rows)


def client_links_table(user: User) -> Table:
    header = ["id", "client", "instrument", "created_at", "expires_at", "used_at", "questionnaire", "language"]
    rows = [
        [link.pk, link.client.code, link.instrument_id, when(link.created_at), when(link.expires_at),
         when(link.used_at), link.administration_id, link.language]
        for link in ClientLink.objects.owned_by(user).select_related("client").order_by("created_at", "pk")
    ]  # fmt: skip
    return Table("client_links", header, rows)


def fhir_files(user: User) -> Iterator[tuple[str, str]]:
    """Every questionnaire as a FHIR R4 QuestionnaireResponse, `fhir/questionnaire-response-<id>.json`."""
    for administration in _fhir_ready(Administration.objects.owned_by(user).select_related("client")):
        instrument = registry.get(administration.instrument_id)
        resource = questionnaire_response(administration, instrument)
        yield f"fhir/questionnaire-response-{administration.pk}.json", json.dumps(resource, indent=1)


def _fhir_ready(administrations: Iterable[Administration]) -> Iterable[Administration]:
    for administration in administrations:
        try:
            registry.get(administration.instrument_id)
        except registry.UnknownInstrument:
            continue  # a practice's own instrument file was removed: its answers are still in the CSV
        yield administration


def counts(user: User) -> list[tuple[str, int]]:
    return [("questionnaires and check-ins", Administration.objects.owned_by(user).count())]


PART = Part(
    exported={"measures.Administration": "questionnaires", "measures.ClientLink": "client_links"},
    tables={"questionnaires": responses_table, "client_links": client_links_table},
    files=fhir_files,
    counts=counts,
)
