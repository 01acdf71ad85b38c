import datetime
import math

from django.http import HttpRequest
from ninja import Router, Schema

from reciprocity.insights.services import therapist_flywheel
from reciprocity.lib.api import ERRORS

router = Router()


class WeekOut(Schema):
    week: datetime.date
    values: dict[str, float | None]


@router.get("/series", response={200: list[WeekOut], **ERRORS}, summary="Your flywheel, week by week")
def series(request: HttpRequest, weeks: int = 52) -> list[dict]:
    """One row per week (its Monday): reciprocity and dimensions, load, check-in scores, client improvement.
    A missing value is null, never zero."""
    weeks = min(max(weeks, 1), 260)
    frame = therapist_flywheel(request.user, weeks=weeks, analyse=False).weekly
    return [
        {"week": day.date(), "values": {k: (None if v is None or math.isnan(v) else float(v)) for k, v in row.items()}}
        for day, row in frame.iterrows()
    ]
