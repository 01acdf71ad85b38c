"""The rows the flywheel needs, read from the database into plain data frames (one query each).

Everything after this module is pure: functions over these frames, with no ORM inside.
"""

import datetime
from collections.abc import Iterable

import pandas as pd
from django.db import models
from django.db.models import Count

from reciprocity.clients.models import Client
from reciprocity.insights.alerts import ClientCourse
from reciprocity.measures import registry
from reciprocity.measures.change import classify_change, reliable_change_threshold
from reciprocity.measures.models import Administration
from reciprocity.therapy.dimensions import KEYS
from reciprocity.therapy.models import Reflection, Session

SESSION_COLUMNS = [
    "therapist", "client", "starts_at", "duration_minutes", "worked_with_trauma", "emotional_load",
    "arrival_calm", "arrival_tiredness", "reflected",
]  # fmt: skip
CHECKIN_COLUMNS = ["therapist", "completed_at", "scale", "score"]
OUTCOME_COLUMNS = ["therapist", "client", "completed_at", "instrument", "improvement"]


def _frame(rows: Iterable[tuple], columns: list[str], *, times: tuple[str, ...] = ()) -> pd.DataFrame:
    frame = pd.DataFrame.from_records(list(rows), columns=columns)
    for column in times:
        frame[column] = pd.to_datetime(frame[column], utc=True)
    return frame


def sessions_frame(therapists: Iterable[int], since: datetime.datetime) -> pd.DataFrame:
    rows = (
        Session.objects.filter(client__therapist__in=list(therapists), starts_at__gte=since)
        .values_list("client__therapist_id", "client_id", "starts_at", "duration_minutes", "worked_with_trauma",
                     "emotional_load", "arrival_calm", "arrival_tiredness", "reflection__id")
    )  # fmt: skip
    frame = _frame(rows, SESSION_COLUMNS, times=("starts_at",))
    frame["reflected"] = frame["reflected"].notna()
    for column in ("emotional_load", "arrival_calm", "arrival_tiredness"):
        frame[column] = frame[column].astype(float)
    return frame


def reflections_frame(therapists: Iterable[int], since: datetime.datetime) -> pd.DataFrame:
    rows = Reflection.objects.filter(author__in=list(therapists), occurred_at__gte=since).values_list(
        "author_id", "occurred_at", "occasion", *KEYS
    )
    return _frame(rows, ["therapist", "occurred_at", "occasion", *KEYS], times=("occurred_at",))


def checkins_frame(therapists: Iterable[int], since: datetime.datetime) -> pd.DataFrame:
    """One row per scale of each own check-in: `scale` is "<instrument>.<scale>", e.g. "proqol5.burnout"."""
    rows = []
    own = Administration.objects.filter(therapist__in=list(therapists), client__isnull=True, completed_at__gte=since)
    for therapist, completed_at, instrument, scores in own.values_list(
        "therapist_id", "completed_at", "instrument_id", "scale_scores"
    ):
        for scale, found in scores.items():
            if found.get("score") is not None:
                rows.append((therapist, completed_at, f"{instrument}.{scale}", found["score"]))
    return _frame(rows, CHECKIN_COLUMNS, times=("completed_at",))


def outcomes_frame(therapists: Iterable[int]) -> pd.DataFrame:
    """Each client score as improvement since that client's first score on the same measure, in units of
    the measure's reliable-change threshold (1.0 = just reliable improvement; negative = worse)."""
    rows = []
    scored = Administration.objects.filter(therapist__in=list(therapists), client__isnull=False).order_by(
        "completed_at"
    )
    first: dict[tuple[int, str], float] = {}
    for therapist, client, completed_at, instrument_id, scores in scored.values_list(
        "therapist_id", "client_id", "completed_at", "instrument_id", "scale_scores"
    ):
        try:
            scale = registry.get(instrument_id).primary_scale
        except registry.UnknownInstrument:
            continue
        value = scores.get(scale.id, {}).get("score")
        if value is None or scale.reliability is None:
            continue
        baseline = first.setdefault((client, instrument_id), value)
        threshold, _ = reliable_change_threshold(scale)
        gain = (value - baseline) if scale.higher_is_better else (baseline - value)
        rows.append((therapist, client, completed_at, instrument_id, gain / threshold))
    return _frame(rows, OUTCOME_COLUMNS, times=("completed_at",))


def episodes_frame(therapists: Iterable[int]) -> pd.DataFrame:
    """One row per client: start, end (or none) and number of sessions."""
    rows = (
        Client.objects.filter(therapist__in=list(therapists)).annotate(n=Count("sessions"))
        .values_list("therapist_id", "id", "started_on", "ended_on", "n")
    )  # fmt: skip
    return _frame(rows, ["therapist", "client", "started_on", "ended_on", "sessions"])


