from dataclasses import dataclass

from django.shortcuts import get_object_or_404

from reciprocity.clients.models import Client
from reciprocity.measures import registry
from reciprocity.measures.change import Change, classify_change
from reciprocity.measures.definitions import Instrument, Scale
from reciprocity.measures.models import Administration, ClientLink
from reciprocity.practice.models import User


def get_administration_for(user: User, pk: int) -> Administration:
    """The user's own administration (about their client or themselves), or 404."""
    return get_object_or_404(Administration.objects.owned_by(user).select_related("client", "session"), pk=pk)


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


def client_progress(client: Client) -> list[Trajectory]:
    return trajectories(list(client.administrations.all()))


def open_flags(user: User) -> list[Administration]:
    """Risk flags on the user's clients' answers that the user has not yet acknowledged."""
    rows = Administration.objects.owned_by(user).with_open_flags().select_related("client")
    return list(rows.defer("note", "answers"))  # the list shows neither, so the note is not decrypted


def client_links(client: Client) -> list[ClientLink]:
    return list(client.links.all()[:20])
