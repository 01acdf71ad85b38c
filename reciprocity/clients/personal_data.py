"""Clients' part of a person's data: their clients, by pseudonymous code, and their list of concerns."""

from reciprocity.clients.models import Client, Concern
from reciprocity.lib.personal_data import Part, Table, when
from reciprocity.practice.models import User


def clients_table(user: User) -> Table:
    rows = [
        [c.code, ";".join(t.name for t in c.concerns.all()), when(c.started_on), when(c.ended_on)]
        for c in Client.objects.owned_by(user).prefetch_related("concerns")
    ]
    return Table("clients", ["code", "concerns", "started_on", "ended_on"], rows)


def counts(user: User) -> list[tuple[str, int]]:
    return [("clients", Client.objects.owned_by(user).count())]


PART = Part(
    exported={"clients.Client": "clients", "clients.Client_concerns": "clients", "clients.Concern": "words"},
    tables={"clients": clients_table},
    counts=counts,
    on_new_therapist=Concern.seed_defaults,
)
