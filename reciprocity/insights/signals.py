"""Which write touches which of the flywheel's figures: each save or delete of a session, a reflection or
a questionnaire refreshes the weeks (and client courses) it changes, in the write's own transaction.

A session counts in the week it starts and, through back-to-back, in the next one; a reflection in the
week it happened and in the week of its session (reflected or not); an own check-in in its week; a client's
score in its week, and in every week of that client's course when it changes the course's first score.
A new session or reflection only adds: its weeks read again only rows of its own kind (figures.py, `refresh`).
A score saved only to record that its risk flag was seen changes no figure and refreshes nothing.
An edit or a delete inside a transaction takes the therapist's figures lock (`figures.touch`) before it reads
what the row was: an edit of the same row in another transaction has then committed, and the weeks it left are
the ones refreshed (two tabs moving, or moving and deleting, one session at once on PostgreSQL), not the weeks
it was in before either.
A changed time zone moves every week, so the therapist's figures are rebuilt. A client's code, or the end
of their work, shows in the course figures as read, so a change to a client gives the therapist's figures a
new version token (nothing to recompute); so does a change to a technique, whose name Today's remembered
sessions show (today/services.py). A session's techniques are set by the services that save the session,
in the same transaction, and that save gives the token. When a person's account is
deleted, their figures go with it by cascade and nothing is recomputed on the way.

Bulk writes (`bulk_create`, `QuerySet.update`) send no signals: the code that uses them calls
`figures.rebuild` for the therapists it wrote for, in the same transaction.
"""

import datetime
from typing import Any

from django.db import connection
from django.db.models import QuerySet
from django.db.models.signals import post_delete, post_save, pre_delete, pre_save
from django.dispatch import receiver

from reciprocity.clients.models import Client
from reciprocity.insights import figures
from reciprocity.measures.models import Administration
from reciprocity.practice.models import User
from reciprocity.therapy.models import Reflection, Session, Technique

BEFORE = "_figures_before"  # what a row was when it was read, kept on the instance between pre- and post-save
# A new session or reflection only adds to its weeks: only the figures of its kind of row are read again (a
# reflection's also those of its session's week, whose reflected share it changes).
SESSION_ADDED = frozenset({"sessions"})
REFLECTION_ADDED = frozenset({"sessions", "reflections"})


def _whole_account_going(origin: Any) -> bool:
    """Whether this delete is part of deleting a person (their figures go by cascade)."""
    model = origin.model if isinstance(origin, QuerySet) else type(origin)
    return model is User


def _weeks_of(moments: list[datetime.datetime], *, following: bool = False) -> figures.WeeksIn:
    """The weeks these moments fall in on a wall clock (`figures.refresh` gives the zone), with the week after
    each when `following`: a session counts there too, through back-to-back."""

    def weeks(zone: datetime.tzinfo) -> set[datetime.date]:
        found = {figures.monday(when, zone) for when in moments}
        return found | {week + figures.WEEK for week in found} if following else found

    return weeks


def _lock_before_reading(therapist: int | None) -> None:
    """Inside a transaction, wait for the therapist's other writes to commit before reading a row's old state
    (the refresh after the write touches the token again, in the same transaction: an edit's one more upsert)."""
    if therapist is not None and connection.in_atomic_block:
        figures.touch(therapist)


def _therapist_of_session(session: Session) -> int | None:
    if Session.client.is_cached(session):  # the services pass the client they checked: no query
        return session.client.therapist_id
    return Client.objects.filter(pk=session.client_id).values_list("therapist_id", flat=True).first()


@receiver(post_save, sender=Client)
@receiver(post_delete, sender=Client)
def _client_changed(instance: Client, raw: bool = False, origin: Any = None, **_: Any) -> None:
    if not raw and not _whole_account_going(origin):
        figures.touch(instance.therapist_id)


@receiver(post_save, sender=Technique)
@receiver(post_delete, sender=Technique)
def _technique_changed(instance: Technique, raw: bool = False, origin: Any = None, **_: Any) -> None:
    if not raw and not _whole_account_going(origin):
        figures.touch(instance.therapist_id)


@receiver(pre_save, sender=Session)
@receiver(pre_delete, sender=Session)
def _session_before(instance: Session, raw: bool = False, origin: Any = None, **_: Any) -> None:
    if instance.pk and not raw and not _whole_account_going(origin):
        _lock_before_reading(_therapist_of_session(instance))
        setattr(instance, BEFORE, Session.objects.filter(pk=instance.pk).values_list(
            "client__therapist_id", "starts_at").first())  # fmt: skip


@receiver(post_save, sender=Session)
@receiver(post_delete, sender=Session)
def _session_changed(instance: Session, raw: bool = False, origin: Any = None, created: bool = False, **_: Any) -> None:
    if raw or _whole_account_going(origin):
        return
    touched: list[tuple[int, datetime.datetime]] = []
    if (before := getattr(instance, BEFORE, None)) is not None:
        touched.append(before)
    if (therapist := _therapist_of_session(instance)) is not None:
        touched.append((therapist, instance.starts_at))
    _refresh_sessions(touched, SESSION_ADDED if created else figures.ALL_KINDS)
    setattr(instance, BEFORE, (therapist, instance.starts_at) if therapist is not None else None)


