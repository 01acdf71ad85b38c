"""What each report says: the monthly personal report, the supervision packet and a client's progress.

Each builder returns a plain context; rendering (HTML → PDF) is in render.py, so the same numbers can be
read by the pages, the command and the tests.
"""

import datetime
import zoneinfo
from dataclasses import dataclass
from statistics import mean
from typing import Any

from django.conf import settings
from django.db.models import Avg, Count, Q
from django.utils import timezone
from django.utils.formats import date_format
from django.utils.translation import gettext, override, pgettext

from reciprocity.clients.models import Client
from reciprocity.development.selectors import development_between
from reciprocity.insights.services import therapist_flywheel
from reciprocity.lib.charts import Bar, profile_bars
from reciprocity.measures import registry
from reciprocity.measures.models import Administration
from reciprocity.measures.selectors import caseload_plots, trajectories
from reciprocity.practice.models import User
from reciprocity.prompts.selectors import answers_between
from reciprocity.repertoire.models import Item, Trial
from reciprocity.sharing import pii
from reciprocity.sharing.display import share_title
from reciprocity.sharing.models import Kind, Meeting, Supervision
from reciprocity.sharing.selectors import meetings_with_agenda
from reciprocity.sharing.summaries import flywheel_summary
from reciprocity.therapy.dimensions import DIMENSIONS, KEYS
from reciprocity.therapy.models import Reflection

MOST_GIVING = 5


class ReportError(ValueError):
    """The report cannot be made as asked (a period that ends before it starts, …)."""


@dataclass(frozen=True)
class Period:
    start: datetime.date
    end: datetime.date  # inclusive

    def __post_init__(self) -> None:
        if self.end < self.start:
            raise ReportError(
                gettext("The period ends ({end}) before it starts ({start}).").format(
                    end=date_format(self.end, "d M Y"), start=date_format(self.start, "d M Y")
                )
            )
        if (self.end - self.start).days > 366 * 3:
            raise ReportError(gettext("A report covers at most three years."))

    @classmethod
    def month_of(cls, day: datetime.date) -> "Period":
        first = day.replace(day=1)
        following = (first + datetime.timedelta(days=32)).replace(day=1)
        return cls(first, following - datetime.timedelta(days=1))

    def bounds(self, zone: zoneinfo.ZoneInfo) -> tuple[datetime.datetime, datetime.datetime]:
        start = datetime.datetime.combine(self.start, datetime.time(), zone)
        return start, datetime.datetime.combine(self.end + datetime.timedelta(days=1), datetime.time(), zone)

    @property
    def label(self) -> str:
        """The period in words, in the active language: "October 2026", or "01 October 2026 – 15 October 2026"."""
        if self == Period.month_of(self.start):
            return date_format(self.start, "YEAR_MONTH_FORMAT")
        day = pgettext("date format of a report period (Django date format)", "d F Y")
        return f"{date_format(self.start, day)} – {date_format(self.end, day)}"

    @property
    def logged(self) -> str:
        """The label as the record of access keeps it: in the site's language, whoever made the report."""
        with override(settings.LANGUAGE_CODE):
            return self.label


def _dimension_means(reflections) -> dict[str, float | None]:
    found = reflections.aggregate(**{k: Avg(k) for k in KEYS})
    return {k: (float(v) if v is not None else None) for k, v in found.items()}


def _scored(administration: Administration) -> dict[str, Any]:
    """A check-in as the report lists it: the questionnaire's short name and each scale by its name."""
    try:
        instrument = registry.get(administration.instrument_id)
    except registry.UnknownInstrument:
        return {"when": administration.completed_at, "name": administration.instrument_id, "scales": []}
    names = {s.id: s.name for s in instrument.scales}
    scales = [
        (names.get(k, k), v.get("score"), v.get("band", ""), bool(v.get("prorated")))
        for k, v in administration.scale_scores.items()
    ]
    return {"when": administration.completed_at, "name": instrument.short_name, "scales": scales}


