import json
from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser

from reciprocity.measures import registry
from reciprocity.measures.definitions import Instrument
from reciprocity.measures.scoring import (
    AnswerError,
    Result,
    ScaleScore,
    answers_from_sequence,
    in_coding,
    mean_item_score,
    score,
)


def parse_answer(raw: str) -> int | None:
    if raw == "-":
        return None
    try:
        return int(raw)
    except ValueError:
        raise CommandError(
            f"{raw!r} is not an answer: give whole numbers, or - for a missing one.", returncode=2
        ) from None


class Command(BaseCommand):
    help = "Score answers given in the instrument's own item order and coding (- for a missing answer)."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("instrument", help="instrument id, e.g. phq9")
        parser.add_argument("answers", nargs="+", help="one answer per item, in form order; - for missing")
        parser.add_argument("--coding", default="", help="a published coding of the answers, e.g. us for the K10's 0-4")
        parser.add_argument("--json", action="store_true", help="print one JSON object")

    def handle(self, *args: Any, **options: Any) -> None:
        try:
            instrument = registry.get(options["instrument"])
            answers = answers_from_sequence(instrument, [parse_answer(a) for a in options["answers"]])
            result = score(instrument, answers, options["coding"])
        except (registry.UnknownInstrument, AnswerError) as problem:
            raise CommandError(str(problem), returncode=2) from None
        if options["json"]:
            self.stdout.write(json.dumps(as_json(instrument, result)))
            return
        for line in as_lines(instrument, result):
            self.stdout.write(line)


def as_lines(instrument: Instrument, result: Result) -> list[str]:
    """The result as a person reads it: each scale, its bandings, flags, problems and the rule used."""
    lines = []
    if result.coding:
        lines.append(f"Answers in the {result.coding.label}.")
    for scale in instrument.scales:
        found = result.scales[scale.id]
        if found.score is None:
            lines.append(f"{found.name}: cannot be scored")
            continue
        shown = f"{found.name}: {found.score:g} ({found.band.label})"
        if result.coding:
            shown += f", {in_coding(instrument, scale, found.score, result.coding):g} on the {result.coding.label}"
        lines.append(shown + (" - prorated" if found.prorated else ""))
        if (mean := mean_item_score(scale, found.score)) is not None:
            lines.append(f"  mean item score: {mean:.2f}")
        if scale.has_several_bandings:
            lines.extend(f"  {s.name}: {found.bands[s.id].label}" for s in scale.band_schemes)
    lines.extend(f"FLAG {flag.id}: {flag.message}" for flag in result.flags)
    lines.extend(f"NOT ANSWERED {flag.id}: {flag.unanswered_message}" for flag in result.unanswered_flags)
    lines.extend(result.problems)
    lines.append(f"Rule: {result.rule}")
    return lines


def as_json(instrument: Instrument, result: Result) -> dict[str, Any]:
    """One JSON object: the total and its band(s), subscales, whether anything was prorated, flags, the rule."""
    total = result.scales[result.total_scale] if result.total_scale else None
    data: dict[str, Any] = {
        "instrument": result.instrument_id,
        "total": result.total,
        "band": result.band.label if result.band else None,
        "prorated": result.is_prorated,
        "subscales": {
            scale.id: _scale_json(instrument, result, result.scales[scale.id])
            for scale in instrument.scales
            if scale.id != result.total_scale
        },
        "flags": [f.id for f in result.flags],
        "unanswered_flags": [f.id for f in result.unanswered_flags],
        "rule": result.rule,
        "problems": result.problems,
    }
    if total is not None:
        beside = {"missing", "bands", "mean_item"}
        data |= {k: v for k, v in _scale_json(instrument, result, total).items() if k in beside}
    if result.coding:
        data["coding"] = result.coding.id
        if total is not None and total.score is not None:
            data["total_in_coding"] = in_coding(instrument, instrument.primary_scale, total.score, result.coding)
    return data


def _scale_json(instrument: Instrument, result: Result, found: ScaleScore) -> dict[str, Any]:
    scale = instrument.scale(found.scale_id)
    data: dict[str, Any] = {
        "score": found.score,
        "band": found.band.label if found.band else None,
        "prorated": found.prorated,
        "missing": found.missing,
    }
    if scale.has_several_bandings and found.score is not None:
        data["bands"] = {s.id: {"name": s.name, "band": found.bands[s.id].label} for s in scale.band_schemes}
    if (mean := mean_item_score(scale, found.score)) is not None:
        data["mean_item"] = mean
    if result.coding and found.score is not None:
        data["score_in_coding"] = in_coding(instrument, scale, found.score, result.coding)
    return data
