"""Instruments are data: one JSON file each, validated by this schema at load and in the tests.

No code names an instrument. A shipped file lives in `measures/instruments/`; a practice that holds
a licence for another instrument adds its file with `reciprocity instruments add FILE`, which keeps
it in the data directory (never in the package).

A file states the `language` of its words (a BCP-47 tag, "en" when left out). A file with `translation_of`
is a licensed translation of another instrument: its own words in its own language, with the items, answer
values and scoring of the instrument it translates (`check_translation`), so its answers count as that
instrument's.
"""

from __future__ import annotations

import itertools
import json
import re
from collections.abc import Iterable
from pathlib import Path
from typing import Literal

from django.utils.translation import gettext, ngettext
from pydantic import BaseModel, ConfigDict, Field, ValidationError, field_validator, model_validator

SHIPPED_DIR = Path(__file__).resolve().parent / "instruments"
DEFAULT_LANGUAGE = "en"  # the language of a file that names none: every shipped file is English
LANGUAGE_TAG = re.compile(r"^[a-z]{2,3}(-[a-z0-9]{2,8})*$")  # "es", "de-at", "pt-br", "es-419" (lower case)


class Strict(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True)


class Option(Strict):
    value: int
    label: str


class Item(Strict):
    id: str = Field(pattern=r"^[0-9A-Za-z_]+$")
    text: str = Field(min_length=1)
    response_set: str
    reverse: bool = False  # scored as (lowest + highest − answer) of its response set
    loinc: str | None = None


class Band(Strict):
    min: float
    max: float
    label: str
    severity: int = Field(ge=0, description="0 = best; larger = more concern")


class SchemeName(Strict):
    """Names a scale's own `bands` when the scale is read by more than one published banding."""

    id: str = Field(pattern=r"^[a-z0-9_]+$")
    name: str
    source: str


class BandScheme(SchemeName):
    """A further published banding of the same score, e.g. Andrews & Slade (2001) beside the ABS levels of the K10."""

    bands: list[Band] = Field(min_length=1)


class UnknownCoding(ValueError):
    """An answer coding the instrument is not published with."""


class Coding(Strict):
    """A published numbering of the answers: an answer in this coding is the response set's own value + offset.

    For example the US K10 (0–4 per item) has offset −1 against the Australian 1–5 printed in the file.
    """

    id: str = Field(pattern=r"^[a-z0-9_]+$")
    label: str
    offset: int
    source: str


class Cutoff(Strict):
    """The clinical cut-off ("caseness"): a score at or beyond it counts as in the clinical range."""

    value: float
    clinical_when: Literal["at_or_above", "at_or_below"]
    source: str


class Reliability(Strict):
    """What the Jacobson–Truax reliable change index needs, or a published threshold that replaces it."""

    alpha: float | None = Field(default=None, gt=0, lt=1)
    sd: float | None = Field(default=None, gt=0)
    published_threshold: float | None = Field(default=None, gt=0)
    source: str

    @model_validator(mode="after")
    def _has_a_rule(self) -> Reliability:
        if self.published_threshold is None and (self.alpha is None or self.sd is None):
            raise ValueError("give either a published_threshold or both alpha and sd")
        return self


class MissingRule(Strict):
    """How many items may be unanswered; `prorate` scales the answered ones up, `mean_of_answered` averages them.

    `rounding` says what happens to a score computed with items missing: `half_up` rounds it to a whole
    number, `one_decimal` to one decimal place (halves upwards in both), `none` keeps it as computed. Left
    out, a prorated sum is rounded half up and a mean is kept, as before the field existed.
    """

    max_missing: int = Field(ge=0)
    method: Literal["refuse", "prorate", "mean_of_answered"]
    rounding: Literal["half_up", "one_decimal", "none"]
    source: str

    @property
    def summary(self) -> str:
        """The rule in one sentence for the person entering answers."""
        if self.method == "refuse":
            return gettext("Every item must be answered for this score.")
        n = self.max_missing
        if self.method == "mean_of_answered":
            text = ngettext(
                "Up to {n} item may be left blank; the score is the mean of the answered items.",
                "Up to {n} items may be left blank; the score is the mean of the answered items.",
                n,
            )
        elif self.rounding == "half_up":
            text = ngettext(
                "Up to {n} item may be left blank; the mean of the answered items stands in for each blank one "
                "(prorating), rounded to a whole number.",
                "Up to {n} items may be left blank; the mean of the answered items stands in for each blank one "
                "(prorating), rounded to a whole number.",
                n,
            )
        elif self.rounding == "one_decimal":
            text = ngettext(
                "Up to {n} item may be left blank; the mean of the answered items stands in for each blank one "
                "(prorating), rounded to one decimal.",
                "Up to {n} items may be left blank; the mean of the answered items stands in for each blank one "
                "(prorating), rounded to one decimal.",
                n,
            )
        else:
            text = ngettext(
                "Up to {n} item may be left blank; the mean of the answered items stands in for each blank one "
                "(prorating).",
                "Up to {n} items may be left blank; the mean of the answered items stands in for each blank one "
                "(prorating).",
                n,
            )
        return text.format(n=n)

    @model_validator(mode="before")
    @classmethod
    def _default_rounding(cls, data: object) -> object:
        if isinstance(data, dict) and "rounding" not in data:
            return {**data, "rounding": "half_up" if data.get("method") == "prorate" else "none"}
        return data


