"""The flywheel's figures, kept up to date on write: one row per therapist and week, one per client course.

Whatever changes a session, a reflection or a questionnaire recomputes the weeks it touches from their
rows (`refresh`), inside the transaction of that write, so the figures can never disagree with the rows;
a client's course on a measure (first and latest score) likewise. `rebuild` computes a
therapist's figures again from all their rows, through the same functions. Each of them first gives the
therapist's figures a new version token (`touch`), in the same transaction; on PostgreSQL the row lock that
takes makes a concurrent write of the same therapist wait until this one commits, so no two writes compute
a week from rows that miss each other's. `insights/signals.py` says which write touches which week;
`summarise_week` is the pure arithmetic of one week.
"""

import datetime
import uuid
import zoneinfo
from collections.abc import Callable, Iterable, Iterator, Sequence
from dataclasses import dataclass
from itertools import groupby

from django.db import transaction
from django.db.models import QuerySet

from reciprocity.insights.models import CourseFigures, FiguresVersion, WeekFigures
from reciprocity.insights.reciprocity import monday_of as monday
from reciprocity.measures import registry
from reciprocity.measures.change import reliable_change_threshold
from reciprocity.measures.definitions import Scale
from reciprocity.measures.models import Administration
from reciprocity.practice.models import User
from reciprocity.therapy.dimensions import KEYS
from reciprocity.therapy.models import Occasion, Reflection, Session

WEEK = datetime.timedelta(weeks=1)
# what `summarise_week` computes: every column of a week's row but its key
FIGURE_FIELDS = [f.name for f in WeekFigures._meta.concrete_fields if f.name not in {"id", "therapist", "week"}]
BACK_TO_BACK_MINUTES = 15  # a session starting this soon after the previous one ends has no real break
# the kinds of row a week's figures come from, and the columns each gives (`summarise_week`)
KIND_FIELDS = {
    "sessions": ("sessions", "hours", "trauma_share", "load", "calm", "tired", "back_to_back", "session_days",
                 "reflected_share"),
    "reflections": ("reflections", "dimensions", "reciprocity", "supervision"),
    "checkins": ("checkins",),
    "improvements": ("client_improvement",),
}  # fmt: skip
Kinds = frozenset[str]
ALL_KINDS: Kinds = frozenset(KIND_FIELDS)
WeeksIn = Callable[[datetime.tzinfo], Iterable[datetime.date]]  # the weeks a write touches, given the zone


# ---- one week, pure ---------------------------------------------------------------------------------


@dataclass(frozen=True)
class SessionRow:
    starts_at: datetime.datetime
    minutes: int
    trauma: bool
    load: int | None
    calm: int | None
    tired: int | None
    reflected: bool


@dataclass(frozen=True)
class ReflectionRow:
    occasion: str
    ratings: tuple[int, ...]  # in the order of KEYS


def _mean(values: Iterable[float | None]) -> float | None:
    present = [v for v in values if v is not None]
    return sum(present) / len(present) if present else None


