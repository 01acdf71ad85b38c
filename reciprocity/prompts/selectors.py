"""Which prompts a therapist is asked, what a reflection's form asks, and the answers over a period."""

import datetime
from dataclasses import dataclass

from django.db.models import Q, QuerySet, Subquery

from reciprocity.practice.models import Membership, Practice, Role, User
from reciprocity.prompts.models import Prompt, PromptAnswer
from reciprocity.therapy.models import Reflection


def _joined_first(person: User) -> QuerySet[Membership]:
    """A person's memberships, the first one they joined first: that practice's defaults are theirs."""
    return Membership.objects.filter(user=person).order_by("joined_at", "pk")


def practice_of(therapist: User) -> Practice | None:
    """The practice whose defaults a therapist sees: the first one they joined."""
    first = _joined_first(therapist).select_related("practice").first()
    return first.practice if first else None


def directed_practice(person: User) -> Practice | None:
    """The practice whose default prompts this person sets: the first one they direct."""
    first = _joined_first(person).filter(role=Role.DIRECTOR).select_related("practice").first()
    return first.practice if first else None


def prompts_for(therapist: User) -> list[Prompt]:
    """The prompts a therapist is asked: their own active ones; while they have none, their practice's defaults.

    Own prompts replace the practice's rather than adding to them, so the form never asks more than three.
    Both are read in one query, the practice's as a subquery of `practice_of`'s.
    """
    first_practice = Subquery(_joined_first(therapist).values("practice")[:1])
    both = list(Prompt.objects.active().filter(Q(therapist=therapist) | Q(practice=first_practice)))
    return [p for p in both if p.therapist_id is not None] or both


@dataclass(frozen=True)
class Asked:
    """One question on a reflection's form: an answer already given (with the words it was asked in) or a prompt."""

    key: str  # the form field's name
    text: str
    prompt: Prompt | None
    answer: PromptAnswer | None

    @property
    def position(self) -> int:
        return self.answer.position if self.answer else self.prompt.position  # type: ignore[union-attr]


def asked_on(therapist: User, reflection: Reflection | None = None) -> list[Asked]:
    """What a reflection's form asks: the answers it already has, as they were asked, then the current prompts
    it has no answer to."""
    answers = list(PromptAnswer.objects.filter(reflection=reflection)) if reflection is not None else []
    answered = {a.prompt_id for a in answers}
    asked = [Asked(f"a{a.pk}", a.asked, a.prompt, a) for a in answers]
    asked += [Asked(f"p{p.pk}", p.text, p, None) for p in prompts_for(therapist) if p.pk not in answered]
    return sorted(asked, key=lambda a: (a.position, a.key))


def answers_of(reflection: Reflection) -> list[PromptAnswer]:
    return list(PromptAnswer.objects.filter(reflection=reflection))


@dataclass(frozen=True)
class PromptInPeriod:
    """The answers to one prompt over a period, for a report: how many, and the most recent few."""

    asked: str
    count: int
    recent: list[PromptAnswer]


def answers_between(
    therapist: User, start: datetime.datetime, end: datetime.datetime, *, recent: int = 3
) -> list[PromptInPeriod]:
    """The therapist's answers given with reflections from `start` (included) to `end` (excluded), grouped by the
    words they were asked in, in the prompts' order; each with its count and its `recent` latest answers."""
    answers = (
        PromptAnswer.objects.owned_by(therapist)
        .filter(reflection__occurred_at__gte=start, reflection__occurred_at__lt=end)
        .select_related("reflection")
        .order_by("-reflection__occurred_at", "position")
    )
    groups: dict[str, list[PromptAnswer]] = {}
    for answer in answers:
        groups.setdefault(answer.asked, []).append(answer)
    ordered = sorted(groups.items(), key=lambda group: min(a.position for a in group[1]))
    return [PromptInPeriod(asked, len(group), group[:recent]) for asked, group in ordered]
