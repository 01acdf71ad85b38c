"""What the flywheel reads: its weekly and course figures (kept on write, `insights/figures.py`), own
check-in scores, and for the dashboard and the practice view a few rows or aggregates, as plain data.

Everything after this module is pure: functions over these rows and frames, with no ORM inside.
"""

import datetime
from collections.abc import Iterable

import pandas as pd
from django.db import models
from django.db.models import Count, F, Max, Sum

from reciprocity.insights import expected
from reciprocity.insights.alerts import ClientCourse
from reciprocity.insights.models import CourseFigures, WeekFigures
from reciprocity.measures import registry
from reciprocity.measures.change import classify_change
from reciprocity.measures.models import Administration
from reciprocity.practice.models import Membership
from reciprocity.therapy.dimensions import KEYS
from reciprocity.therapy.models import Reflection, Session


def reflection_ratings(therapist: int, since: datetime.datetime) -> list[tuple]:
    """The therapist's reflections since a moment as (occurred_at, rating of each dimension in KEYS' order)."""
    return list(Reflection.objects.filter(author=therapist, occurred_at__gte=since).values_list("occurred_at", *KEYS))


def week_figures(therapist: int, first: datetime.date, last: datetime.date) -> list[dict]:
    """The therapist's weekly figures from the week of `first` to that of `last` (weeks with data only)."""
    return list(
        WeekFigures.objects.filter(therapist=therapist, week__gte=first, week__lte=last).order_by("week").values()
    )


def own_scores(therapist: int, instrument_id: str, since: datetime.datetime) -> dict[str, list[tuple]]:
    """Each scale's scores of the therapist's own check-ins on one instrument since a moment, oldest first."""
    found: dict[str, list[tuple]] = {}
    rows = Administration.objects.filter(
        therapist=therapist, client__isnull=True, instrument_id=instrument_id, completed_at__gte=since
    ).order_by("completed_at", "pk")
    for when, scores in rows.values_list("completed_at", "scale_scores"):
        for scale, value in scores.items():
            if value.get("score") is not None:
                found.setdefault(f"{instrument_id}.{scale}", []).append((when, float(value["score"])))
    return found


def client_courses(therapist: int, since: datetime.datetime) -> list[ClientCourse]:
    """Each client with a score since `since`, on each measure: first against latest score (the whole course),
    session count, and whether the work ended; read from the figures kept on write."""
    rows = (
        CourseFigures.objects.filter(therapist=therapist, last_at__gte=since)
        .annotate(sessions=Count("client__sessions"))
        .order_by("first_at", "pk")
        .values_list("client__code", "client__ended_on", "instrument_id", "scores", "first", "last", "first_at",
                     "last_at", "sessions")
    )  # fmt: skip
    courses = []
    for code, ended_on, instrument_id, scores, first, last, first_at, last_at, sessions in rows:
        try:
            definition = registry.get(instrument_id)
        except registry.UnknownInstrument:
            continue
        scale = definition.primary_scale
        change = classify_change(scale, first, last) if scores >= 2 and scale.reliability is not None else None
        courses.append(
            ClientCourse(
                code=code, sessions=sessions, scores=scores, measure=definition.short_name,
                direction=change.direction if change else None, first=first, last=last,
                reliable_recovery=bool(change and change.reliable_recovery), first_at=first_at, last_at=last_at,
                ended=ended_on is not None, instrument=instrument_id,
            )
        )  # fmt: skip
    return courses


def practice_therapists(therapist: int) -> list[int]:
    """The therapist and everyone who shares a practice with them (any role), in id order."""
    practices = Membership.objects.filter(user=therapist).values("practice")
    found = set(Membership.objects.filter(practice__in=practices).values_list("user", flat=True))
    return sorted(found | {therapist})


def completed_course_versions(therapists: Iterable[int]) -> dict[str, tuple[int, int, str]]:
    """Per measure, the completed client courses of these therapists (the client's work ended, at least
    `expected.MIN_SCORES` scores): how many, their scores summed and the latest score's time, from the course
    figures in one query. It changes whenever a score is added to or removed from any of them."""
    rows = (
        CourseFigures.objects.filter(therapist__in=list(therapists), client__ended_on__isnull=False,
                                     scores__gte=expected.MIN_SCORES)
        .values("instrument_id").annotate(n=Count("pk"), total=Sum("scores"), latest=Max("last_at"))
        .order_by("instrument_id")
    )  # fmt: skip
    return {row["instrument_id"]: (row["n"], row["total"], str(row["latest"])) for row in rows}


