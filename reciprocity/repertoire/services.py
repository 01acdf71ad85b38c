import datetime
from typing import Any

from django.db import transaction

from reciprocity.lib.ownership import NotYours
from reciprocity.practice.models import User
from reciprocity.repertoire.models import HELPED_MAX, HELPED_MIN, Item, Origin, Trial
from reciprocity.therapy.dimensions import KEYS
from reciprocity.therapy.models import Occasion, Reflection

ITEM_FIELDS = ("title", "description", "origin", "dimensions", "tags")
# Where a reflection's lesson came from, by the reflection's occasion.
ORIGIN_OF_OCCASION = {
    Occasion.SESSION: Origin.SESSION,
    Occasion.SUPERVISION: Origin.SUPERVISION,
    Occasion.TRAINING: Origin.TRAINING,
}
STRONG_RATING = 3


def _checked(fields: dict[str, Any]) -> dict[str, Any]:
    unknown = set(fields) - set(ITEM_FIELDS)
    if unknown:
        raise TypeError(f"Unknown repertoire fields: {', '.join(sorted(unknown))}.")
    if "origin" in fields and fields["origin"] not in Origin.values:
        raise ValueError("Unknown origin.")
    if "dimensions" in fields and not set(fields["dimensions"]) <= set(KEYS):
        raise ValueError("Unknown dimension.")
    return fields


@transaction.atomic
def add_item(*, owner: User, reflection: Reflection | None = None, **fields: Any) -> Item:
    """Keep a lesson in the therapist's repertoire, optionally tied to the reflection it came from."""
    if reflection is not None and reflection.author_id != owner.pk:
        raise NotYours("An item can only come from your own reflection.")
    return Item.objects.create(owner=owner, reflection=reflection, **_checked(fields))


@transaction.atomic
def update_item(item: Item, **fields: Any) -> Item:
    for name, value in _checked(fields).items():
        setattr(item, name, value)
    item.save()
    return item


@transaction.atomic
def log_trial(item: Item, *, tried_on: datetime.date, situation: str, helped: int, note: str = "", by: User) -> Trial:
    """Record one time the therapist tried the item on themselves."""
    if item.owner_id != by.pk:
        raise NotYours("You can only log tries of your own repertoire.")
    if not HELPED_MIN <= helped <= HELPED_MAX:
        raise ValueError(f"How much it helped is rated from {HELPED_MIN} to {HELPED_MAX}.")
    return Trial.objects.create(item=item, tried_on=tried_on, situation=situation.strip(), helped=helped,
                                note=note.strip())  # fmt: skip


def prefill_from(reflection: Reflection) -> dict[str, Any]:
    """Form values for a new item drawn from a reflection: its words, its occasion and its strong dimensions."""
    words = " ".join(part for part in (reflection.gave_me, reflection.carry_home) if part)
    first = (reflection.carry_home or reflection.gave_me).split(". ")[0].strip().rstrip(".")
    title = first if 0 < len(first) <= 80 else (first[:77].rsplit(" ", 1)[0] + "…" if first else "")
    strong = [key for key, value in reflection.ratings.items() if value >= STRONG_RATING]
    return {
        "title": title,
        "description": words,
        "origin": ORIGIN_OF_OCCASION.get(reflection.occasion, Origin.CLIENT_WORK),
        "dimensions": strong,
    }