class Scale(Strict):
    id: str = Field(pattern=r"^[a-z0-9_]+$")
    name: str
    items: list[str] = Field(min_length=1)
    method: Literal["sum", "mean"]
    multiplier: float = 1.0  # e.g. WHO-5 percentage = raw sum × 4
    range: tuple[float, float]
    higher_is_better: bool = False
    bands: list[Band] = Field(min_length=1)  # the banding a score is shown and charted with first
    bands_scheme: SchemeName | None = None  # names `bands` when other_band_schemes are given
    other_band_schemes: list[BandScheme] = []
    cutoff: Cutoff | None = None
    reliability: Reliability | None = None
    missing: MissingRule
    loinc: str | None = None
    mean_item: bool = False  # the manual reports the mean item score beside a sum (CORE: total ÷ items)

    @model_validator(mode="after")
    def _bands_cover_the_range(self) -> Scale:
        if self.other_band_schemes and self.bands_scheme is None:
            raise ValueError(f"scale {self.id}: name its bands (bands_scheme) when it has other_band_schemes")
        ids = [scheme.id for scheme in self.band_schemes]
        if len(set(ids)) != len(ids):
            raise ValueError(f"scale {self.id}: band scheme ids must be unique")
        for scheme in self.band_schemes:
            _check_bands(self, scheme)
        if self.mean_item and self.method != "sum":
            raise ValueError(f"scale {self.id}: a mean item score is reported beside a sum only")
        return self

    @property
    def band_schemes(self) -> list[BandScheme]:
        """Every published banding of this scale, its own `bands` first."""
        name = self.bands_scheme or SchemeName(id="bands", name="Bands", source="")
        return [BandScheme(**name.model_dump(), bands=self.bands), *self.other_band_schemes]

    @property
    def has_several_bandings(self) -> bool:
        return bool(self.other_band_schemes)


def _check_bands(scale: Scale, scheme: BandScheme) -> None:
    """A banding covers the scale's whole range without overlapping bands."""
    low, high = scale.range
    named = f" ({scheme.name})" if scale.other_band_schemes else ""
    bands = sorted(scheme.bands, key=lambda b: b.min)
    if bands[0].min != low or bands[-1].max != high:
        raise ValueError(f"scale {scale.id}: bands{named} must start at {low:g} and end at {high:g}")
    for before, after in itertools.pairwise(bands):
        if after.min <= before.max:
            raise ValueError(f"scale {scale.id}: bands {before.label!r} and {after.label!r}{named} overlap")


class Flag(Strict):
    id: str
    item: str
    at_or_above: int
    message: str  # shown to the therapist
    client_message: str = ""  # shown to a client who answered through a link, e.g. where to find help now
    unanswered_message: str = ""  # shown to the therapist when the item was left blank: never imputed, never silent


class Licence(Strict):
    name: str
    terms: str
    may_ship: bool


