"""What Today shows of a therapist's own writes, read once and remembered until their next write.

Today is opened all day, and between two writes everything on it but the risk flags is the same: the past
week's sessions (with their clients' codes and techniques, and whether each has its reflection), when each
check-in was last done, and which alerts were answered. That read is kept in the cache under the therapist's
figures' version token (`insights.services.remembered`), which every write to a session, a reflection, a
questionnaire, a client, a technique or an alert's answer replaces in its own transaction, and under the
day and zone it was read for; what depends on the hour (a session still upcoming, a check-in now due) is
worked out from it on each view. Risk flags are read on every view, and so are the words of the reflections
shown when burnout shows: a reflection's words are never remembered (the sessions' reflections are read
without them).
"""

import datetime
from dataclasses import dataclass

from reciprocity.checkins.selectors import latest_checkins
from reciprocity.insights.services import answered_alerts, remembered
from reciprocity.practice.models import User
from reciprocity.therapy.selectors import Today, today_overview


@dataclass(frozen=True)
class TodayRead:
    overview: Today
    latest_checkins: dict[str, datetime.datetime]
    answered: frozenset[str]


def read_today(user: User, now: datetime.datetime) -> TodayRead:
    """Today's rows as of `now`'s day, on the wall clock of `now`'s zone (the user's)."""
    return TodayRead(today_overview(user, now=now), latest_checkins(user), answered_alerts(user))


def remembered_today(user: User, now: datetime.datetime, token: str | None) -> TodayRead:
    """`read_today`, remembered until the therapist's next write (`token`: `figures.version`) or the next day."""
    return remembered(user.pk, token, f"today:{now.date()}:{now.tzinfo}", lambda: read_today(user, now))
