from dataclasses import dataclass
from typing import Any

from django.shortcuts import get_object_or_404
from django.utils.translation import gettext

from reciprocity.clients.models import Client
from reciprocity.measures import registry
from reciprocity.measures.change import Change, classify_change, criterion, reliable_change_threshold
from reciprocity.measures.definitions import Instrument, Scale, UnknownCoding
from reciprocity.measures.models import Administration, ClientLink
from reciprocity.measures.scoring import band_in, in_coding, mean_item_score
from reciprocity.practice.models import User


def get_administration_for(user: User, pk: int) -> Administration:
    """The user's own administration (about their client or themselves), or 404."""
    return get_object_or_404(Administration.objects.owned_by(user).select_related("client", "session"), pk=pk)


@dataclass(frozen=True)
class ScoreRow:
    administration: Administration
    score: float
    bands: list[str]  # one label per banding, in the scale's order
    prorated: bool


@dataclass(frozen=True)
class Trajectory:
    """One measure's course for one subject: scores oldest first and the change since the first."""

    instrument: Instrument
    scale: Scale
    administrations: list[Administration]
    change: Change | None

    @property
    def points(self) -> list[tuple[Administration, float]]:
        return [(a, a.scale_scores[self.scale.id]["score"]) for a in self.administrations]

    @property
    def has_prorated(self) -> bool:
        return any(a.is_scale_prorated(self.scale.id) for a in self.administrations)

    @property
    def band_names(self) -> list[str]:
        """The heading of each banding the table shows: one "Band", or every published banding by name."""
        return [s.name for s in self.scale.band_schemes] if self.scale.has_several_bandings else [gettext("Band")]

    @property
    def rows(self) -> list[ScoreRow]:
        """Each score with its band in every banding and whether it was prorated, oldest first."""
        rows = []
        for administration in self.administrations:
            stored = administration.scale_scores[self.scale.id]
            value = stored["score"]
            if self.scale.has_several_bandings:
                kept = stored.get("bands") or {}
                bands = [kept.get(s.id) or band_in(s.bands, value).label for s in self.scale.band_schemes]
            else:
                bands = [stored.get("band", "")]
            rows.append(ScoreRow(administration, value, bands, bool(stored.get("prorated"))))
        return rows


def trajectories(administrations: list[Administration]) -> list[Trajectory]:
    """Group administrations by instrument and classify the change from the first to the latest score."""
    by_instrument: dict[str, list[Administration]] = {}
    for administration in sorted(administrations, key=lambda a: a.completed_at):
        by_instrument.setdefault(administration.instrument_id, []).append(administration)
    result = []
    for instrument_id, group in sorted(by_instrument.items()):
        try:
            instrument = registry.get(instrument_id)
        except registry.UnknownInstrument:
            continue  # a practice's own instrument file was removed; its answers stay stored
        # An instrument with a total follows its total; one with only subscales follows each of them.
        scales = [instrument.primary_scale] if instrument.total_scale else instrument.scales
        for scale in scales:
            result.append(_trajectory(instrument, scale, group))
    return result


def _trajectory(instrument: Instrument, scale: Scale, group: list[Administration]) -> Trajectory:
    scored = [a for a in group if a.scale_scores.get(scale.id, {}).get("score") is not None]
    change = None
    if len(scored) >= 2 and scale.reliability is not None:
        first, last = scored[0].scale_scores[scale.id]["score"], scored[-1].scale_scores[scale.id]["score"]
        change = classify_change(scale, first, last)
    return Trajectory(instrument, scale, scored, change)