def monthly(user: User, period: Period) -> dict[str, Any]:
    """The personal reciprocity report for a period (usually a month), compared with the three months before."""
    start, end = period.bounds(user.zone)
    reflections = Reflection.objects.owned_by(user).filter(occurred_at__gte=start, occurred_at__lt=end)
    before = Reflection.objects.owned_by(user).filter(occurred_at__gte=start - datetime.timedelta(days=91),
                                                      occurred_at__lt=start)  # fmt: skip
    now_means, before_means = _dimension_means(reflections), _dimension_means(before)
    profile = [{"dimension": d, "now": now_means[d.key], "before": before_means[d.key]} for d in DIMENSIONS]
    checkins = [_scored(a) for a in Administration.objects.owned_by(user).own_checkins()
                .filter(completed_at__gte=start, completed_at__lt=end).order_by("completed_at")]  # fmt: skip
    tries = list(Trial.objects.owned_by(user).filter(tried_on__gte=period.start, tried_on__lte=period.end)
                 .select_related("item").order_by("-helped", "tried_on"))  # fmt: skip
    new_items = list(Item.objects.owned_by(user).filter(created_at__gte=start, created_at__lt=end))
    giving = sorted((r for r in reflections if r.gave_me), key=lambda r: (-r.reciprocity_index, r.occurred_at))
    result = therapist_flywheel(user, now=min(end, timezone.now()), analyse=False)
    count = reflections.count()
    return {
        "user": user,
        "period": period,
        "reflections": count,
        "sessions": reflections.filter(session__isnull=False).count(),
        "index": mean(r.reciprocity_index for r in reflections) if count else None,
        "profile": profile,
        "chart": profile_bars(
            [Bar(p["dimension"].short, p["now"], p["before"]) for p in profile],
            title=gettext("Mean rating per dimension: {period} (solid), the 3 months before (outlined)").format(
                period=period.label
            ),
        )
        if count
        else "",
        "checkins": checkins,
        "alerts": [a for a in result.alerts if not a.is_about_a_client],
        "tries": tries,
        "new_items": new_items,
        "giving": giving[:MOST_GIVING],
        "own_prompts": answers_between(user, start, end),
        "development": development_between(user, period.start, period.end),
        "empty": not (count or checkins or tries or new_items),
    }


@dataclass(frozen=True)
class Withheld:
    """A detail the PII guard found in a packet's text that nobody confirmed: the packet shows its kind only."""

    where: str
    finding: pii.Finding


def _guard(obj: Any, field: str, where: str, confirmed: set[str], withheld: list[Withheld]) -> None:
    """Set `obj.guarded` to the field's text with every unconfirmed finding withheld, and note what was."""
    obj.guarded, held = pii.withhold(getattr(obj, field), set(obj.confirmed) | confirmed)
    withheld.extend(Withheld(where, f) for f in held)


def packet(supervision: Supervision, period: Period, confirmed: frozenset[str] | set[str] = frozenset()) -> dict:
    """Everything shared in one supervision during the period, with its comments and meetings — shared items only.

    Every text passes the PII guard again: a detail neither its author nor the person making the packet
    (`confirmed`) confirmed as not identifying is withheld, shown by its kind, and listed in `withheld`.
    """
    zone = supervision.therapist.zone
    start, end = period.bounds(zone)
    shares = list(supervision.shares.live().filter(shared_at__lt=end)
                  .filter(Q(kind=Kind.REFLECTION, shared_at__gte=start) | ~Q(kind=Kind.REFLECTION))
                  .select_related("reflection").prefetch_related("comments__author").order_by("shared_at"))  # fmt: skip
    kinds = {s.kind for s in shares}
    withheld: list[Withheld] = []
    for share in shares:
        if share.kind == Kind.REFLECTION:
            _guard(share, "text", share_title(share), set(confirmed), withheld)
        for c in share.comments.all():
            where = gettext("a comment by {name} on {item}").format(name=c.author.display_name, item=share_title(share))
            _guard(c, "text", where, set(confirmed), withheld)
    period_meetings = Meeting.objects.filter(supervision=supervision, held_on__range=(period.start, period.end))
    meetings = list(meetings_with_agenda(period_meetings, live_only=True))
    for m in meetings:
        where = gettext("the notes of the meeting of {day}").format(day=date_format(m.held_on, "d M Y"))
        _guard(m, "notes", where, set(confirmed), withheld)
    wellbeing = []
    if Kind.WELLBEING in kinds:
        own = Administration.objects.owned_by(supervision.therapist).own_checkins().filter(completed_at__lt=end)
        wellbeing = trajectories(list(own))
    return {
        "supervision": supervision,
        "period": period,
        "reflections": [s for s in shares if s.kind == Kind.REFLECTION],
        "summaries": [s for s in shares if s.kind != Kind.REFLECTION],
        "wellbeing": wellbeing,
        "flywheel": flywheel_summary(supervision.therapist) if Kind.FLYWHEEL in kinds else None,
        "meetings": meetings,
        "withheld": withheld,
        "empty": not shares,
    }


def client_report(client: Client, period: Period) -> dict[str, Any]:
    """A client's measure trajectories and change status, known only by their code."""
    from reciprocity.measures.views import chart_for

    start, end = period.bounds(client.therapist.zone)
    courses = trajectories(list(client.administrations.filter(completed_at__lt=end)))
    inside = [t for t in courses if any(start <= a.completed_at for a in t.administrations)]
    sessions = client.sessions.filter(starts_at__gte=start, starts_at__lt=end).aggregate(n=Count("id"))["n"]
    return {
        "client": client,
        "period": period,
        "progress": [{"trajectory": t, "chart": chart_for(t)} for t in inside],
        "sessions": sessions,
        "empty": not inside,
    }


def caseload(user: User) -> dict[str, Any]:
    """The user's caseload as Jacobson–Truax plots, one per measure, by client code only."""
    from reciprocity.measures.views import caseload_chart

    plots = [{"plot": plot, "chart": caseload_chart(plot)} for plot in caseload_plots(user)]
    return {"plots": plots, "made_on": timezone.localdate(), "empty": not plots}
