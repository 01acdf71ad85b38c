"""Scoring as the manuals say: answers in, scale scores, bands and flags out. Pure functions, no database.

Answers map item ids to the value the respondent chose (as printed on the form, before any reverse
scoring) or None for an unanswered item. Answers given in another published coding (e.g. the US K10's
0–4) are converted to the response sets' own numbering before anything is scored.
"""

import math
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field

from django.utils.translation import gettext, ngettext

from reciprocity.measures.definitions import Band, Coding, Flag, Instrument, Scale, UnknownCoding

Answers = Mapping[str, int | None]


class AnswerError(ValueError):
    """Answers that cannot be scored: the message says what is wrong, in plain words."""


class TooManyMissing(AnswerError):
    """More items are unanswered than the manual's missing-item rule allows."""


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
    prorated: bool = False  # scored with missing items filled in by the manual's rule
    bands: dict[str, Band] = field(default_factory=dict)  # every published banding, by scheme id

    def stored(self, scale: Scale) -> dict[str, object]:
        """The scale as an administration keeps it; "score" and "band" are the keys every reader relies on."""
        kept: dict[str, object] = {
            "score": self.score, "band": self.band.label if self.band else "",
            "prorated": self.prorated, "missing": self.missing,
        }  # fmt: skip
        if scale.has_several_bandings and self.score is not None:
            kept["bands"] = {scheme: band.label for scheme, band in self.bands.items()}
        return kept


@dataclass(frozen=True)
class Result:
    instrument_id: str
    scales: dict[str, ScaleScore]
    total_scale: str | None
    flags: list[Flag] = field(default_factory=list)
    unanswered_flags: list[Flag] = field(default_factory=list)  # flag items left blank: never imputed
    coding: Coding | None = None  # the coding the answers were given in, when not the response sets' own

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
        return "; ".join(f"{s.name}: {s.rule}" for s in self.scales.values())  # names and rules, no sentence

    @property
    def is_prorated(self) -> bool:
        return any(s.prorated for s in self.scales.values())


def answers_from_sequence(instrument: Instrument, values: Sequence[int | None]) -> dict[str, int | None]:
    """Answers given in the form's own item order (None for a missing answer)."""
    if len(values) != len(instrument.items):
        raise AnswerError(
            gettext("{name} has {items} items; {answers} answers were given.").format(
                name=instrument.short_name, items=len(instrument.items), answers=len(values)
            )
        )
    return {item.id: value for item, value in zip(instrument.items, values, strict=True)}


def coding_of(instrument: Instrument, coding_id: str) -> Coding | None:
    """The named coding, None for the response sets' own; AnswerError for one the instrument is not published in."""
    try:
        return instrument.coding(coding_id)
    except UnknownCoding as problem:
        raise AnswerError(str(problem)) from None


def check_answers(instrument: Instrument, answers: Answers, coding: Coding | None = None) -> dict[str, int | None]:
    """Every item present (None allowed), no unknown item, every value one of the item's options in the coding.

    Returns the answers in the response sets' own numbering.
    """
    known = {item.id for item in instrument.items}
    if unknown := sorted(set(answers) - known):
        raise AnswerError(
            gettext("{name} has no item {items}.").format(name=instrument.short_name, items=", ".join(unknown))
        )
    offset = coding.offset if coding else 0
    checked: dict[str, int | None] = {}
    for item in instrument.items:
        value = answers.get(item.id)
        allowed = [o.value + offset for o in instrument.options(item)]
        if value is not None and (isinstance(value, bool) or value not in allowed):
            words = {"name": instrument.short_name, "item": item.id, "value": repr(value),
                     "choices": ", ".join(str(v) for v in allowed)}  # fmt: skip
            if coding is None:
                raise AnswerError(gettext("{name} item {item}: {value} is not one of {choices}.").format(**words))
            raise AnswerError(
                gettext("{name} item {item}: {value} is not one of {choices} in the {coding}.").format(
                    **words, coding=coding.label
                )
            )
        checked[item.id] = None if value is None else value - offset
    return checked


def score(instrument: Instrument, answers: Answers, coding: str = "") -> Result:
    """Score every scale, band it by each published banding, and raise the instrument's flags.

    `coding` names the published coding the answers are given in (empty: the response sets' own). A flag
    looks at its item's answer as given: an unanswered flag item is listed as unanswered, never imputed.
    """
    chosen = coding_of(instrument, coding)
    answers = check_answers(instrument, answers, chosen)
    scales = {scale.id: _score_scale(instrument, scale, answers) for scale in instrument.scales}
    flags = [f for f in instrument.flags if (v := answers.get(f.item)) is not None and v >= f.at_or_above]
    unanswered = [f for f in instrument.flags if answers.get(f.item) is None]
    return Result(instrument.id, scales, instrument.total_scale, flags, unanswered, chosen)


