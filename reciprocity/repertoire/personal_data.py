"""The repertoire's part of a person's data: lessons carried from client work and the log of trying them."""

from reciprocity.lib.personal_data import Part, Table, when
from reciprocity.practice.models import User
from reciprocity.repertoire.models import Item, Trial


def repertoire_table(user: User) -> Table:
    header = ["id", "title", "description", "origin", "reflection", "dimensions", "tags", "created_at"]
    rows = [
        [i.pk, i.title, i.description, i.origin, i.reflection_id, ";".join(i.dimensions), ";".join(i.tags),
         when(i.created_at)]
        for i in Item.objects.owned_by(user).order_by("created_at")
    ]  # fmt: skip
    return Table("repertoire", header, rows)


def tries_table(user: User) -> Table:
    header = ["id", "item", "tried_on", "situation", "helped", "note"]
    rows = [
        [t.pk, t.item_id, when(t.tried_on), t.situation, t.helped, t.note]
        for t in Trial.objects.owned_by(user).order_by("tried_on", "pk")
    ]
    return Table("tries", header, rows)


def counts(user: User) -> list[tuple[str, int]]:
    return [("repertoire items", Item.objects.owned_by(user).count())]


PART = Part(
    exported={"repertoire.Item": "repertoire", "repertoire.Trial": "tries"},
    tables={"repertoire": repertoire_table, "tries": tries_table},
    counts=counts,
)