def client_courses(therapist: int) -> list[ClientCourse]:
    """Each of the therapist's clients on each measure: first against latest score, and session count."""
    clients = {
        pk: (n, ended is not None)
        for pk, n, ended in Client.objects.filter(therapist=therapist)
        .annotate(n=Count("sessions"))
        .values_list("id", "n", "ended_on")
    }
    grouped: dict[tuple[int, str], list[tuple[str, datetime.datetime, float]]] = {}
    rows = Administration.objects.filter(therapist=therapist, client__isnull=False).order_by("completed_at")
    fields = ("client_id", "client__code", "instrument_id", "completed_at", "scale_scores")
    for client_id, code, instrument_id, when, scores in rows.values_list(*fields):
        try:
            scale = registry.get(instrument_id).primary_scale
        except registry.UnknownInstrument:
            continue
        if (value := scores.get(scale.id, {}).get("score")) is not None:
            grouped.setdefault((client_id, instrument_id), []).append((code, when, value))
    courses = []
    for (client_id, instrument_id), values in grouped.items():
        instrument = registry.get(instrument_id)
        scale = instrument.primary_scale
        change = None
        if len(values) >= 2 and scale.reliability is not None:
            change = classify_change(scale, values[0][2], values[-1][2])
        sessions, ended = clients.get(client_id, (0, False))
        courses.append(
            ClientCourse(
                code=values[0][0], sessions=sessions, scores=len(values), measure=instrument.short_name,
                direction=change.direction if change else None, first=values[0][2], last=values[-1][2],
                reliable_recovery=bool(change and change.reliable_recovery), first_at=values[0][1], ended=ended,
            )
        )  # fmt: skip
    return courses


def unreflected_older_than(therapist: int, days: int, now: datetime.datetime) -> int:
    """Sessions of the last 8 weeks, older than `days`, still without a reflection."""
    since, until = now - datetime.timedelta(weeks=8), now - datetime.timedelta(days=days)
    return Session.objects.filter(
        client__therapist=therapist, starts_at__gte=since, starts_at__lt=until, reflection__isnull=True
    ).count()


def fulfilling_reflections(therapist: int, limit: int = 3) -> list[Reflection]:
    """The therapist's own words from the reflections that gave them most (fulfillment 4, with text)."""
    return list(
        Reflection.objects.filter(author=therapist, fulfillment=4).exclude(gave_me="")
        .select_related("session__client").order_by("-occurred_at")[:limit]
    )  # fmt: skip


def team_recent(practice_therapists: Iterable[int], since: datetime.datetime) -> pd.DataFrame:
    """Per therapist of a practice: mean reciprocity index, sessions, hours and trauma share since a moment,
    computed in the database (one aggregate query each) so the practice view stays fast."""
    from django.db.models import Avg, Sum
    from django.db.models.functions import Cast

    therapists = list(practice_therapists)
    index = sum((models.F(k) for k in KEYS[1:]), models.F(KEYS[0])) / float(len(KEYS))
    reciprocity = dict(
        Reflection.objects.filter(author__in=therapists, occurred_at__gte=since).values("author")
        .annotate(value=Avg(index)).values_list("author", "value")
    )  # fmt: skip
    load = {
        row["client__therapist"]: row
        for row in Session.objects.filter(client__therapist__in=therapists, starts_at__gte=since)
        .values("client__therapist")
        .annotate(sessions=Count("id"), minutes=Sum("duration_minutes"),
                  trauma=Avg(Cast("worked_with_trauma", models.FloatField())))
    }  # fmt: skip
    rows = []
    for therapist in therapists:
        found = load.get(therapist, {})
        rows.append((therapist, reciprocity.get(therapist), found.get("sessions", 0), (found.get("minutes") or 0) / 60,
                     found.get("trauma")))  # fmt: skip
    frame = pd.DataFrame.from_records(rows, columns=["therapist", "reciprocity", "sessions", "hours", "trauma_share"])
    return frame.astype({"reciprocity": float, "sessions": float, "hours": float, "trauma_share": float})


def latest_checkin_scores(therapists: Iterable[int], instrument_id: str, scale_id: str) -> dict[int, float]:
    """Each therapist's latest score on one check-in scale."""
    latest: dict[int, float] = {}
    rows = Administration.objects.filter(
        therapist__in=list(therapists), client__isnull=True, instrument_id=instrument_id
    )
    for therapist, scores in rows.order_by("completed_at").values_list("therapist_id", "scale_scores"):
        if (value := scores.get(scale_id, {}).get("score")) is not None:
            latest[therapist] = value
    return latest
