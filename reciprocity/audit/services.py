"""One way in for the whole project: `record(...)` writes an audit event and never breaks the request."""

import logging
from collections.abc import Iterable

from django.db import DatabaseError, models, transaction
from django.http import HttpRequest

from reciprocity.audit.models import Action, Event
from reciprocity.practice.models import User
from reciprocity.practice.throttle import client_address

log = logging.getLogger(__name__)
WHAT_LENGTH = Event._meta.get_field("what").max_length


def address_of(request: HttpRequest | None) -> str | None:
    """The client's IP address, read as sign-in back-off reads it (behind TRUSTED_PROXIES, the forwarded one)."""
    return client_address(request) if request is not None else None


def _actor(request: HttpRequest | None, actor: User | None) -> User | None:
    if actor is not None:
        return actor
    user = getattr(request, "user", None)
    return user if user is not None and user.is_authenticated else None


def _event(
    action: Action, what: str, actor: User | None, subject: User | int | None, address: str | None,
    obj: models.Model | None,
) -> Event:  # fmt: skip
    return Event(
        action=action,
        what=what[:WHAT_LENGTH],
        actor=actor,
        subject_id=subject.pk if isinstance(subject, User) else subject,
        address=address,
        object_kind=obj._meta.label_lower if obj is not None else "",
        object_id=str(obj.pk) if obj is not None else "",
    )


def record(
    action: Action,
    what: str,
    *,
    subject: User | int | None,
    request: HttpRequest | None = None,
    actor: User | None = None,
    obj: models.Model | None = None,
) -> Event | None:
    """Write one event: `what` is a short description made of codes and kinds, never of text a person wrote.

    The actor defaults to the request's signed-in user. Inside a request's transaction the event commits or
    rolls back with it; if the event itself cannot be written, the failure is logged and the request goes on.
    """
    event = _event(action, what, _actor(request, actor), subject, address_of(request), obj)
    try:
        with transaction.atomic():  # a savepoint: a failed write here leaves the caller's transaction usable
            event.save(force_insert=True)
    except DatabaseError:
        log.exception("could not record the audit event %r", event.what)
        return None
    return event


def record_each(
    action: Action,
    what: str,
    *,
    subjects: Iterable[User | int],
    request: HttpRequest | None = None,
    actor: User | None = None,
    obj: models.Model | None = None,
) -> int:
    """The same event once for each person it concerns, in one statement; returns how many were written."""
    who, address = _actor(request, actor), address_of(request)
    events = [_event(action, what, who, subject, address, obj) for subject in subjects]
    if not events:
        return 0
    try:
        with transaction.atomic():
            Event.objects.bulk_create(events)
    except DatabaseError:
        log.exception("could not record %d audit events %r", len(events), what)
        return 0
    return len(events)
