"""When speaking a reflection is allowed: after the session, never during it."""

import datetime

from django.utils import timezone

from reciprocity.therapy.models import Session


def has_ended(session: Session, now: datetime.datetime | None = None) -> bool:
    """Whether the session's planned time (its start plus its duration in minutes) is over."""
    ends_at = session.starts_at + datetime.timedelta(minutes=session.duration_minutes)
    return ends_at <= (now or timezone.now())