def _refresh_sessions(touched: list[tuple[int, datetime.datetime]], added: figures.Kinds) -> None:
    for therapist in sorted({t for t, _ in touched}):  # in one order: each takes its therapist's lock
        weeks = _weeks_of([when for t, when in touched if t == therapist], following=True)
        figures.refresh(therapist, weeks, added=added)


def _reflection_state(
    author: int, occurred_at: datetime.datetime, session: int | None, session_start: datetime.datetime | None = None
) -> tuple[int, datetime.datetime, datetime.datetime | None]:
    """Who wrote it, when, and when its session started (the week whose reflected share it counts in); the
    start is read unless given."""
    if session is not None and session_start is None:
        session_start = Session.objects.filter(pk=session).values_list("starts_at", flat=True).first()
    return author, occurred_at, session_start


@receiver(pre_save, sender=Reflection)
@receiver(pre_delete, sender=Reflection)
def _reflection_before(instance: Reflection, raw: bool = False, origin: Any = None, **_: Any) -> None:
    if instance.pk and not raw and not _whole_account_going(origin):
        _lock_before_reading(instance.author_id)
        old = Reflection.objects.filter(pk=instance.pk).values_list("author_id", "occurred_at", "session_id").first()
        setattr(instance, BEFORE, _reflection_state(*old) if old else None)


@receiver(post_save, sender=Reflection)
@receiver(post_delete, sender=Reflection)
def _reflection_changed(
    instance: Reflection, raw: bool = False, origin: Any = None, created: bool = False, **_: Any
) -> None:
    if raw or _whole_account_going(origin):
        return
    # The services pass the session they checked: its start needs no query.
    start = instance.session.starts_at if instance.session_id and Reflection.session.is_cached(instance) else None
    now = _reflection_state(instance.author_id, instance.occurred_at, instance.session_id, start)
    states = [s for s in (getattr(instance, BEFORE, None), now) if s is not None]
    for therapist in sorted({s[0] for s in states}):
        weeks = _weeks_of([when for s in states if s[0] == therapist for when in s[1:] if when])
        added = REFLECTION_ADDED if created else figures.ALL_KINDS
        figures.refresh(therapist, weeks, added=added)
    setattr(instance, BEFORE, now)


def _administration_state(row: Administration) -> tuple[int, int | None, str, datetime.datetime]:
    return row.therapist_id, row.client_id, row.instrument_id, row.completed_at


def _may_change_figures(update_fields: Any) -> bool:
    """A save that only records that a risk flag was seen changes no figure: nothing read from them shows it."""
    return update_fields is None or not set(update_fields) <= {"flags_acknowledged_at"}


@receiver(pre_save, sender=Administration)
@receiver(pre_delete, sender=Administration)
def _administration_before(
    instance: Administration, raw: bool = False, update_fields: Any = None, origin: Any = None, **_: Any
) -> None:
    if instance.pk and not raw and _may_change_figures(update_fields) and not _whole_account_going(origin):
        _lock_before_reading(instance.therapist_id)
        setattr(instance, BEFORE, Administration.objects.filter(pk=instance.pk).values_list(
            "therapist_id", "client_id", "instrument_id", "completed_at").first())  # fmt: skip


@receiver(post_save, sender=Administration)
@receiver(post_delete, sender=Administration)
def _administration_changed(
    instance: Administration,
    raw: bool = False,
    origin: Any = None,
    update_fields: Any = None,
    **_: Any,
) -> None:
    if raw or _whole_account_going(origin) or not _may_change_figures(update_fields):
        return
    now = _administration_state(instance)
    states = {getattr(instance, BEFORE, None) or now, now}
    for therapist in sorted({s[0] for s in states}):  # one refresh each, a moved score's two weeks together
        mine = [s for s in states if s[0] == therapist]
        courses = {(client, instrument_id) for _, client, instrument_id, _ in mine if client is not None}
        figures.refresh(therapist, _weeks_of([when for *_, when in mine]), courses=courses)
    setattr(instance, BEFORE, now)


def _may_change_zone(update_fields: Any) -> bool:
    """A save that names its fields (a sign-in's `last_login`, a password) leaves the time zone alone."""
    return update_fields is None or "time_zone" in update_fields


@receiver(pre_save, sender=User)
def _zone_before(instance: User, raw: bool = False, update_fields: Any = None, **_: Any) -> None:
    if instance.pk and not raw and _may_change_zone(update_fields):
        setattr(instance, BEFORE, User.objects.filter(pk=instance.pk).values_list("time_zone", flat=True).first())


@receiver(post_save, sender=User)
def _zone_changed(
    instance: User, raw: bool = False, created: bool = False, update_fields: Any = None, **_: Any
) -> None:
    if raw or created or not _may_change_zone(update_fields):
        return
    before = getattr(instance, BEFORE, None)
    if before is not None and before != instance.time_zone:
        figures.rebuild(instance.pk)
    setattr(instance, BEFORE, instance.time_zone)
