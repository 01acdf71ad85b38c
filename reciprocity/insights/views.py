import datetime
import functools

from django.contrib import messages
from django.core.exceptions import PermissionDenied
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect
from django.urls import reverse
from django.utils import timezone
from django.utils.formats import date_format
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.translation import get_language, gettext
from django.views.decorators.http import require_POST

from reciprocity.audit.models import Action
from reciprocity.audit.services import record_each
from reciprocity.clients.codes import CODE_PATTERN
from reciprocity.development.selectors import development_between
from reciprocity.insights import selectors
from reciprocity.insights.alerts import DAY_OFF, DISMISS, REFLECT, REVIEW_CLIENT, SUPERVISION
from reciprocity.insights.flywheel import BURNOUT, SHORT_NAMES, WELLBEING, Stage
from reciprocity.insights.practice import percentile_in_team, team_figures
from reciprocity.insights.reciprocity import MIN_REFLECTIONS, dimension_profile, summarise, weekly_means
from reciprocity.insights.services import UnknownAction, open_alerts, respond_to_alert, team_recent, therapist_flywheel
from reciprocity.lib.charts import Bar, loop, profile_bars, sparkline, trajectory
from reciprocity.lib.htmx import render_page
from reciprocity.lib.numbers import decimal_point, number
from reciprocity.practice.models import Membership, Role
from reciprocity.therapy.dimensions import BY_KEY, KEYS

RECENT_WEEKS, BASELINE_WEEKS = 4, 12


def dashboard(request: HttpRequest) -> HttpResponse:
    """The seven-dimension profile of the last 4 weeks against the 12 before, and a weekly trend per dimension."""
    now = timezone.localtime()
    weeks = RECENT_WEEKS + BASELINE_WEEKS
    rows = selectors.reflection_ratings(request.user.pk, now - datetime.timedelta(weeks=weeks + 1))
    profile = dimension_profile(rows, KEYS, now=now, recent_weeks=RECENT_WEEKS, baseline_weeks=BASELINE_WEEKS)
    trend = weekly_means(rows, KEYS, now=now, weeks=weeks)
    lines = [
        {
            "dimension": BY_KEY[s.key],
            "summary": s,
            "spark": sparkline(s.weekly, title=f"{BY_KEY[s.key].short}: weekly mean rating over {weeks} weeks"),
        }
        for s in summarise(profile, trend, KEYS)
    ]
    chart = profile_bars(
        [Bar(r["dimension"].short, r["summary"].recent, r["summary"].baseline) for r in lines],
        title=f"Mean rating per dimension: last {RECENT_WEEKS} weeks (solid), the {BASELINE_WEEKS} before (outlined)",
    )
    context = {
        "profile": profile,
        "rows": lines,
        "chart": chart,
        "weeks": weeks,
        "recent_weeks": RECENT_WEEKS,
        "baseline_weeks": BASELINE_WEEKS,
        "min_reflections": MIN_REFLECTIONS,
        "reflections_per_week": trend.n,
        "first_week": trend.weeks[0],
        "development": development_between(
            request.user, now.date() - datetime.timedelta(weeks=RECENT_WEEKS), now.date()
        ),
    }
    return render_page(request, "insights/dashboard.html", context)


class _DayLabels(dict):
    """Each day written once in a format: the four stages share their weeks, and formatting a date in the
    reader's language costs more than everything else done with a week's value."""

    def __init__(self, form: str) -> None:
        super().__init__()
        self.form = form

    def __missing__(self, day: datetime.date) -> str:
        self[day] = label = _day_label(get_language(), self.form, day)
        return label


@functools.lru_cache(maxsize=8192)
def _day_label(language: str, form: str, day: datetime.date) -> str:
    """A day in a format, in a language, written once per process: a year of weeks is on every flywheel page."""
    return date_format(day, form)


def _stage_chart(stage: Stage, short_days: _DayLabels) -> str:
    points = [(short_days[day], float(v)) for day, v in stage.series.items() if v == v]
    if not points:
        return ""
    values = [v for _, v in points]
    low, high = min([*values, 0.0]), max([*values, 0.0])
    pad = (high - low) * 0.1 or 1.0
    recent = ", ".join(f"{d} {number(v, 1)}" for d, v in points[-8:])
    title = gettext("%(stage)s, week by week (last eight: %(values)s)") % {"stage": stage.name, "values": recent}
    return trajectory(points, scale_range=(low - (pad if low < 0 else 0), high + pad), zones=[], reliable_band=None,
                      title=title)  # fmt: skip


def _loop(stages: list[Stage]) -> str:
    """The four stages round the loop, the outcomes under their short name, and all of it said in its title."""
    said = "; ".join(
        gettext("%(stage)s: %(value)s (%(band)s)") % {"stage": s.name, "value": s.value_text, "band": s.band}
        for s in stages
    )
    return loop(
        [(str(SHORT_NAMES.get(s.key, s.name)), str(s.value_text), str(s.band)) for s in stages],
        title=gettext("The flywheel: %(stages)s") % {"stages": said},
    )