def in_coding(instrument: Instrument, scale: Scale, value: float, coding: Coding | None) -> float:
    """A score on the metric of another coding: every item shifts by the coding's offset (reversed ones too).

    E.g. a K10 total of 21 on the Australian 1–5 coding is 11 on the US 0–4 coding (offset −1 × 10 items).
    """
    if coding is None:
        return value
    items = len(scale.items) if scale.method == "sum" else 1
    return value + coding.offset * items * scale.multiplier


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
    base = _method_words(scale)
    if missing > scale.missing.max_missing:
        allowed = scale.missing.max_missing
        if allowed == 0:
            problem = ngettext(
                "{scale} cannot be scored: {missing} of {n} items are unanswered and every item must be answered.",
                "{scale} cannot be scored: {missing} of {n} items are unanswered and every item must be answered.",
                missing,
            ).format(scale=scale.name, missing=missing, n=n)
        else:
            problem = ngettext(
                "{scale} cannot be scored: {missing} of {n} items are unanswered and at most {allowed} may be "
                "unanswered.",
                "{scale} cannot be scored: {missing} of {n} items are unanswered and at most {allowed} may be "
                "unanswered.",
                allowed,
            ).format(scale=scale.name, missing=missing, n=n, allowed=allowed)
        return ScaleScore(scale.id, scale.name, None, None, answered, missing, base, problem)
    # Prorating (a sum) or averaging (a mean): the mean of the answered items stands in for each missing one.
    raw = sum(given) / answered if scale.method == "mean" else sum(given) * n / answered
    value = raw * scale.multiplier
    if missing:
        value = _rounded(value, scale.missing.rounding)
    if missing:
        base += f"; {prorated_note(scale, missing, answered)}"
    bands = {scheme.id: band_in(scheme.bands, value) for scheme in scale.band_schemes}
    return ScaleScore(
        scale.id, scale.name, value, band_of(scale, value), answered, missing, base, prorated=bool(missing), bands=bands
    )


def mean_item_score(scale: Scale, score: float | None) -> float | None:
    """The mean item score a manual reports beside a sum (CORE-10: the clinical score ÷ 10, 0–4), to two
    decimals; None when the scale reports none or has no score."""
    if not scale.mean_item or score is None:
        return None
    return round(score / scale.multiplier / len(scale.items), 2)


def _rounded(value: float, rounding: str) -> float:
    """Halves upwards, to a whole number or one decimal; `none` keeps the value as computed."""
    if rounding == "half_up":
        return float(math.floor(value + 0.5))
    if rounding == "one_decimal":
        return math.floor(value * 10 + 0.5) / 10
    return value


def _method_words(scale: Scale) -> str:
    """How a scale is scored, in words: "sum of 9 items", "sum of 5 items × 4"."""
    n = len(scale.items)
    if scale.method == "mean":
        words = ngettext("mean of {n} item", "mean of {n} items", n).format(n=n)
    else:
        words = ngettext("sum of {n} item", "sum of {n} items", n).format(n=n)
    return f"{words} × {scale.multiplier:g}" if scale.multiplier != 1 else words


def prorated_note(scale: Scale, missing: int, answered: int) -> str:
    """Says in words that, and how, a score was computed with items missing."""
    mean, rounding = scale.method == "mean", scale.missing.rounding
    if mean and rounding == "half_up":
        text = ngettext(
            "prorated: {missing} item was unanswered, so the score is the mean of the {answered} answered, "
            "rounded to a whole number",
            "prorated: {missing} items were unanswered, so the score is the mean of the {answered} answered, "
            "rounded to a whole number",
            missing,
        )
    elif mean and rounding == "one_decimal":
        text = ngettext(
            "prorated: {missing} item was unanswered, so the score is the mean of the {answered} answered, "
            "rounded to one decimal",
            "prorated: {missing} items were unanswered, so the score is the mean of the {answered} answered, "
            "rounded to one decimal",
            missing,
        )
    elif mean:
        text = ngettext(
            "prorated: {missing} item was unanswered, so the score is the mean of the {answered} answered",
            "prorated: {missing} items were unanswered, so the score is the mean of the {answered} answered",
            missing,
        )
    elif rounding == "half_up":
        text = ngettext(
            "prorated: {missing} item was unanswered, so the score is prorated from the mean of the {answered} "
            "answered, rounded to a whole number",
            "prorated: {missing} items were unanswered, so the score is prorated from the mean of the {answered} "
            "answered, rounded to a whole number",
            missing,
        )
    elif rounding == "one_decimal":
        text = ngettext(
            "prorated: {missing} item was unanswered, so the score is prorated from the mean of the {answered} "
            "answered, rounded to one decimal",
            "prorated: {missing} items were unanswered, so the score is prorated from the mean of the {answered} "
            "answered, rounded to one decimal",
            missing,
        )
    else:
        text = ngettext(
            "prorated: {missing} item was unanswered, so the score is prorated from the mean of the {answered} "
            "answered",
            "prorated: {missing} items were unanswered, so the score is prorated from the mean of the {answered} "
            "answered",
            missing,
        )
    return text.format(missing=missing, answered=answered)


def band_of(scale: Scale, value: float) -> Band:
    """The band of the scale's own (first) banding whose lower edge is the highest one at or below the value."""
    return band_in(scale.bands, value)


def band_in(bands: Sequence[Band], value: float) -> Band:
    """The band whose lower edge is the highest one at or below the value."""
    ordered = sorted(bands, key=lambda b: b.min)
    return next((b for b in reversed(ordered) if value >= b.min), ordered[0])


def in_clinical_range(scale: Scale, value: float) -> bool | None:
    """Whether a score is at or beyond the scale's clinical cut-off; None when the scale has none."""
    if scale.cutoff is None:
        return None
    if scale.cutoff.clinical_when == "at_or_above":
        return value >= scale.cutoff.value
    return value <= scale.cutoff.value
