"""The rows the flywheel needs, read from the database into plain data frames (one query each).

Everything after this module is pure: functions over these frames, with no ORM inside.
"""

import datetime
from collections.abc import Iterable
from dataclasses import dataclass

import pandas as pd
from django.db import models
from django.db.models import Count

from reciprocity.clients.models import Client
from reciprocity.insights.alerts import ClientCourse
from reciprocity.measures import registry
from reciprocity.measures.change import classify_change, reliable_change_threshold
from reciprocity.measures.definitions import Scale
from reciprocity.measures.models import Administration
from reciprocity.therapy.dimensions import KEYS
from reciprocity.therapy.models import Reflection, Session

SESSION_COLUMNS = [
    "therapist", "client", "starts_at", "duration_minutes", "worked_with_trauma", "emotional_load",
    "arrival_calm", "arrival_tiredness", "reflected",
]  # fmt: skip
CHECKIN_COLUMNS = ["therapist", "completed_at", "scale", "score"]
OUTCOME_COLUMNS = ["client", "completed_at", "instrument", "improvement"]


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
    """One row per scale of each own check-in; `scale` names it as "<instrument id>.<scale id>"."""
    rows = []
    own = Administration.objects.filter(therapist__in=list(therapists), client__isnull=True, completed_at__gte=since)
    for therapist, completed_at, instrument, scores in own.values_list(
        "therapist_id", "completed_at", "instrument_id", "scale_scores"
    ):
        for scale, found in scores.items():
            if found.get("score") is not None:
                rows.append((therapist, completed_at, f"{instrument}.{scale}", found["score"]))
    return _frame(rows, CHECKIN_COLUMNS, times=("completed_at",))


@dataclass(frozen=True)
class ClientScore:
    client: int
    code: str
    instrument: str
    completed_at: datetime.datetime
    score: float
    scale: Scale


def client_scores(therapist: int, since: datetime.datetime) -> list[ClientScore]:
    """Every primary-scale score of the clients who have a score since `since`, oldest first.

    Earlier scores of those clients are included (they hold each course's first score); clients with no
    score in the window are left out, so the cost follows the last year's caseload, not the whole career.
    """
    active = Administration.objects.filter(therapist=therapist, client__isnull=False, completed_at__gte=since)
    rows = (
        Administration.objects.filter(therapist=therapist, client__in=active.values("client_id"))
        .order_by("completed_at")
        .values_list("client_id", "client__code", "instrument_id", "completed_at", "scale_scores")
    )
    scales: dict[str, Scale | None] = {}
    found = []
    for client, code, instrument_id, when, scores in rows:
        if instrument_id not in scales:
            try:
                scales[instrument_id] = registry.get(instrument_id).primary_scale
            except registry.UnknownInstrument:
                scales[instrument_id] = None
        scale = scales[instrument_id]
        if scale is not None and (value := scores.get(scale.id, {}).get("score")) is not None:
            found.append(ClientScore(client, code, instrument_id, when, value, scale))
    return found


def outcomes_frame(scores: list[ClientScore]) -> pd.DataFrame:
    """Each client score as improvement since that client's first score on the same measure, in units of
    the measure's reliable-change threshold (1.0 = just reliable improvement; negative = worse)."""
    rows = []
    first: dict[tuple[int, str], float] = {}
    for s in scores:
        if s.scale.reliability is None:
            continue
        if (s.client, s.instrument) not in first:
            # A course's first score is its baseline, not an outcome: counting it as "no change" would
            # make every week with new clients look like a week of poor outcomes.
            first[(s.client, s.instrument)] = s.score
            continue
        baseline = first[(s.client, s.instrument)]
        threshold, _ = reliable_change_threshold(s.scale)
        gain = (s.score - baseline) if s.scale.higher_is_better else (baseline - s.score)
        rows.append((s.client, s.completed_at, s.instrument, gain / threshold))
    return _frame(rows, OUTCOME_COLUMNS, times=("completed_at",))


def episodes_frame(therapists: Iterable[int]) -> pd.DataFrame:
    """One row per client: start, end (or none) and number of sessions."""
    rows = (
        Client.objects.filter(therapist__in=list(therapists)).annotate(n=Count("sessions"))
        .values_list("therapist_id", "id", "started_on", "ended_on", "n")
    )  # fmt: skip
    return _frame(rows, ["therapist", "client", "started_on", "ended_on", "sessions"])


def client_courses(therapist: int, scores: list[ClientScore]) -> list[ClientCourse]:
    """Each client on each measure: first against latest score, session count, and whether the work ended."""
    client_ids = {s.client for s in scores}
    clients = {
        pk: (n, ended is not None)
        for pk, n, ended in Client.objects.filter(therapist=therapist, pk__in=client_ids)
        .annotate(n=Count("sessions"))
        .values_list("id", "n", "ended_on")
    }
    grouped: dict[tuple[int, str], list[ClientScore]] = {}
    for s in scores:
        grouped.setdefault((s.client, s.instrument), []).append(s)
    courses = []
    for (client_id, instrument_id), values in grouped.items():
        first, last = values[0], values[-1]
        change = None
        if len(values) >= 2 and first.scale.reliability is not None:
            change = classify_change(first.scale, first.score, last.score)
        sessions, ended = clients.get(client_id, (0, False))
        courses.append(
            ClientCourse(
                code=first.code, sessions=sessions, scores=len(values), measure=registry.get(instrument_id).short_name,
                direction=change.direction if change else None, first=first.score, last=last.score,
                reliable_recovery=bool(change and change.reliable_recovery), first_at=first.completed_at, ended=ended,
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
    from django.db.models import Avg, Case, Sum, When

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
                  trauma=Avg(Case(When(worked_with_trauma=True, then=1.0), default=0.0,
                                  output_field=models.FloatField())))
    }  # fmt: skip
    rows = []
    for therapist in therapists:
        found = load.get(therapist, {})
        rows.append((therapist, reciprocity.get(therapist), found.get("sessions", 0), (found.get("minutes") or 0) / 60,
                     found.get("trauma")))  # fmt: skip
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
