from dataclasses import dataclass

from django.db.models import Avg, Count, Max, QuerySet
from django.shortcuts import get_object_or_404

from reciprocity.practice.models import User
from reciprocity.repertoire.models import Item, Trial


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
