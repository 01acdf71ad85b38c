import json
from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser

from reciprocity.measures import registry
from reciprocity.measures.change import JACOBSON_TRUAX_1991, Change, classify_change


def parse_score(raw: str) -> float:
    try:
        return float(raw)
    except ValueError:
        raise CommandError(f"{raw!r} is not a score.", returncode=2) from None


class Command(BaseCommand):
    help = "Classify the change between two scores: improved, deteriorated or no reliable change."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("instrument", help="instrument id, e.g. phq9")
        parser.add_argument("pre", help="the first score")
        parser.add_argument("post", help="the later score")
        parser.add_argument("--scale", help="scale id (default: the total, or the first subscale)")
        parser.add_argument("--json", action="store_true", help="print one JSON object")

    def handle(self, *args: Any, **options: Any) -> None:
        try:
            instrument = registry.get(options["instrument"])
        except registry.UnknownInstrument as problem:
            raise CommandError(str(problem), returncode=2) from None
        scale_ids = [s.id for s in instrument.scales]
        if options["scale"] and options["scale"] not in scale_ids:
            known = ", ".join(scale_ids)
            raise CommandError(
                f"{instrument.short_name} has no scale {options['scale']!r}; it has {known}.", returncode=2
            )
        scale = instrument.scale(options["scale"]) if options["scale"] else instrument.primary_scale
        try:
            change = classify_change(scale, parse_score(options["pre"]), parse_score(options["post"]))
        except ValueError as problem:
            raise CommandError(str(problem), returncode=2) from None
        if options["json"]:
            self.stdout.write(json.dumps(as_json(instrument.id, scale.id, change)))
            return
        self.stdout.write(f"{instrument.short_name} {scale.name}: {change.pre:g} → {change.post:g}: {change.label}")
        self.stdout.write(f"Criterion: {change.criterion}")
        if change.index is not None:
            self.stdout.write(f"Index: {change.index.formula}")
        self.stdout.write(f"Cut-off: {change.cutoff_text}")
        self.stdout.write(f"Rule: {change.rule}")
        self.stdout.write(f"Source: {JACOBSON_TRUAX_1991}")


def as_json(instrument_id: str, scale_id: str, change: Change) -> dict[str, Any]:
    """The change whole: the scores, the class, the criterion, the index with its formula, sources and cut-off."""
    index = change.index
    return {
        "instrument": instrument_id, "scale": scale_id, "pre": change.pre, "post": change.post,
        "change": change.difference, "classification": change.direction,
        "clinically_significant": change.clinically_significant,
        "recovered": change.recovered, "reliable_recovery": change.reliable_recovery,
        "threshold": change.threshold, "criterion": str(change.criterion), "rule": str(change.rule),
        "rci": index.value if index else None, "s_diff": index.s_diff if index else None,
        "sd": index.sd if index else None, "reliability": index.reliability if index else None,
        "formula": str(index.formula) if index else None,
        "sources": list(change.sources),
        "cut_off": change.cutoff.model_dump() if change.cutoff else None,
    }  # fmt: skip
