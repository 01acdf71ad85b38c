"""What recall searches: each kind of entry a therapist writes, how to read its words, and where it lives."""

import datetime
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field

from django.db import models
from django.db.models import Q

from reciprocity.measures import registry
from reciprocity.measures.models import Administration
from reciprocity.prompts.models import PromptAnswer
from reciprocity.recall.models import Kind
from reciprocity.repertoire.models import Item, Trial
from reciprocity.therapy.models import Reflection


@dataclass(frozen=True)
class Source:
    kind: str
    model: type[models.Model]
    owner_field: str  # the lookup from the entry to its owner's id
    text: Callable[[models.Model], str]
    title: Callable[[models.Model], str]
    when: Callable[[models.Model], datetime.date | datetime.datetime]
    related: tuple[str, ...] = ()
    prefetched: tuple[str, ...] = ()  # rows of other models that its text reads (a reflection's answers)
    only: Q = field(default_factory=Q)  # which rows of the model are entries at all …
    applies: Callable[[models.Model], bool] = lambda obj: True  # … and the same test on one row
    # Other entries whose words include this one's (a try's text names its item).
    dependents: Callable[[models.Model], Iterable[tuple[str, int]]] = lambda obj: ()

    def entries(self) -> models.QuerySet:
        return self.model.objects.filter(self.only).select_related(*self.related).prefetch_related(*self.prefetched)

    def owned_by(self, owner_id: int) -> models.QuerySet:
        return self.entries().filter(**{self.owner_field: owner_id})

    def owner_of(self, object_id: int) -> int | None:
        """The owner of the entry with this id; None when there is no such entry (any more)."""
        return self.model.objects.filter(pk=object_id).values_list(self.owner_field, flat=True).first()

    def owner_id(self, obj: models.Model) -> int:
        value = obj
        for part in self.owner_field.split("__"):
            value = getattr(value, part)
        return value

    @property
    def label(self) -> str:
        return Kind(self.kind).label


def _joined(*parts: str) -> str:
    return "\n\n".join(p.strip() for p in parts if p and p.strip())


def _reflection_title(r: Reflection) -> str:
    if r.session_id:
        return f"Reflection on the session with {r.session.client.code}"
    return f"Reflection: {r.get_occasion_display().lower()}"


def _checkin_title(a: Administration) -> str:
    try:
        return f"{registry.get(a.instrument_id).short_name} check-in"
    except registry.UnknownInstrument:
        return "Check-in"


SOURCES: dict[str, Source] = {
    s.kind: s
    for s in (
        Source(
            Kind.REFLECTION, Reflection, "author_id",
            text=lambda r: _joined(r.gave_me, r.carry_home, *(a.answer for a in r.prompt_answers.all())),
            title=_reflection_title, when=lambda r: r.occurred_at, related=("session__client",),
            prefetched=("prompt_answers",),
        ),
        Source(
            Kind.ITEM, Item, "owner_id",
            text=lambda i: _joined(i.title, i.description, ", ".join(i.tags)),
            title=lambda i: i.title, when=lambda i: i.created_at,
            dependents=lambda i: [(Kind.TRIAL, pk) for pk in i.trials.values_list("pk", flat=True)],
        ),
        Source(
            Kind.TRIAL, Trial, "item__owner_id",
            text=lambda t: _joined(f"Tried {t.item.title}.", t.situation, t.note),
            title=lambda t: f"Tried “{t.item.title}” on myself", when=lambda t: t.tried_on, related=("item",),
        ),
        Source(
            Kind.CHECKIN, Administration, "therapist_id",
            text=lambda a: a.note, title=_checkin_title, when=lambda a: a.completed_at,
            only=Q(client__isnull=True), applies=lambda a: a.client_id is None,
        ),
    )
}  # fmt: skip
BY_MODEL: dict[type[models.Model], Source] = {s.model: s for s in SOURCES.values()}
# Rows whose words are part of another entry's text: (the entry's kind, the lookup of its id).
PARTS_OF_ENTRIES: dict[type[models.Model], tuple[str, str]] = {PromptAnswer: (Kind.REFLECTION, "reflection_id")}