def summarise_week(
    sessions: Sequence[SessionRow], previous_end: datetime.datetime | None, reflections: Sequence[ReflectionRow],
    checkins: Sequence[tuple[str, float]], improvements: Sequence[float], zone: datetime.tzinfo,
) -> dict | None:  # fmt: skip
    """One week's figures from its rows (sessions in start order, check-ins oldest first); None when empty.

    `previous_end` is when the session before the week's first one ended: a session that starts at most
    15 minutes after the previous one ends counts as back-to-back, across the week's edge too.
    """
    if not (sessions or reflections or checkins or improvements):
        return None
    back_to_back, days = 0, 0
    for s in sessions:
        if previous_end is not None and 0 <= (s.starts_at - previous_end).total_seconds() / 60 <= BACK_TO_BACK_MINUTES:
            back_to_back += 1
        previous_end = s.starts_at + datetime.timedelta(minutes=s.minutes)
        days |= 1 << s.starts_at.astimezone(zone).weekday()
    n = len(sessions)
    dimensions = {key: _mean(r.ratings[i] for r in reflections) for i, key in enumerate(KEYS)} if reflections else {}
    return {
        "sessions": n,
        "hours": sum(s.minutes for s in sessions) / 60,
        "trauma_share": sum(s.trauma for s in sessions) / n if n else None,
        "load": _mean(s.load for s in sessions),
        "calm": _mean(s.calm for s in sessions),
        "tired": _mean(s.tired for s in sessions),
        "back_to_back": back_to_back,
        "session_days": days,
        "reflected_share": sum(s.reflected for s in sessions) / n if n else None,
        "reflections": len(reflections),
        "dimensions": dimensions,
        "reciprocity": _mean(sum(r.ratings) / len(r.ratings) for r in reflections),
        "supervision": sum(r.occasion == Occasion.SUPERVISION for r in reflections),
        "checkins": {scale: score for scale, score in checkins},  # the latest of each scale wins
        "client_improvement": _mean(improvements),
    }


def improvement(scale: Scale, first: float, score: float) -> float:
    """A client's change since their first score, in units of the measure's reliable-change threshold."""
    threshold, _ = reliable_change_threshold(scale)
    return ((score - first) if scale.higher_is_better else (first - score)) / threshold


# ---- weeks on a therapist's wall clock ---------------------------------------------------------------


def zone_of(therapist: int) -> zoneinfo.ZoneInfo:
    return User(time_zone=User.objects.filter(pk=therapist).values_list("time_zone", flat=True).first() or "UTC").zone


def _start(week: datetime.date, zone: datetime.tzinfo) -> datetime.datetime:
    return datetime.datetime.combine(week, datetime.time(), tzinfo=zone)


def _runs(weeks: Iterable[datetime.date]) -> Iterator[list[datetime.date]]:
    """Consecutive weeks together, so a span of weeks is read in one query per kind of row."""
    ordered = sorted(set(weeks))
    for _, run in groupby(enumerate(ordered), key=lambda pair: pair[1] - pair[0] * WEEK):
        yield [week for _, week in run]


# ---- reading the rows and writing the figures --------------------------------------------------------


def _primary_score(instrument_id: str, scores: dict) -> tuple[Scale, float] | None:
    """The primary scale of an instrument and this answer set's score on it; None when either is missing."""
    try:
        scale = registry.get(instrument_id).primary_scale
    except registry.UnknownInstrument:
        return None
    if (value := scores.get(scale.id, {}).get("score")) is None:
        return None
    return scale, float(value)


@transaction.atomic(savepoint=False)  # a save outside a transaction (an acknowledged flag) refreshes in one too
def refresh(
    therapist: int,
    weeks_in: WeeksIn,
    *,
    added: Kinds = ALL_KINDS,
    courses: Iterable[tuple[int, str]] = (),
) -> None:
    """Recompute one therapist's weeks (`weeks_in(zone)`, given their time zone) and client courses (client,
    measure) from their rows: write each week's row, or delete an empty one; a course whose first score
    changed recomputes every week it has a score in, as each of them measures improvement from that first
    score.

    It begins by giving the therapist's figures their new token (`touch`). On PostgreSQL the lock that takes
    on the therapist's token row makes a concurrent write of the same therapist wait here until this one
    commits, so the later one reads the earlier one's rows (and zone); without it two sessions saved at once
    in the same week could each count only itself. (SQLite runs one write transaction at a time.)

    One upsert writes every week that has figures and one delete removes the emptied ones. `added` names the
    only kinds of row the write added to these weeks (it changed and removed none): only those are read
    again and only their columns written, and a week with none of them is left as it is. That holds because
    a week has a row exactly when it has a row of some kind, so a week without one has nothing of the others.
    """
    touch(therapist)
    zone = zone_of(therapist)
    weeks = set(weeks_in(zone))
    for client, instrument_id in courses:
        before = _first_of_course(client, instrument_id)
        if _refresh_course(client, instrument_id) != before:
            weeks |= _course_weeks(client, instrument_id, zone)
    parts = {field for kind in added for field in KIND_FIELDS[kind]}
    computed = list(_weeks(therapist, weeks, zone, added))
    if added == ALL_KINDS and (empty := [week for week, figures in computed if figures is None]):
        WeekFigures.objects.filter(therapist_id=therapist, week__in=empty).delete()
    if rows := [WeekFigures(therapist_id=therapist, week=week, **figures) for week, figures in computed if figures]:
        WeekFigures.objects.bulk_create(
            rows, update_conflicts=True, unique_fields=["therapist", "week"],
            update_fields=[field for field in FIGURE_FIELDS if field in parts],
        )  # fmt: skip