def flywheel_page(request: HttpRequest) -> HttpResponse:
    result = therapist_flywheel(request.user)
    alerts = open_alerts(request.user, result)
    team = _team_position(request)
    short_days, days, point = _DayLabels("d M"), _DayLabels("d M Y"), decimal_point()
    context = {
        "flywheel": result,
        "stages": [
            {
                "stage": s,
                "chart": _stage_chart(s, short_days),
                "rows": [(days[d], number(v, 2, point=point)) for d, v in s.series.items() if v == v],
            }
            for s in result.stages
        ],
        "loop": _loop(result.stages),
        "own_alerts": [a for a in alerts if not a.is_about_a_client],
        "client_alerts": [a for a in alerts if a.is_about_a_client],
        "team": team,
    }
    return render_page(request, "insights/flywheel.html", context)


def _team_position(request: HttpRequest) -> dict | None:
    practices = Membership.objects.filter(user=request.user, role=Role.THERAPIST).values_list("practice", flat=True)
    colleagues = set(
        Membership.objects.filter(practice__in=practices, role=Role.THERAPIST).values_list("user", flat=True)
    )
    recent = team_recent(colleagues, timezone.localdate(timezone.now(), request.user.zone), RECENT_WEEKS)
    mine = recent.loc[recent["therapist"] == request.user.pk, "reciprocity"].dropna()
    share = percentile_in_team(float(mine.iloc[0]) if len(mine) else None, recent["reciprocity"])
    return {"n": int(recent["reciprocity"].notna().sum()), "share": share}


@require_POST
def alert_respond(request: HttpRequest) -> HttpResponse:
    key, action = request.POST.get("key", ""), request.POST.get("action", "")
    try:
        respond_to_alert(request.user, key, action)
    except UnknownAction:
        messages.error(request, gettext("That action is not one this alert offers."))
        return redirect("insights:flywheel")
    client_code = request.POST.get("client", "")
    if not CODE_PATTERN.match(client_code):
        client_code = ""
    if action == REFLECT:
        return redirect(reverse("therapy:reflection-create"))
    if action == REVIEW_CLIENT and client_code:
        return redirect("measures:client", code=client_code)
    words = {DAY_OFF: gettext("A day off is planned: noted."), SUPERVISION: gettext("Noted for your next supervision."),
             DISMISS: gettext("Alert dismissed.")}  # fmt: skip
    messages.success(request, words.get(action, gettext("Noted.")))
    return redirect(_page_answered_from(request))


def _page_answered_from(request: HttpRequest) -> str:
    """Back to the page the alert was answered on (Today or the flywheel), if it is one of this site's."""
    back = request.POST.get("back", "")
    local = back.startswith("/") and url_has_allowed_host_and_scheme(back, allowed_hosts={request.get_host()})
    return back if local and not back.startswith("//") else reverse("insights:flywheel")


PRACTICE_MEASURES = {
    "reciprocity": "Reciprocity index, last 4 complete weeks (0–4)",
    "burnout": "ProQOL burnout, latest (10–50)",
    "wellbeing": "WHO-5, latest (%)",
    "sessions_per_week": "Sessions a week, last 4 complete weeks",
    "trauma_share": "Share of sessions with trauma material, last 4 complete weeks",
}


def practice_view(request: HttpRequest) -> HttpResponse:
    """For directors: the team's figures, never describing fewer than five people who have not all consented."""
    membership = Membership.objects.filter(user=request.user, role=Role.DIRECTOR).select_related("practice").first()
    if membership is None:
        raise PermissionDenied("Only a practice's director sees the practice view.")
    therapists = list(
        Membership.objects.filter(practice=membership.practice, role=Role.THERAPIST).select_related("user")
    )
    ids = [m.user_id for m in therapists]
    states = selectors.team_recent(ids, timezone.localdate(timezone.now(), request.user.zone), RECENT_WEEKS)
    recent = timezone.now() - datetime.timedelta(days=90)
    burnout = selectors.latest_checkin_scores(ids, BURNOUT, recent)
    wellbeing = selectors.latest_checkin_scores(ids, WELLBEING, recent)
    people = {m.user_id: m.user for m in therapists}
    states["name"] = states["therapist"].map(lambda pk: people[pk].display_name)
    states["consented"] = states["therapist"].map(lambda pk: people[pk].shows_in_practice_view)
    states["burnout"] = states["therapist"].map(burnout)
    states["wellbeing"] = states["therapist"].map(wellbeing)
    states["sessions_per_week"] = states["sessions"] / RECENT_WEEKS
    context = {"practice": membership.practice, "figures": team_figures(states, PRACTICE_MEASURES), "n": len(ids)}
    _record_practice_view(request, people)
    return render_page(request, "insights/practice.html", context)


def _record_practice_view(request: HttpRequest, people: dict) -> None:
    # Each therapist learns that the director saw the team's figures, with their own by name if they consented.
    others = {pk: user for pk, user in people.items() if pk != request.user.pk}
    named = [pk for pk, user in others.items() if user.shows_in_practice_view]
    shown = "the practice view, with your figures by name"
    record_each(Action.READ, shown, subjects=named, request=request)
    record_each(Action.READ, "the practice view (team figures only)", subjects=set(others) - set(named),
                request=request)  # fmt: skip
