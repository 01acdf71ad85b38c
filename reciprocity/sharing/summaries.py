"""What a supervisor sees of a consented summary: the well-being trend and the flywheel, read live."""

from typing import Any

from reciprocity.checkins.selectors import checkin_history
from reciprocity.insights.services import therapist_flywheel
from reciprocity.practice.models import User


def wellbeing(therapist: User) -> list[dict[str, Any]]:
    from reciprocity.measures.views import chart_for

    return [{"trajectory": t, "chart": chart_for(t)} for t in checkin_history(therapist)]


def flywheel_summary(therapist: User) -> list[dict[str, str]]:
    result = therapist_flywheel(therapist)
    return [{"name": s.name, "value": s.value_text, "band": s.band, "trend": s.trend_text} for s in result.stages]
