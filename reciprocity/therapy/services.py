import datetime
import uuid
from collections.abc import Iterable

from django.db import IntegrityError, transaction
from django.utils import timezone

from reciprocity.clients.models import Client
from reciprocity.lib.ownership import NotYours
from reciprocity.practice.models import User
from reciprocity.therapy.dimensions import KEYS
from reciprocity.therapy.models import Occasion, Reflection, Session, Technique


class AlreadyReflected(ValueError):
    """The session already has its reflection."""


class NotYetHappened(ValueError):
    """A session that has not started yet cannot be reflected on."""


def _check_owner(therapist: User, client: Client, techniques: Iterable[Technique]) -> list[Technique]:
    techniques = list(techniques)
    if client.therapist_id != therapist.pk or any(t.therapist_id != therapist.pk for t in techniques):
        raise NotYours("A session can only use your own clients and techniques.")
    return techniques


SESSION_FIELDS = (
    "client", "starts_at", "duration_minutes", "format", "mode", "emotional_load",
    "worked_with_trauma", "arrival_calm", "arrival_tiredness",
)  # fmt: skip


@transaction.atomic
def record_session(
    *,
    therapist: User,
    client: Client,
    techniques: Iterable[Technique] = (),
    submission_id: uuid.UUID | None = None,
    **fields: object,
) -> Session:
    """Log a session with one of the therapist's own clients; a form sent again with its submission id
    returns the session it saved the first time."""
    techniques = _check_owner(therapist, client, techniques)
    sent = Session.objects.filter(client=client, submission_id=submission_id)
    if submission_id is not None and sent.exists():
        return sent.get()
    try:
        with transaction.atomic():
            session = Session.objects.create(client=client, submission_id=submission_id, **fields)
    except IntegrityError:
        if submission_id is not None and sent.exists():  # the same form arrived twice at once: the first one won
            return sent.get()
        raise
    if techniques:  # a new session has none to replace
        session.techniques.add(*techniques)
    return session


class ReflectedSessionInFuture(ValueError):
    """A session that already has its reflection cannot move into the future."""


@transaction.atomic
def update_session(session: Session, *, techniques: Iterable[Technique] = (), **fields: object) -> Session:
    """Change a logged session; its reflection, if any, follows the new start time."""
    owner = session.client.therapist
    for name, value in fields.items():
        if name not in SESSION_FIELDS:
            raise TypeError(f"Unknown session field {name}.")
        setattr(session, name, value)
    techniques = _check_owner(owner, session.client, techniques)
    if session.starts_at > timezone.now() and Reflection.objects.filter(session=session).exists():
        raise ReflectedSessionInFuture("This session already has a reflection, so it cannot move into the future.")
    session.save()
    session.techniques.set(techniques)
    for reflection in Reflection.objects.filter(session=session).exclude(occurred_at=session.starts_at):
        reflection.occurred_at = session.starts_at
        reflection.save(update_fields=["occurred_at"])  # saved, not updated in bulk: its signals keep figures
    return session


@transaction.atomic
def write_reflection(
    *,
    author: User,
    ratings: dict[str, int],
    session: Session | None = None,
    occasion: str = Occasion.OTHER,
    occurred_at: datetime.datetime | None = None,
    gave_me: str = "",
    carry_home: str = "",
    mood_before: int | None = None,
    mood_after: int | None = None,
    submission_id: uuid.UUID | None = None,
) -> Reflection:
    """Save what a session (or another occasion) gave the therapist, rated 0–4 on each of the seven dimensions.

    A form sent again with its submission id (a draft written offline and sent twice) returns the
    reflection it saved the first time and saves nothing new.
    """
    sent = Reflection.objects.filter(author=author, submission_id=submission_id)
    if submission_id is not None and sent.exists():
        return sent.get()
    if session is not None:
        if session.client.therapist_id != author.pk:
            raise NotYours("You can only reflect on your own sessions.")
        if session.starts_at > timezone.now():
            raise NotYetHappened("This session has not happened yet.")
        occasion, occurred_at = Occasion.SESSION, session.starts_at
    reflection = Reflection(
        author=author,
        session=session,
        occasion=occasion,
        occurred_at=occurred_at or timezone.now(),
        gave_me=gave_me.strip(),
        carry_home=carry_home.strip(),
        mood_before=mood_before,
        mood_after=mood_after,
        submission_id=submission_id,
    )
    reflection.set_ratings({key: ratings[key] for key in KEYS})
    try:
        with transaction.atomic():
            reflection.save()
    except IntegrityError:
        if submission_id is not None and sent.exists():  # the same form arrived twice at once: the first one won
            return sent.get()
        if session is not None and Reflection.objects.filter(session=session).exists():
            raise AlreadyReflected("This session already has a reflection.") from None
        raise
    return reflection


@transaction.atomic
def update_reflection(
    reflection: Reflection,
    *,
    ratings: dict[str, int],
    gave_me: str = "",
    carry_home: str = "",
    mood_before: int | None = None,
    mood_after: int | None = None,
    occasion: str | None = None,
    occurred_at: datetime.datetime | None = None,
) -> Reflection:
    """Revise a reflection; a reflection on a session keeps the session's occasion and time."""
    reflection.set_ratings({key: ratings[key] for key in KEYS})
    reflection.gave_me, reflection.carry_home = gave_me.strip(), carry_home.strip()
    reflection.mood_before, reflection.mood_after = mood_before, mood_after
    if reflection.session_id is None:
        reflection.occasion = occasion or reflection.occasion
        reflection.occurred_at = occurred_at or reflection.occurred_at
    reflection.save()
    return reflection