class Instrument(Strict):
    id: str = Field(pattern=r"^[a-z0-9_]+$")
    name: str
    short_name: str
    version: str
    audience: Literal["client", "therapist", "both"]  # who answers it about whom; "both" e.g. WHO-5
    checkin_every_days: int | None = Field(default=None, ge=1)  # a therapist's own check-in falls due after this
    citation: list[str] = Field(min_length=1)
    source_url: str
    licence: Licence
    attribution: str = ""  # text that must be shown wherever the instrument is shown
    instructions: str
    response_sets: dict[str, list[Option]]
    items: list[Item] = Field(min_length=1)
    scales: list[Scale] = Field(min_length=1)
    total_scale: str | None  # the scale reported as the total; None when only subscales exist
    flags: list[Flag] = []
    codings: list[Coding] = []  # published numberings of the answers; empty: only the response sets' own
    loinc: str | None = None  # the panel / form code
    language: str = DEFAULT_LANGUAGE  # the language of the file's words, a BCP-47 tag such as "en", "es", "de-AT"
    translation_of: str | None = Field(default=None, pattern=r"^[a-z0-9_]+$")  # the id of the instrument translated

    @field_validator("language", mode="before")
    @classmethod
    def _language_is_a_tag(cls, value: object) -> object:
        if not isinstance(value, str):
            return value  # the type check reports it
        tag = value.strip().replace("_", "-").lower()
        if not LANGUAGE_TAG.match(tag):
            raise ValueError(f'{value!r} is not a BCP-47 language tag such as "es", "de" or "pt-BR"')
        return tag

    @field_validator("response_sets")
    @classmethod
    def _options_are_ordered(cls, sets: dict[str, list[Option]]) -> dict[str, list[Option]]:
        for name, options in sets.items():
            values = [o.value for o in options]
            if len(values) < 2 or len(set(values)) != len(values):
                raise ValueError(f"response set {name}: at least two distinct values are needed")
        return sets

    @model_validator(mode="after")
    def _references_resolve(self) -> Instrument:
        item_ids = [i.id for i in self.items]
        if len(set(item_ids)) != len(item_ids):
            raise ValueError("item ids must be unique")
        for item in self.items:
            if item.response_set not in self.response_sets:
                raise ValueError(f"item {item.id}: unknown response set {item.response_set!r}")
        scale_ids = [s.id for s in self.scales]
        if len(set(scale_ids)) != len(scale_ids):
            raise ValueError("scale ids must be unique")
        for scale in self.scales:
            unknown = set(scale.items) - set(item_ids)
            if unknown:
                raise ValueError(f"scale {scale.id}: unknown items {sorted(unknown)}")
            if scale.missing.max_missing >= len(scale.items):
                raise ValueError(f"scale {scale.id}: max_missing must leave at least one answered item")
            _check_missing_rule(scale)
        if self.total_scale is not None and self.total_scale not in scale_ids:
            raise ValueError(f"total_scale {self.total_scale!r} is not one of the scales")
        for flag in self.flags:
            if flag.item not in item_ids:
                raise ValueError(f"flag {flag.id}: unknown item {flag.item!r}")
        _check_codings(self.codings)
        if self.translation_of == self.id:
            raise ValueError("translation_of names the instrument this file translates, not the file itself")
        return self

    def item(self, item_id: str) -> Item:
        return next(i for i in self.items if i.id == item_id)

    def scale(self, scale_id: str) -> Scale:
        return next(s for s in self.scales if s.id == scale_id)

    def options(self, item: Item) -> list[Option]:
        return self.response_sets[item.response_set]

    def is_for(self, audience: str) -> bool:
        return self.audience in (audience, "both")

    @property
    def original_id(self) -> str:
        """The id its answers are stored and scored under: the instrument it translates, else its own."""
        return self.translation_of or self.id

    @property
    def own_coding(self) -> str:
        """The id of the coding the response sets print (offset 0); empty when only one coding exists."""
        return next((c.id for c in self.codings if c.offset == 0), "")

    def coding(self, coding_id: str) -> Coding | None:
        """The named coding; None for the response sets' own numbering (an empty id or the own coding's id)."""
        if coding_id in ("", self.own_coding):
            return None
        found = next((c for c in self.codings if c.id == coding_id), None)
        if found is None:
            if not self.codings:
                raise UnknownCoding(
                    gettext("{name} is published with one coding only; leave the coding out.").format(
                        name=self.short_name
                    )
                )
            known = ", ".join(c.id for c in self.codings)
            raise UnknownCoding(
                gettext("{name} has no coding {coding}. Known: {known}.").format(
                    name=self.short_name, coding=repr(coding_id), known=known
                )
            )
        return found

    @property
    def primary_scale(self) -> Scale:
        """The scale a trajectory follows: the total, or else the first subscale."""
        return self.scale(self.total_scale) if self.total_scale else self.scales[0]


def _check_missing_rule(scale: Scale) -> None:
    """The missing-item method must be one the scoring engine applies as written: refuse allows none,
    prorate fills a sum, mean_of_answered averages a mean scale."""
    rule = scale.missing
    if (rule.method == "refuse") != (rule.max_missing == 0):
        raise ValueError(f"scale {scale.id}: method refuse goes with max_missing 0, and only refuse does")
    if rule.method == "prorate" and scale.method != "sum":
        raise ValueError(f"scale {scale.id}: prorate applies to sum scales; use mean_of_answered for a mean")
    if rule.method == "mean_of_answered" and scale.method != "mean":
        raise ValueError(f"scale {scale.id}: mean_of_answered applies to mean scales; use prorate for a sum")


def _check_codings(codings: list[Coding]) -> None:
    """Several codings name the response sets' own numbering once (offset 0) and differ from each other."""
    if not codings:
        return
    if len({c.id for c in codings}) != len(codings) or len({c.offset for c in codings}) != len(codings):
        raise ValueError("codings must have distinct ids and distinct offsets")
    if not any(c.offset == 0 for c in codings):
        raise ValueError("one coding must be the response sets' own (offset 0)")


