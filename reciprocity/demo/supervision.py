"""Sam, sliding towards burnout, shares with Kim, the practice's supervisor: three hard reflections, the
well-being trend and the flywheel summary; Kim comments, Sam answers, and they meet."""

import datetime

from django.utils import timezone

from reciprocity.practice.models import User
from reciprocity.sharing import services
from reciprocity.sharing.models import Kind, Share
from reciprocity.therapy.models import Reflection

SHARED = (
    "I snapped at my partner over nothing",
    "Sat in the car for twenty minutes",
    "A day on motivational interviewing",
)


def build(therapist: User, supervisor: User, now: datetime.datetime) -> None:
    supervision = services.accept(services.invite(therapist, supervisor), supervisor)
    shares = []
    standalone = list(Reflection.objects.filter(author=therapist, session=None))
    for start in SHARED:
        (reflection,) = [r for r in standalone if r.gave_me.startswith(start)]  # the text is encrypted
        text = "\n\n".join(p for p in (reflection.gave_me, reflection.carry_home) if p)
        shares.append(services.share_reflection(supervision, reflection, by=therapist, text=text))
    for kind in (Kind.WELLBEING, Kind.FLYWHEEL):
        shares.append(services.set_consent(supervision, kind, by=therapist, on=True))
    Share.objects.filter(pk__in=[s.pk for s in shares]).update(shared_at=now - datetime.timedelta(days=10))
    car = shares[1]
    question = services.comment(car, by=supervisor, text="Thank you for bringing this. What would make the "
                                "trauma sessions feel less heavy this month?")  # fmt: skip
    services.comment(car, by=therapist, parent=question, text="Fewer of them in a row, I think, and a real lunch.")
    services.comment(shares[4], by=supervisor, text="Your burnout score has risen three months running. "
                     "Let us look at your caseload together.")  # fmt: skip
    services.record_meeting(
        supervision, by=supervisor, held_on=timezone.localdate(now) - datetime.timedelta(days=7),
        agenda=[car, shares[4]],
        notes="Agreed: no more than two trauma sessions in a row; Sam books a lunch break every day and "
              "brings the waiting list to the practice meeting.",
        confirmed=["name:Sam"],  # the therapist's own name, which identifies no client
    )  # fmt: skip
    services.record_view(supervision, supervisor, "the list of shared items")
    services.record_view(supervision, supervisor, str(car), car)
