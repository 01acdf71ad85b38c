import json
from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser

from reciprocity.measures import registry
from reciprocity.measures.scoring import AnswerError, answers_from_sequence, score


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
        parser.add_argument("--json", action="store_true", help="print one JSON object")

    def handle(self, *args: Any, **options: Any) -> None:
        try:
            instrument = registry.get(options["instrument"])
            answers = answers_from_sequence(instrument, [parse_answer(a) for a in options["answers"]])
            result = score(instrument, answers)
        except (registry.UnknownInstrument, AnswerError) as problem:
            raise CommandError(str(problem), returncode=2) from None
        if options["json"]:
            self.stdout.write(json.dumps(_as_json(result)))
            return
        for scale in result.scales.values():
            shown = "cannot be scored" if scale.score is None else f"{scale.score:g} ({scale.band.label})"
            self.stdout.write(f"{scale.name}: {shown}")
        for flag in result.flags:
            self.stdout.write(f"FLAG {flag.id}: {flag.message}")
        for problem in result.problems:
            self.stdout.write(problem)
        self.stdout.write(f"Rule: {result.rule}")


def _as_json(result: Any) -> dict[str, Any]:
    return {
        "instrument": result.instrument_id,
        "total": result.total,
        "band": result.band.label if result.band else None,
        "subscales": {
            s.scale_id: {"score": s.score, "band": s.band.label if s.band else None}
            for s in result.scales.values()
            if s.scale_id != result.total_scale
        },
        "flags": [f.id for f in result.flags],
        "rule": result.rule,
        "problems": result.problems,
    }