def check_translation(translation: Instrument, original: Instrument) -> None:
    """A translation scores exactly as the instrument it translates; only its words differ.

    The same audience; the same items in the same order, each with the same answer values and reverse
    scoring; the same scales (items, method, range, bands, cut-off, reliability, missing-item rule), total,
    flags and codings. ValueError names the first difference.
    """
    name = original.id
    if translation.audience != original.audience:
        raise ValueError(f"its audience {translation.audience!r} differs from {name}'s {original.audience!r}")
    if len(translation.items) != len(original.items):
        raise ValueError(f"it has {len(translation.items)} items where {name} has {len(original.items)}")
    for number, (item, theirs) in enumerate(zip(translation.items, original.items, strict=True), start=1):
        if item.id != theirs.id:
            raise ValueError(f"item {number} has the id {item.id!r} where {name} has {theirs.id!r}")
        values = [o.value for o in translation.options(item)]
        expected = [o.value for o in original.options(theirs)]
        if values != expected:
            raise ValueError(
                f"item {item.id}: the answer values {_listed(values)} differ from {name}'s {_listed(expected)}"
            )
        if item.reverse != theirs.reverse:
            raise ValueError(f"item {item.id}: reverse scoring differs from {name}'s")
    if [s.id for s in translation.scales] != [s.id for s in original.scales]:
        raise ValueError(f"its scales {_listed(s.id for s in translation.scales)} differ from {name}'s "
                         f"{_listed(s.id for s in original.scales)}")  # fmt: skip
    for scale, theirs in zip(translation.scales, original.scales, strict=True):
        mine, expected = _scoring_of(scale), _scoring_of(theirs)
        for part, value in mine.items():
            if value != expected[part]:
                raise ValueError(f"scale {scale.id} is not scored as {name}'s is: {part}")
    if translation.total_scale != original.total_scale:
        raise ValueError(f"its total_scale {translation.total_scale!r} differs from {name}'s {original.total_scale!r}")
    if [(f.id, f.item, f.at_or_above) for f in translation.flags] != [
        (f.id, f.item, f.at_or_above) for f in original.flags
    ]:
        raise ValueError(f"its flags differ from {name}'s (the same ids, items and thresholds are needed)")
    if [(c.id, c.offset) for c in translation.codings] != [(c.id, c.offset) for c in original.codings]:
        raise ValueError(f"its codings differ from {name}'s (the same ids and offsets are needed)")


def _listed(values: Iterable[object]) -> str:
    return ", ".join(str(v) for v in values) or "(none)"


def _scoring_of(scale: Scale) -> dict[str, object]:
    """What decides a scale's scores, bands and change, each under the words that say it differs."""
    rule, cutoff, reliability = scale.missing, scale.cutoff, scale.reliability
    return {
        "its items differ": scale.items,
        "its method differs": scale.method,
        "its multiplier differs": scale.multiplier,
        "its range differs": scale.range,
        "higher_is_better differs": scale.higher_is_better,
        "its missing-item rule differs": (rule.max_missing, rule.method, rule.rounding),
        "its bands differ (edges or severities)": [
            (s.id, [(b.min, b.max, b.severity) for b in s.bands]) for s in scale.band_schemes
        ],
        "its cut-off differs": (cutoff.value, cutoff.clinical_when) if cutoff else None,
        "its reliability differs": (reliability.alpha, reliability.sd, reliability.published_threshold)
        if reliability
        else None,
        "mean_item differs": scale.mean_item,
    }


class InstrumentFileError(ValueError):
    """An instrument file that cannot be read or does not follow the schema."""


def load_file(path: Path) -> Instrument:
    """Read and validate one instrument file; errors name the file and what is wrong in it."""
    try:
        data = json.loads(path.read_text(encoding="utf-8"))
    except (OSError, UnicodeDecodeError) as error:
        raise InstrumentFileError(f"{path.name}: cannot be read ({error})") from None
    except json.JSONDecodeError as error:
        raise InstrumentFileError(f"{path.name}: not valid JSON (line {error.lineno}: {error.msg})") from None
    except RecursionError:
        raise InstrumentFileError(f"{path.name}: nested too deeply to be an instrument file") from None
    try:
        instrument = Instrument.model_validate(data)
    except ValidationError as error:
        first = error.errors()[0]
        where = ".".join(str(p) for p in first["loc"]) or "the file"
        raise InstrumentFileError(f"{path.name}: {where}: {first['msg']}") from None
    if not instrument.licence.may_ship and path.parent == SHIPPED_DIR:
        raise InstrumentFileError(f"{path.name}: its licence does not allow shipping it")
    return instrument