def completed_courses(therapists: Iterable[int], instruments: Iterable[str]) -> dict[str, list[list[float]]]:
    """Per measure, each completed course's primary scores in order (intake first), of every client of these
    therapists whose work ended, in one query: score sequences only, never a client or a therapist."""
    rows = (
        Administration.objects.filter(therapist__in=list(therapists), client__ended_on__isnull=False,
                                      instrument_id__in=list(instruments))
        .order_by("client_id", "instrument_id", "completed_at", "pk")
        .values_list("client_id", "instrument_id", "scale_scores")
    )  # fmt: skip
    courses: dict[tuple[int, str], list[float]] = {}
    for client, instrument_id, scores in rows.iterator(chunk_size=2000):
        if (score := primary_score(instrument_id, scores)) is not None:
            courses.setdefault((client, instrument_id), []).append(score)
    found: dict[str, list[list[float]]] = {}
    for (_, instrument_id), sequence in courses.items():
        if len(sequence) >= expected.MIN_SCORES:
            found.setdefault(instrument_id, []).append(sequence)
    return found


def open_courses(therapist: int, instruments: Iterable[str], since: datetime.datetime) -> dict[tuple, list[float]]:
    """The primary scores in order of each course on these measures of the therapist's clients whose work has
    not ended and who have a score since `since`, by (client code, measure id), in one query."""
    rows = (
        Administration.objects.filter(therapist=therapist, client__ended_on__isnull=True,
                                      instrument_id__in=list(instruments))
        # the same course figures row in both conditions: the course had a score since `since`
        .filter(client__course_figures__last_at__gte=since, client__course_figures__instrument_id=F("instrument_id"))
        .order_by("client_id", "instrument_id", "completed_at", "pk")
        .values_list("client__code", "instrument_id", "scale_scores")
    )  # fmt: skip
    found: dict[tuple, list[float]] = {}
    for code, instrument_id, scores in rows:
        if (score := primary_score(instrument_id, scores)) is not None:
            found.setdefault((code, instrument_id), []).append(score)
    return found


def primary_score(instrument_id: str, scores: dict) -> float | None:
    """An answer set's score on its instrument's primary scale; None when unknown or not scored."""
    try:
        scale = registry.get(instrument_id).primary_scale
    except registry.UnknownInstrument:
        return None
    value = scores.get(scale.id, {}).get("score")
    return None if value is None else float(value)


def unreflected_starts(therapist: int, since: datetime.datetime) -> list[datetime.datetime]:
    """When each of the therapist's sessions since a moment started, of those still without a reflection."""
    return list(
        Session.objects.filter(client__therapist=therapist, starts_at__gte=since, reflection__isnull=True)
        .order_by("starts_at").values_list("starts_at", flat=True)
    )  # fmt: skip


def fulfilling_reflections(therapist: int, limit: int = 3) -> list[Reflection]:
    """The therapist's own words from the reflections that gave them most (fulfillment 4, with text): what
    they gave and when, nothing else read or decrypted."""
    return list(
        Reflection.objects.filter(author=therapist, fulfillment=4).exclude(gave_me="")
        .only("gave_me", "occurred_at").order_by("-occurred_at")[:limit]
    )  # fmt: skip


def team_recent(practice_therapists: Iterable[int], today: datetime.date, weeks: int = 4) -> pd.DataFrame:
    """Per therapist of a practice, over the `weeks` complete weeks before `today`'s: mean reciprocity index (of
    their reflections), sessions, hours and trauma share, summed up from the weekly figures in one query."""
    therapists = list(practice_therapists)
    this_monday = today - datetime.timedelta(days=today.weekday())
    weighted = models.ExpressionWrapper(models.F("reciprocity") * models.F("reflections"), models.FloatField())
    trauma = models.ExpressionWrapper(models.F("trauma_share") * models.F("sessions"), models.FloatField())
    found = {
        row["therapist"]: row
        for row in WeekFigures.objects.filter(
            therapist__in=therapists, week__gte=this_monday - datetime.timedelta(weeks=weeks), week__lt=this_monday
        )
        .values("therapist")
        .annotate(index_sum=Sum(weighted), n_reflections=Sum("reflections"), n_sessions=Sum("sessions"),
                  n_hours=Sum("hours"), trauma_sum=Sum(trauma))
    }  # fmt: skip
    rows = []
    for therapist in therapists:
        row = found.get(therapist, {})
        reflections, sessions = row.get("n_reflections") or 0, row.get("n_sessions") or 0
        rows.append((therapist, row["index_sum"] / reflections if reflections else None, sessions,
                     row.get("n_hours") or 0, row["trauma_sum"] / sessions if sessions else None))  # fmt: skip
    frame = pd.DataFrame.from_records(rows, columns=["therapist", "reciprocity", "sessions", "hours", "trauma_share"])
    return frame.astype({"reciprocity": float, "sessions": float, "hours": float, "trauma_share": float})


def latest_checkin_scores(therapists: Iterable[int], scale: str, since: datetime.datetime) -> dict[int, float]:
    """Each therapist's latest score on one check-in scale ("<instrument id>.<scale id>") since a moment."""
    instrument_id, scale_id = scale.split(".")
    latest: dict[int, float] = {}
    rows = Administration.objects.filter(
        therapist__in=list(therapists), client__isnull=True, instrument_id=instrument_id, completed_at__gte=since
    )
    for therapist, scores in rows.order_by("completed_at").values_list("therapist_id", "scale_scores"):
        if (value := scores.get(scale_id, {}).get("score")) is not None:
            latest[therapist] = value
    return latest