def touch(therapist: int) -> None:
    """Give the therapist's figures a new version token: what was read from them before is out of date."""
    FiguresVersion.objects.bulk_create(
        [FiguresVersion(therapist_id=therapist, token=uuid.uuid4().hex)],
        update_conflicts=True, unique_fields=["therapist"], update_fields=["token"],
    )  # fmt: skip


def version(therapist: int) -> str | None:
    """The therapist's figures' version token; None before their first write since the token was kept."""
    return FiguresVersion.objects.filter(therapist_id=therapist).values_list("token", flat=True).first()


def versions(therapists: Iterable[int]) -> dict[int, str]:
    """Each of these therapists' version tokens, of those who have one."""
    return dict(FiguresVersion.objects.filter(therapist_id__in=list(therapists)).values_list("therapist_id", "token"))


def _weeks(
    therapist: int, weeks: Iterable[datetime.date], zone: datetime.tzinfo, kinds: Kinds = ALL_KINDS
) -> Iterator[tuple[datetime.date, dict | None]]:
    """Each of these weeks with its figures computed from the rows of these kinds (None: nothing of them
    happened in it); the other kinds count as empty."""
    for run in _runs(weeks):
        start, end = _start(run[0], zone), _start(run[-1] + WEEK, zone)
        sessions: dict[datetime.date, list[SessionRow]] = {}
        previous_end: datetime.datetime | None = None
        if "sessions" in kinds:
            sessions, previous_end = _sessions_and_previous_end(therapist, start, end, zone)
        reflections = _reflections(therapist, start, end) if "reflections" in kinds else {}
        checkins = _checkins(therapist, start, end) if "checkins" in kinds else {}
        improvements = _improvements(therapist, start, end) if "improvements" in kinds else {}
        for week in run:
            own = sessions.get(week, [])
            figures = summarise_week(
                own, previous_end, reflections.get(week, []), checkins.get(week, []), improvements.get(week, []), zone
            )
            if own:
                previous_end = own[-1].starts_at + datetime.timedelta(minutes=own[-1].minutes)
            yield week, figures


def _sessions_and_previous_end(
    therapist: int, start: datetime.datetime, end: datetime.datetime, zone: datetime.tzinfo
) -> tuple[dict[datetime.date, list[SessionRow]], datetime.datetime | None]:
    """The span's sessions by week, and when the session before the span ended (None: there was none)."""
    sessions = _by_week(((s.starts_at, s) for s in _sessions(therapist, start, end)), zone)
    previous = (
        Session.objects.filter(client__therapist=therapist, starts_at__lt=start)
        .order_by("-starts_at", "-pk").values_list("starts_at", "duration_minutes").first()
    )  # fmt: skip
    return sessions, previous[0] + datetime.timedelta(minutes=previous[1]) if previous else None


