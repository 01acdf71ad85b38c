"""The flywheel's part of a person's data: how they answered its alerts."""

from reciprocity.insights.models import AlertResponse
from reciprocity.lib.personal_data import Part, Table, when
from reciprocity.practice.models import User


def alerts_table(user: User) -> Table:
    rows = [[a.alert_key, a.action, when(a.created_at)]
            for a in AlertResponse.objects.owned_by(user).order_by("created_at", "pk")]  # fmt: skip
    return Table("alert_responses", ["alert", "action", "created_at"], rows)


PART = Part(
    exported={"insights.AlertResponse": "alert_responses"},
    not_exported={
        "insights.WeekFigures": "the flywheel's weekly sums, derived from the exported sessions, reflections, scores",
        "insights.CourseFigures": "each client course's first and latest score, derived from the exported scores",
        "insights.FiguresVersion": "a random token that changes with the figures, so the pages know what to read again",
    },
    tables={"alert_responses": alerts_table},
)