def scored_scales(administration: Administration, instrument: Instrument) -> list[dict[str, Any]]:
    """Each scale as it was scored when recorded: score, band, every published banding, whether it was prorated,
    and the score on the coding the answers were given in (None when that is the response sets' own)."""
    try:
        coding = instrument.coding(administration.coding)
    except UnknownCoding:
        coding = None
    shown = []
    for scale in instrument.scales:
        stored = administration.scale_scores.get(scale.id, {})
        if stored.get("score") is None:
            continue
        value = stored["score"]
        bands = stored.get("bands") or {s.id: band_in(s.bands, value).label for s in scale.band_schemes}
        shown.append({
            "scale": scale, "score": value, "band": stored.get("band", ""), "prorated": stored.get("prorated", False),
            "bands": [(s.name, bands.get(s.id, "")) for s in scale.band_schemes] if scale.has_several_bandings else [],
            "in_coding": in_coding(instrument, scale, value, coding) if coding else None,
            "mean_item": mean_item_score(scale, value),
        })  # fmt: skip
    return shown


def client_progress(client: Client) -> list[Trajectory]:
    return trajectories(list(client.administrations.all()))


def open_flags(user: User) -> list[Administration]:
    """Risk flags on the user's clients' answers that the user has not yet acknowledged."""
    rows = Administration.objects.owned_by(user).with_open_flags().select_related("client")
    return list(rows.defer("note", "answers"))  # the list shows neither, so the note is not decrypted


def client_links(client: Client) -> list[ClientLink]:
    return list(client.links.all()[:20])


@dataclass(frozen=True)
class CaseloadPoint:
    """One client's first and latest score on one scale, with the change between them (None: one score so far)."""

    code: str
    first: float
    latest: float
    scores: int
    change: Change | None

    @property
    def difference(self) -> float:
        return self.latest - self.first


@dataclass(frozen=True)
class CaseloadPlot:
    """What a Jacobson–Truax plot of one scale shows: every client code with two scores or more, the
    reliable-change threshold around the diagonal of no change, and the clinical cut-off."""

    instrument: Instrument
    scale: Scale
    points: list[CaseloadPoint]  # two scores or more, by code
    one_score: list[str]  # client codes with a single score so far: listed, not plotted
    threshold: float | None  # None when the scale has no reliability data

    @property
    def criterion(self) -> str:
        return criterion(self.scale, self.threshold) if self.threshold is not None else ""


def caseload_plots(user: User) -> list[CaseloadPlot]:
    """The user's own clients' first and latest score on each measure, in one query grouped here."""
    rows = (
        Administration.objects.owned_by(user)
        .of_clients()
        .filter(client__therapist=user)  # their own client, even if a colleague's answers were ever moved
        .order_by("completed_at", "pk")
        .values_list("instrument_id", "client__code", "scale_scores")  # never the encrypted note or the answers
    )
    by_instrument: dict[str, dict[str, list[dict[str, Any]]]] = {}
    for instrument_id, code, scale_scores in rows:
        by_instrument.setdefault(instrument_id, {}).setdefault(code, []).append(scale_scores)
    plots = []
    for instrument_id, by_code in sorted(by_instrument.items()):
        try:
            instrument = registry.get(instrument_id)
        except registry.UnknownInstrument:
            continue  # a practice's own instrument file was removed; its answers stay stored
        scales = [instrument.primary_scale] if instrument.total_scale else instrument.scales
        plots.extend(_caseload_plot(instrument, scale, by_code) for scale in scales)
    return [plot for plot in plots if plot.points or plot.one_score]


def _caseload_plot(instrument: Instrument, scale: Scale, by_code: dict[str, list[dict[str, Any]]]) -> CaseloadPlot:
    points, one_score = [], []
    judged = scale.reliability is not None
    for code, stored in sorted(by_code.items()):
        scores = [s[scale.id]["score"] for s in stored if s.get(scale.id, {}).get("score") is not None]
        if len(scores) == 1:
            one_score.append(code)
        elif scores:
            change = classify_change(scale, scores[0], scores[-1]) if judged else None
            points.append(CaseloadPoint(code, scores[0], scores[-1], len(scores), change))
    threshold = reliable_change_threshold(scale)[0] if judged else None
    return CaseloadPlot(instrument, scale, points, one_score, threshold)