def _sessions(therapist: int, start: datetime.datetime, end: datetime.datetime) -> list[SessionRow]:
    rows = (
        Session.objects.filter(client__therapist=therapist, starts_at__gte=start, starts_at__lt=end)
        .order_by("starts_at", "pk")
        .values_list("starts_at", "duration_minutes", "worked_with_trauma", "emotional_load", "arrival_calm",
                     "arrival_tiredness", "reflection__id")
    )  # fmt: skip
    return [SessionRow(*row[:6], reflected=row[6] is not None) for row in rows]


def _by_week(rows: Iterable[tuple[datetime.datetime, object]], zone: datetime.tzinfo) -> dict[datetime.date, list]:
    found: dict[datetime.date, list] = {}
    for when, value in rows:
        found.setdefault(monday(when, zone), []).append(value)
    return found


def _reflections(therapist: int, start: datetime.datetime, end: datetime.datetime) -> dict:
    rows = Reflection.objects.filter(author=therapist, occurred_at__gte=start, occurred_at__lt=end).order_by(
        "occurred_at", "pk"
    )
    return _by_week(
        ((when, ReflectionRow(occasion, tuple(ratings))) for when, occasion, *ratings in
         rows.values_list("occurred_at", "occasion", *KEYS)),
        start.tzinfo,
    )  # fmt: skip


def _checkins(therapist: int, start: datetime.datetime, end: datetime.datetime) -> dict:
    """Every scale score of the therapist's own check-ins, oldest first, as ("<instrument>.<scale>", score)."""
    rows = (
        Administration.objects.filter(therapist=therapist, client__isnull=True, completed_at__gte=start,
                                      completed_at__lt=end)
        .order_by("completed_at", "pk").values_list("completed_at", "instrument_id", "scale_scores")
    )  # fmt: skip
    return _by_week(
        ((when, (f"{instrument}.{scale}", float(found["score"])))
         for when, instrument, scores in rows for scale, found in scores.items() if found.get("score") is not None),
        start.tzinfo,
    )  # fmt: skip


def _improvements(therapist: int, start: datetime.datetime, end: datetime.datetime) -> dict:
    """Each client score of the span but a course's first, as improvement since that first score."""
    firsts = {
        (client, instrument): (first_id, first)
        for client, instrument, first_id, first in CourseFigures.objects.filter(
            therapist=therapist, last_at__gte=start, first_at__lt=end
        ).values_list("client_id", "instrument_id", "first_id", "first")
    }
    rows = (
        Administration.objects.filter(therapist=therapist, client__isnull=False, completed_at__gte=start,
                                      completed_at__lt=end)
        .order_by("completed_at", "pk").values_list("pk", "client_id", "instrument_id", "completed_at", "scale_scores")
    )  # fmt: skip
    found = []
    for pk, client, instrument, when, scores in rows:
        primary = _primary_score(instrument, scores)
        course = firsts.get((client, instrument))
        if primary is None or course is None or course[0] == pk or primary[0].reliability is None:
            continue
        found.append((when, improvement(primary[0], course[1], primary[1])))
    return _by_week(found, start.tzinfo)


def _first_of_course(client: int, instrument_id: str) -> tuple[int, float] | None:
    return (
        CourseFigures.objects.filter(client_id=client, instrument_id=instrument_id)
        .values_list("first_id", "first").first()
    )  # fmt: skip


def _refresh_course(client: int, instrument_id: str) -> tuple[int, float] | None:
    """Recompute one client's course on one measure; return its first score as (administration, score)."""
    rows = Administration.objects.filter(client=client, instrument_id=instrument_id)
    (course,) = _courses(rows) or [None]
    if course is None:
        CourseFigures.objects.filter(client_id=client, instrument_id=instrument_id).delete()
        return None
    CourseFigures.objects.update_or_create(client_id=client, instrument_id=instrument_id, defaults=course)
    return course["first_id"], course["first"]


