"""Scoring as the manuals say: answers in, scale scores, bands and flags out. Pure functions, no database.

Answers map item ids to the value the respondent chose (as printed on the form, before any reverse
scoring) or None for an unanswered item.
"""

import math
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field

from reciprocity.measures.definitions import Band, Flag, Instrument, Scale

Answers = Mapping[str, int | None]


class AnswerError(ValueError):
    """Answers that cannot be scored: the message says what is wrong, in plain words."""


@dataclass(frozen=True)
class ScaleScore:
    scale_id: str
    name: str
    score: float | None  # None when too many items are missing to score it
    band: Band | None
    answered: int
    missing: int
    rule: str
    problem: str = ""


@dataclass(frozen=True)
class Result:
    instrument_id: str
    scales: dict[str, ScaleScore]
    total_scale: str | None
    flags: list[Flag] = field(default_factory=list)

    @property
    def total(self) -> float | None:
        return self.scales[self.total_scale].score if self.total_scale else None

    @property
    def band(self) -> Band | None:
        return self.scales[self.total_scale].band if self.total_scale else None

    @property
    def problems(self) -> list[str]:
        return [s.problem for s in self.scales.values() if s.problem]

    @property
    def rule(self) -> str:
        return "; ".join(f"{s.name}: {s.rule}" for s in self.scales.values())


def answers_from_sequence(instrument: Instrument, values: Sequence[int | None]) -> dict[str, int | None]:
    """Answers given in the form's own item order (None for a missing answer)."""
    if len(values) != len(instrument.items):
        raise AnswerError(
            f"{instrument.short_name} has {len(instrument.items)} items; {len(values)} answers were given."
        )
    return {item.id: value for item, value in zip(instrument.items, values, strict=True)}


def check_answers(instrument: Instrument, answers: Answers) -> dict[str, int | None]:
    """Every item present (None allowed), no unknown item, every value one of the item's own options."""
    known = {item.id for item in instrument.items}
    if unknown := sorted(set(answers) - known):
        raise AnswerError(f"{instrument.short_name} has no item {', '.join(unknown)}.")
    checked: dict[str, int | None] = {}
    for item in instrument.items:
        value = answers.get(item.id)
        allowed = [o.value for o in instrument.options(item)]
        if value is not None and (isinstance(value, bool) or value not in allowed):
            choices = ", ".join(str(v) for v in allowed)
            raise AnswerError(f"{instrument.short_name} item {item.id}: {value!r} is not one of {choices}.")
        checked[item.id] = value
    return checked


def score(instrument: Instrument, answers: Answers) -> Result:
    """Score every scale, band it, and raise the instrument's flags (on the answer as given)."""
    answers = check_answers(instrument, answers)
    scales = {scale.id: _score_scale(instrument, scale, answers) for scale in instrument.scales}
    flags = [f for f in instrument.flags if (v := answers.get(f.item)) is not None and v >= f.at_or_above]
    return Result(instrument_id=instrument.id, scales=scales, total_scale=instrument.total_scale, flags=flags)


def _item_value(instrument: Instrument, item_id: str, value: int) -> int:
    item = instrument.item(item_id)
    if not item.reverse:
        return value
    values = [o.value for o in instrument.options(item)]
    return min(values) + max(values) - value


def _score_scale(instrument: Instrument, scale: Scale, answers: Answers) -> ScaleScore:
    given = [_item_value(instrument, i, v) for i in scale.items if (v := answers[i]) is not None]
    n, answered = len(scale.items), len(given)
    missing = n - answered
    base = f"{scale.method} of {n} items"
    if scale.multiplier != 1:
        base += f" × {scale.multiplier:g}"
    if missing > scale.missing.max_missing:
        allowed = scale.missing.max_missing
        limit = "every item must be answered" if allowed == 0 else f"at most {allowed} may be unanswered"
        problem = f"{scale.name} cannot be scored: {missing} of {n} items are unanswered and {limit}."
        return ScaleScore(scale.id, scale.name, None, None, answered, missing, base, problem)
    if scale.method == "mean":
        raw = sum(given) / answered
    elif missing == 0:
        raw = float(sum(given))
    else:
        # Prorating: the mean of the answered items stands in for each missing one, rounded half up.
        raw = float(math.floor(sum(given) * n / answered + 0.5))
    if missing:
        plural = "s" if missing > 1 else ""
        base += f", {missing} missing item{plural} handled by the manual's rule ({scale.missing.method})"
    value = raw * scale.multiplier
    return ScaleScore(scale.id, scale.name, value, band_of(scale, value), answered, missing, base)


def band_of(scale: Scale, value: float) -> Band:
    """The band whose lower edge is the highest one at or below the value."""
    bands = sorted(scale.bands, key=lambda b: b.min)
    return next((b for b in reversed(bands) if value >= b.min), bands[0])


def in_clinical_range(scale: Scale, value: float) -> bool | None:
    """Whether a score is at or beyond the scale's clinical cut-off; None when the scale has none."""
    if scale.cutoff is None:
        return None
    if scale.cutoff.clinical_when == "at_or_above":
        return value >= scale.cutoff.value
    return value <= scale.cutoff.value
