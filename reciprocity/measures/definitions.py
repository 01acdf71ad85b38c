"""Instruments are data: one JSON file each, validated by this schema at load and in the tests.

No code names an instrument. A shipped file lives in `measures/instruments/`; a practice that holds
a licence for another instrument adds its file with `reciprocity instruments add FILE`, which keeps
it in the data directory (never in the package).
"""

from __future__ import annotations

import itertools
import json
from pathlib import Path
from typing import Literal

from pydantic import BaseModel, ConfigDict, Field, ValidationError, field_validator, model_validator

SHIPPED_DIR = Path(__file__).resolve().parent / "instruments"


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
    """How many items may be unanswered; `prorate` scales the answered ones up, `mean_of_answered` averages them."""

    max_missing: int = Field(ge=0)
    method: Literal["refuse", "prorate", "mean_of_answered"]
    source: str


class Scale(Strict):
    id: str = Field(pattern=r"^[a-z0-9_]+$")
    name: str
    items: list[str] = Field(min_length=1)
    method: Literal["sum", "mean"]
    multiplier: float = 1.0  # e.g. WHO-5 percentage = raw sum × 4
    range: tuple[float, float]
    higher_is_better: bool = False
    bands: list[Band] = Field(min_length=1)
    cutoff: Cutoff | None = None
    reliability: Reliability | None = None
    missing: MissingRule
    loinc: str | None = None

    @model_validator(mode="after")
    def _bands_cover_the_range(self) -> Scale:
        low, high = self.range
        bands = sorted(self.bands, key=lambda b: b.min)
        if bands[0].min != low or bands[-1].max != high:
            raise ValueError(f"scale {self.id}: bands must start at {low:g} and end at {high:g}")
        for before, after in itertools.pairwise(bands):
            if after.min <= before.max:
                raise ValueError(f"scale {self.id}: bands {before.label!r} and {after.label!r} overlap")
        return self


class Flag(Strict):
    id: str
    item: str
    at_or_above: int
    message: str  # shown to the therapist
    client_message: str = ""  # shown to a client who answered through a link, e.g. where to find help now


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
    loinc: str | None = None  # the panel / form code

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
