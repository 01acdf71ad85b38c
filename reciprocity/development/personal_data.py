"""Development's part of a person's data: the development log, goals, and the ledger of their own support."""

from reciprocity.development.models import Activity, Goal, Support
from reciprocity.lib.personal_data import Part, Table, when
from reciprocity.practice.models import User


def development_table(user: User) -> Table:
    header = ["id", "kind", "day", "title", "hours", "credits", "note"]
    rows = [[a.pk, a.kind, when(a.day), a.title, float(a.hours), float(a.credits), a.note]
            for a in Activity.objects.owned_by(user).order_by("day", "pk")]  # fmt: skip
    return Table("development", header, rows)


def goals_table(user: User) -> Table:
    rows = [[g.pk, g.title, when(g.target), g.progress, g.note] for g in Goal.objects.owned_by(user).order_by("pk")]
    return Table("goals", ["id", "title", "target", "progress", "note"], rows)


def support_table(user: User) -> Table:
    rows = [[e.pk, e.kind, when(e.day), e.helped, e.note] for e in Support.objects.owned_by(user).order_by("day", "pk")]
    return Table("support", ["id", "kind", "day", "helped", "note"], rows)


PART = Part(
    exported={"development.Activity": "development", "development.Goal": "goals", "development.Support": "support"},
    tables={"development": development_table, "goals": goals_table, "support": support_table},
)
