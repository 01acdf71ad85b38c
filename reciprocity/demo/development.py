"""Each demo therapist's development log (monthly supervision, a training or two) and goals; Robin's own
therapy in the support ledger, begun in the hard stretch."""

import datetime
from decimal import Decimal

from reciprocity.development.models import Activity, Goal, Support
from reciprocity.practice.models import User

TRAININGS = {
    "alex": (("ACT values workshop", 140, 6), ("Compassion-focused therapy day", 60, 6)),
    "sam": (("Motivational interviewing day", 200, 6),),
    "robin": (("Working with health anxiety", 190, 3), ("Grief and loss seminar", 75, 3)),
}
GOALS = {
    "alex": (("Write up the values group for the practice", 70),),
    "sam": (("Bring my caseload back to 18 clients", 10), ("Book my own supervision every month", 40)),
    "robin": (("Finish the EMDR level 2 training", 55),),
}


def build(user: User, today: datetime.date) -> None:
    activities = [
        Activity(owner=user, kind="supervision", day=today - datetime.timedelta(days=30 * n + 9),
                 title="Monthly supervision", hours=Decimal("1.5"))
        for n in range(12)
    ]  # fmt: skip
    activities += [
        Activity(owner=user, kind="training", day=today - datetime.timedelta(days=ago), title=title,
                 hours=Decimal(hours), credits=Decimal(hours))
        for title, ago, hours in TRAININGS.get(user.username, ())
    ]  # fmt: skip
    Activity.objects.bulk_create(activities)
    Goal.objects.bulk_create(Goal(owner=user, title=t, progress=p) for t, p in GOALS.get(user.username, ()))
    if user.username == "robin":
        Support.objects.bulk_create(
            Support(owner=user, kind="therapy", day=today - datetime.timedelta(days=180 - 14 * n), helped=4,
                    note="My own therapy session." if n else "First session with my own therapist in years.")
            for n in range(12)
        )  # fmt: skip
