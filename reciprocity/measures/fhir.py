"""FHIR R4 Questionnaire and QuestionnaireResponse, with LOINC codes where the instrument has them.

Answers are Codings whose code is the value as printed on the form (answers given in another published
coding are exported in the questionnaire's own); each scale appears as a read-only decimal item
(`scale-<id>`), so a response carries its scores next to its answers. A scale scored with unanswered
items filled in by the manual's rule carries the PRORATED extension, whose text says how.
"""

import datetime
import re
from typing import Any

from django.conf import settings
from django.utils.translation import gettext, override

from reciprocity.measures.definitions import Instrument, UnknownCoding
from reciprocity.measures.models import Administration
from reciprocity.measures.scoring import prorated_note

LOINC = "http://loinc.org"
BASE = "urn:reciprocity"
SCALE_PREFIX = "scale-"
PRORATED = f"{BASE}:extension:prorated"
# An answer's value: ASCII digits only (str.isdigit also takes "²" and other scripts' digits) and short
# enough to be a questionnaire's answer, never a number int() refuses or takes seconds to read.
_WHOLE_NUMBER = re.compile(r"-?[0-9]{1,9}")


class FhirError(ValueError):
    """A FHIR document that cannot be imported; the message says why."""


def questionnaire_url(instrument: Instrument) -> str:
    return f"{BASE}:questionnaire:{instrument.id}"


def _answer_system(instrument: Instrument, response_set: str) -> str:
    return f"{BASE}:answers:{instrument.id}:{response_set}"


def _coding(instrument: Instrument, response_set: str, value: int, label: str) -> dict[str, str]:
    return {"system": _answer_system(instrument, response_set), "code": str(value), "display": label}


def _loinc(code: str | None, display: str) -> list[dict[str, str]]:
    return [{"system": LOINC, "code": code, "display": display}] if code else []


def questionnaire(instrument: Instrument) -> dict[str, Any]:
    """The instrument as a FHIR Questionnaire resource (JSON-ready dict)."""
    items: list[dict[str, Any]] = []
    for item in instrument.items:
        entry: dict[str, Any] = {
            "linkId": item.id,
            "text": item.text,
            "type": "choice",
            "answerOption": [
                {"valueCoding": _coding(instrument, item.response_set, o.value, o.label)}
                for o in instrument.options(item)
            ],
        }
        if code := _loinc(item.loinc, item.text):
            entry["code"] = code
        items.append(entry)
    for scale in instrument.scales:
        entry = {"linkId": f"{SCALE_PREFIX}{scale.id}", "text": scale.name, "type": "decimal", "readOnly": True}
        if code := _loinc(scale.loinc, scale.name):
            entry["code"] = code
        items.append(entry)
    resource: dict[str, Any] = {
        "resourceType": "Questionnaire",
        "id": instrument.id,
        "url": questionnaire_url(instrument),
        "version": instrument.version,
        "name": re.sub(r"[^A-Za-z0-9_]", "", instrument.short_name) or instrument.id.upper(),
        "title": instrument.name,
        "status": "active",
        "description": instrument.instructions,
        "copyright": instrument.attribution or instrument.licence.terms,
        "item": items,
    }
    if code := _loinc(instrument.loinc, instrument.name):
        resource["code"] = code
    return resource


def questionnaire_response(administration: Administration, instrument: Instrument) -> dict[str, Any]:
    """One administration as a FHIR QuestionnaireResponse; the subject is only the pseudonymous client code."""
    items: list[dict[str, Any]] = []
    offset = _offset(instrument, administration.coding)
    for item in instrument.items:
        value = administration.answers.get(item.id)
        if value is None:
            continue
        label = next(o.label for o in instrument.options(item) if o.value == value - offset)
        coding = _coding(instrument, item.response_set, value - offset, label)
        items.append({"linkId": item.id, "text": item.text, "answer": [{"valueCoding": coding}]})
    items.extend(_scale_items(administration, instrument))
    resource: dict[str, Any] = {
        "resourceType": "QuestionnaireResponse",
        "id": str(administration.pk),
        "questionnaire": f"{questionnaire_url(instrument)}|{administration.instrument_version}",
        "status": "completed",
        "authored": administration.completed_at.isoformat(),
        "item": items,
    }
    if administration.client is not None:
        resource["subject"] = {"identifier": {"system": f"{BASE}:client-code", "value": administration.client.code}}
    return resource


def _offset(instrument: Instrument, coding_id: str) -> int:
    try:
        coding = instrument.coding(coding_id)
    except UnknownCoding:
        return 0
    return coding.offset if coding else 0