def _courses(administrations: QuerySet[Administration]) -> list[dict]:
    """The course figures of every (client, measure) among these client administrations with a primary score."""
    scored: dict[tuple[int, str], list[tuple]] = {}
    rows = (
        administrations.filter(client__isnull=False)
        .order_by("completed_at", "pk")
        .values_list("pk", "therapist_id", "client_id", "instrument_id", "completed_at", "scale_scores")
    )
    for pk, therapist, client, instrument_id, when, scores in rows:
        if (primary := _primary_score(instrument_id, scores)) is not None:
            scored.setdefault((client, instrument_id), []).append((pk, therapist, when, primary[1]))
    return [
        {"client_id": client, "instrument_id": instrument_id, "therapist_id": values[0][1], "scores": len(values),
         "first_id": values[0][0], "first": values[0][3], "first_at": values[0][2], "last": values[-1][3],
         "last_at": values[-1][2]}
        for (client, instrument_id), values in scored.items()
    ]  # fmt: skip


def _course_weeks(client: int, instrument_id: str, zone: datetime.tzinfo) -> set[datetime.date]:
    """The weeks in which one client's course on one measure has a score."""
    times = Administration.objects.filter(client=client, instrument_id=instrument_id).values_list(
        "completed_at", flat=True
    )
    return {monday(when, zone) for when in times}


@transaction.atomic(savepoint=False)  # all of it or nothing, like `refresh`
def rebuild(therapist: int) -> int:
    """Compute one therapist's figures again from all their rows; return how many weeks have figures."""
    touch(therapist)  # first, as in `refresh`: a concurrent write of the same therapist waits for this one
    zone = zone_of(therapist)
    WeekFigures.objects.filter(therapist_id=therapist).delete()
    CourseFigures.objects.filter(therapist_id=therapist).delete()
    courses = _courses(Administration.objects.filter(therapist=therapist))
    CourseFigures.objects.bulk_create([CourseFigures(**course) for course in courses], batch_size=500)
    times = [
        *Session.objects.filter(client__therapist=therapist).values_list("starts_at", flat=True),
        *Reflection.objects.filter(author=therapist).values_list("occurred_at", flat=True),
        *Administration.objects.filter(therapist=therapist).values_list("completed_at", flat=True),
    ]
    rows = [
        WeekFigures(therapist_id=therapist, week=week, **figures)
        for week, figures in _weeks(therapist, {monday(when, zone) for when in times}, zone)
        if figures is not None
    ]
    WeekFigures.objects.bulk_create(rows, batch_size=500)
    return len(rows)


def snapshot(therapist: int) -> tuple[list[dict], list[dict]]:
    """One therapist's figures as plain rows (weeks, then courses), to compare two states of them."""
    weeks = WeekFigures.objects.filter(therapist_id=therapist).order_by("week").values()
    courses = CourseFigures.objects.filter(therapist_id=therapist).order_by("client_id", "instrument_id").values()
    return [{k: v for k, v in row.items() if k != "id"} for row in weeks], [
        {k: v for k, v in row.items() if k != "id"} for row in courses
    ]


def differs(therapist: int) -> bool:
    """Whether one therapist's stored figures differ from what their rows give now (nothing is changed)."""
    stored = snapshot(therapist)
    with transaction.atomic():
        rebuild(therapist)
        fresh = snapshot(therapist)
        transaction.set_rollback(True)  # a comparison, not a repair
    return stored != fresh


def fill_missing(**_: object) -> None:
    """After `migrate`: compute the figures of every therapist who has rows but no figures yet (a database
    made before the figures existed, or restored from a backup without them)."""
    from django.db.models import Exists, OuterRef

    from reciprocity.clients.models import Client

    missing = User.objects.filter(
        Exists(Client.objects.filter(therapist=OuterRef("pk"), sessions__isnull=False))
        | Exists(Reflection.objects.filter(author=OuterRef("pk")))
        | Exists(Administration.objects.filter(therapist=OuterRef("pk")))
    ).exclude(Exists(WeekFigures.objects.filter(therapist=OuterRef("pk"))))
    for therapist in missing.values_list("pk", flat=True):
        rebuild(therapist)
