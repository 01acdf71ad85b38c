import datetime
from dataclasses import dataclass
from decimal import Decimal

from django.db.models import Sum

from reciprocity.development.models import Activity, ActivityKind, Goal
from reciprocity.practice.models import User

REFLECTIVE = (ActivityKind.SUPERVISION, ActivityKind.CONSULTATION, ActivityKind.TRAINING, ActivityKind.READING)


@dataclass(frozen=True)
class Development:
    hours: Decimal
    credits: Decimal
    reflective_hours: Decimal  # supervision, consultation, training, reading: what feeds self-reflection
    by_kind: dict[str, Decimal]
    goals: list[Goal]


def development_between(user: User, start: datetime.date, end: datetime.date) -> Development:
    """Totals of the development log from start to end (inclusive), and the goals as they stand."""
    activities = Activity.objects.owned_by(user).filter(day__gte=start, day__lte=end)
    by_kind = {k: v for k, v in activities.values_list("kind").annotate(h=Sum("hours")).values_list("kind", "h")}
    total = activities.aggregate(h=Sum("hours"), c=Sum("credits"))
    return Development(
        hours=total["h"] or Decimal(0),
        credits=total["c"] or Decimal(0),
        reflective_hours=sum((by_kind.get(k, Decimal(0)) for k in REFLECTIVE), Decimal(0)),
        by_kind=by_kind,
        goals=list(Goal.objects.owned_by(user)),
    )