def _scale_items(administration: Administration, instrument: Instrument) -> list[dict[str, Any]]:
    """Each scored scale as a decimal answer; a prorated one says so, and how, in an extension."""
    items = []
    for scale in instrument.scales:
        stored = administration.scale_scores.get(scale.id, {})
        if stored.get("score") is None:
            continue
        entry: dict[str, Any] = {"linkId": f"{SCALE_PREFIX}{scale.id}", "text": scale.name}
        if stored.get("prorated"):
            missing = int(stored.get("missing", 0))
            with override(settings.LANGUAGE_CODE):  # an export reads the same whatever the page's language
                note = prorated_note(scale, missing, len(scale.items) - missing)
            entry["extension"] = [{"url": PRORATED, "valueString": f"{note} ({scale.missing.source})"}]
        entry["answer"] = [{"valueDecimal": stored["score"]}]
        items.append(entry)
    return items


def parse_questionnaire_response(
    data: Any, instruments: dict[str, Instrument]
) -> tuple[Instrument, dict, datetime.datetime | None, str | None]:
    """The instrument, answers, authored time and subject client code of a QuestionnaireResponse.

    Anything that is not the shape FHIR defines raises FhirError with a sentence saying what is wrong.
    """
    if not isinstance(data, dict) or data.get("resourceType") != "QuestionnaireResponse":
        raise FhirError(
            gettext("This is not a FHIR QuestionnaireResponse (resourceType must be QuestionnaireResponse).")
        )
    if data.get("status") != "completed":
        raise FhirError(gettext("Only a completed QuestionnaireResponse can be imported (status must be “completed”)."))
    reference = str(data.get("questionnaire", "")).split("|")[0]
    instrument = next((i for i in instruments.values() if questionnaire_url(i) == reference), None)
    if instrument is None:
        raise FhirError(
            gettext("The questionnaire {reference} is not one Reciprocity knows.").format(
                reference=reference[:100] or gettext("(none given)")
            )
        )
    entries = data.get("item") or []
    if not isinstance(entries, list) or not all(isinstance(e, dict) for e in entries):
        raise FhirError(gettext("item must be a list of answered items."))
    answers: dict[str, int | None] = dict.fromkeys((item.id for item in instrument.items), None)
    for entry in entries:
        link_id = str(entry.get("linkId", ""))
        if link_id.startswith(SCALE_PREFIX):
            continue  # scores are recomputed, never trusted from the file
        if link_id not in answers:
            raise FhirError(
                gettext("Item {item} is not part of {name}.").format(
                    item=link_id[:40] or "(no linkId)", name=instrument.short_name
                )
            )
        answers[link_id] = _answer_value(entry, link_id, instrument.short_name)
    return instrument, answers, _authored(data.get("authored")), _subject_code(data.get("subject"))


def _answer_value(entry: dict, link_id: str, name: str) -> int | None:
    answer = entry.get("answer") or []
    if not isinstance(answer, list):
        raise FhirError(gettext("{name} item {item}: answer must be a list.").format(name=name, item=link_id))
    if not answer:
        return None
    if len(answer) != 1 or not isinstance(answer[0], dict):
        raise FhirError(gettext("{name} item {item} must have exactly one answer.").format(name=name, item=link_id))
    coding = answer[0].get("valueCoding")
    if coding is not None and not isinstance(coding, dict):
        raise FhirError(
            gettext("{name} item {item}: valueCoding must be an object with a code.").format(name=name, item=link_id)
        )
    raw = coding.get("code") if coding is not None else answer[0].get("valueInteger")
    if isinstance(raw, bool) or not isinstance(raw, (int, str)) or not _WHOLE_NUMBER.fullmatch(str(raw)):
        raise FhirError(
            gettext("{name} item {item}: the answer {answer} is not a whole number.").format(
                name=name, item=link_id, answer=repr(str(raw)[:20])
            )
        )
    return int(raw)


def _authored(raw: Any) -> datetime.datetime | None:
    if raw in (None, ""):
        return None
    try:
        moment = datetime.datetime.fromisoformat(str(raw))
    except ValueError:
        raise FhirError(gettext("authored {value} is not a date and time.").format(value=repr(str(raw)[:40]))) from None
    if moment.tzinfo is None:
        raise FhirError(gettext("authored needs a time zone, for example 2026-03-14T09:30:00+01:00."))
    if not 1900 <= moment.year <= 2100 or moment > datetime.datetime.now(datetime.UTC):
        raise FhirError(gettext("authored must be a past date and time after 1900."))
    return moment


def _subject_code(subject: Any) -> str | None:
    if not isinstance(subject, dict) or not isinstance(subject.get("identifier"), dict):
        return None
    identifier = subject["identifier"]
    if identifier.get("system") != f"{BASE}:client-code":
        return None
    return str(identifier.get("value", "")) or None
