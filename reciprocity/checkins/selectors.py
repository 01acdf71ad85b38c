"""The therapist's own well-being check-ins: which are due, and their history. Answers are stored as
measures administrations without a client."""

import datetime
from dataclasses import dataclass

from django.db.models import Max
from django.utils import timezone

from reciprocity.measures import registry
from reciprocity.measures.definitions import Instrument
from reciprocity.measures.models import Administration
from reciprocity.measures.selectors import Trajectory, trajectories
from reciprocity.practice.models import User


@dataclass(frozen=True)
class Due:
    instrument: Instrument
    last: datetime.datetime | None

    @property
    def never_done(self) -> bool:
        return self.last is None


def latest_checkins(user: User) -> dict[str, datetime.datetime]:
    """When the user last checked in on each instrument."""
    return dict(
        Administration.objects.owned_by(user).own_checkins().values("instrument_id")
        .annotate(last=Max("completed_at")).values_list("instrument_id", "last")
    )  # fmt: skip


def due_checkins(
    user: User, *, now: datetime.datetime | None = None, latest: dict[str, datetime.datetime] | None = None
) -> list[Due]:
    """Check-ins whose interval (from the instrument file) has passed since the user's last one (`latest`,
    when already read)."""
    now = now or timezone.now()
    latest = latest_checkins(user) if latest is None else latest
    due = []
    for instrument in registry.for_audience("therapist"):
        if instrument.checkin_every_days is None:
            continue
        last = latest.get(instrument.id)
        if last is None or now - last >= datetime.timedelta(days=instrument.checkin_every_days):
            due.append(Due(instrument, last))
    return due


def checkin_history(user: User) -> list[Trajectory]:
    return trajectories(list(Administration.objects.owned_by(user).own_checkins()))
