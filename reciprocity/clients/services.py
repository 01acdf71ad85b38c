import datetime
from collections.abc import Iterable

from django.db import IntegrityError, transaction

from reciprocity.clients.codes import normalise_code, validate_client_code
from reciprocity.clients.models import Client, Concern
from reciprocity.lib.ownership import NotYours
from reciprocity.practice.models import User


class DuplicateCode(ValueError):
    """The therapist already has a client with this code."""


@transaction.atomic
def register_client(
    *,
    therapist: User,
    code: str,
    started_on: datetime.date,
    concerns: Iterable[Concern] = (),
    ended_on: datetime.date | None = None,
) -> Client:
    """Add a client under a pseudonymous code that is new for this therapist."""
    code = normalise_code(code)
    validate_client_code(code)
    try:
        with transaction.atomic():
            client = Client.objects.create(therapist=therapist, code=code, started_on=started_on, ended_on=ended_on)
    except IntegrityError:
        raise DuplicateCode(code) from None
    client.concerns.set(_own(concerns, therapist))
    return client


@transaction.atomic
def update_client(
    client: Client,
    *,
    code: str,
    started_on: datetime.date,
    concerns: Iterable[Concern] = (),
    ended_on: datetime.date | None = None,
) -> Client:
    """Change a client's code, dates or concerns; ending a client keeps all their history."""
    client.code = normalise_code(code)
    validate_client_code(client.code)
    client.started_on, client.ended_on = started_on, ended_on
    try:
        with transaction.atomic():
            client.save()
    except IntegrityError:
        raise DuplicateCode(client.code) from None
    client.concerns.set(_own(concerns, client.therapist))
    return client


def _own(concerns: Iterable[Concern], therapist: User) -> list[Concern]:
    concerns = list(concerns)
    if any(c.therapist_id != therapist.pk for c in concerns):
        raise NotYours("A concern from another therapist's vocabulary cannot be attached.")
    return concerns
