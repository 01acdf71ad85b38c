import datetime
import uuid
from dataclasses import dataclass

from django.db.models import Q, QuerySet
from django.shortcuts import get_object_or_404
from django.utils import timezone

from reciprocity.clients.models import Client
from reciprocity.lib.dates import on_local_days
from reciprocity.practice.models import User
from reciprocity.therapy.dimensions import KEYS
from reciprocity.therapy.models import Reflection, Session


def get_session_for(user: User, pk: int, *, with_reflection: bool = False) -> Session:
    """The user's own session, or 404 — someone else's is indistinguishable from none; with its reflection
    read in the same query when asked (`has_reflection` then asks none), its words neither read nor decrypted."""
    sessions = Session.objects.owned_by(user).select_related("client")
    if with_reflection:
        sessions = sessions.select_related("reflection").defer("reflection__gave_me", "reflection__carry_home")
    return get_object_or_404(sessions, pk=pk)


def get_reflection_for(user: User, pk: int) -> Reflection:
    return get_object_or_404(Reflection.objects.owned_by(user).select_related("session__client"), pk=pk)


def _submission(raw: object) -> uuid.UUID | None:
    try:
        return uuid.UUID(str(raw)) if raw else None
    except ValueError:
        return None


def sent_reflection(user: User, submission_id: object) -> Reflection | None:
    """The user's reflection already saved from the form with this submission id (a draft sent twice), if any."""
    found = _submission(submission_id)
    return Reflection.objects.owned_by(user).filter(submission_id=found).first() if found else None


def sent_session(user: User, submission_id: object) -> Session | None:
    """The user's session already saved from the form with this submission id, if any."""
    found = _submission(submission_id)
    return Session.objects.owned_by(user).filter(submission_id=found).first() if found else None


@dataclass(frozen=True)
class Today:
    today: list[Session]
    waiting: list[Session]  # earlier sessions of the past week still without a reflection
    reflected_count: int  # earlier sessions of the past week already reflected on (`reflected_this_week`)

    @property
    def unreflected_count(self) -> int:
        return len(self.waiting) + sum(1 for s in self.today if not s.has_reflection and not s.is_upcoming)


def _past_week(
    user: User, recent_days: int, now: datetime.datetime | None
) -> tuple[QuerySet[Session], Q, datetime.datetime]:
    """The user's sessions from `recent_days` before today to the end of today, in their time zone; the
    condition that picks the earlier days' reflected ones (today's stay with today, reflected or not); and
    the start of today."""
    now = timezone.localtime(now or timezone.now(), user.zone)
    start_of_day = now.replace(hour=0, minute=0, second=0, microsecond=0)
    since = start_of_day - datetime.timedelta(days=recent_days)
    window = Session.objects.owned_by(user).filter(
        starts_at__gte=since, starts_at__lt=start_of_day + datetime.timedelta(days=1)
    )
    return window, Q(starts_at__lt=start_of_day, reflection__isnull=False), start_of_day


def today_overview(user: User, *, recent_days: int = 7, now: datetime.datetime | None = None) -> Today:
    """Today's sessions and the past week's still without a reflection, in the user's time zone; the week's
    reflected sessions, most of a week, only counted."""
    window, reflected_earlier, start_of_day = _past_week(user, recent_days, now)
    shown = list(window.exclude(reflected_earlier).for_listing())
    return Today(
        today=sorted((s for s in shown if s.starts_at >= start_of_day), key=lambda s: s.starts_at),
        waiting=[s for s in shown if s.starts_at < start_of_day],
        reflected_count=window.filter(reflected_earlier).count(),
    )


def reflected_this_week(user: User, *, recent_days: int = 7, now: datetime.datetime | None = None) -> list[Session]:
    """The past week's sessions before today that have their reflection: Today's folded list."""
    window, reflected_earlier, _ = _past_week(user, recent_days, now)
    return list(window.filter(reflected_earlier).for_listing())


@dataclass(frozen=True)
class ReflectionFilters:
    date_from: datetime.date | None = None
    date_to: datetime.date | None = None
    dimension: str | None = None
    min_rating: int = 3
    client: Client | None = None
    text: str = ""


def reflection_history(user: User, filters: ReflectionFilters) -> QuerySet[Reflection]:
    """The user's reflections, newest first, narrowed by date range (in their time zone), dimension, client, text."""
    reflections = Reflection.objects.owned_by(user).select_related("session__client")
    reflections = on_local_days(reflections, "occurred_at", filters.date_from, filters.date_to)
    if filters.dimension in KEYS:
        reflections = reflections.filter(**{f"{filters.dimension}__gte": filters.min_rating})
    if filters.client is not None:
        reflections = reflections.filter(session__client=filters.client)
    if filters.text:
        reflections = reflections.filter(pk__in=_containing(reflections, filters.text))
    return reflections


def _containing(reflections: QuerySet[Reflection], text: str) -> list[int]:
    """The reflections whose words contain text. The words are encrypted, so they are read and compared
    here, after every narrowing the database can do (one therapist's rows, one column pair)."""
    needle = text.casefold()
    rows = reflections.order_by().values_list("pk", "gave_me", "carry_home")
    return [pk for pk, gave, carry in rows if needle in gave.casefold() or needle in carry.casefold()]
