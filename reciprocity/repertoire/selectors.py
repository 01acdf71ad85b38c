from collections.abc import Sequence
from dataclasses import dataclass

from django.db.models import Avg, Count, Max, QuerySet
from django.shortcuts import get_object_or_404
from django.utils import timezone

from reciprocity.measures.models import Administration
from reciprocity.measures.own_scales import WELLBEING as WELLBEING_SCALE
from reciprocity.measures.own_scales import instrument_of
from reciprocity.practice.models import User
from reciprocity.repertoire.helps import MOOD_AFTER, WELLBEING, Helps, daily_means, what_helps
from reciprocity.repertoire.models import Item, Trial
from reciprocity.therapy.models import Reflection

WELLBEING_INSTRUMENT = instrument_of(WELLBEING_SCALE)  # its total is the percentage score, 0–100, higher is better


def get_item_for(user: User, pk: int) -> Item:
    """The user's own repertoire item, or 404 — someone else's is indistinguishable from none."""
    return get_object_or_404(Item.objects.owned_by(user).select_related("reflection__session__client"), pk=pk)


def get_trial_for(user: User, pk: int) -> Trial:
    return get_object_or_404(Trial.objects.owned_by(user).select_related("item"), pk=pk)


def _with_outcomes(items: QuerySet[Item]) -> QuerySet[Item]:
    return items.annotate(tries=Count("trials"), mean_helped=Avg("trials__helped"), last_tried=Max("trials__tried_on"))


@dataclass(frozen=True)
class Repertoire:
    tried: list[Item]  # what helped most first
    untried: list[Item]  # never tried on myself yet
    tags: list[str]

    @property
    def total(self) -> int:
        return len(self.tried) + len(self.untried)


def repertoire_of(user: User, *, tag: str = "", dimension: str = "") -> Repertoire:
    """The user's items ranked by how much they helped when tried, then the ones never tried."""
    items = Item.objects.owned_by(user)
    every_tag = sorted({t for tags in items.values_list("tags", flat=True) for t in tags})
    listed = [
        item
        for item in _with_outcomes(items).prefetch_related("trials")  # the API lists each item's tries
        if (not tag or tag in item.tags) and (not dimension or dimension in item.dimensions)
    ]
    tried = sorted((i for i in listed if i.tries), key=lambda i: (-i.mean_helped, -i.tries, i.title.lower()))
    untried = sorted((i for i in listed if not i.tries), key=lambda i: i.title.lower())
    return Repertoire(tried=tried, untried=untried, tags=every_tag)


@dataclass(frozen=True)
class HelpsRow:
    item: Item
    helps: Helps


def what_helps_me(user: User, items: Sequence[Item]) -> list[HelpsRow]:
    """For each of the user's items (their tries prefetched), the user's own WHO-5 well-being and mood after
    (rated in reflections) on the days after its tries against other days; two queries, whatever the number of items.

    Days are calendar days on the user's wall clock (the active time zone).
    """
    mood = Reflection.objects.owned_by(user).filter(mood_after__isnull=False).values_list("occurred_at", "mood_after")
    wellbeing = (
        Administration.objects.owned_by(user).own_checkins()
        .filter(instrument_id=WELLBEING_INSTRUMENT, total__isnull=False).values_list("completed_at", "total")
    )  # fmt: skip
    daily = {
        MOOD_AFTER.key: daily_means((timezone.localdate(at), value) for at, value in mood),
        WELLBEING.key: daily_means((timezone.localdate(at), value) for at, value in wellbeing),
    }
    return [HelpsRow(item, what_helps([t.tried_on for t in item.trials.all()], daily)) for item in items]
