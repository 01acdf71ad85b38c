import datetime

from django.http import HttpRequest, HttpResponse
from django.utils import timezone

from reciprocity.insights.reciprocity import MIN_REFLECTIONS, dimension_profile, summarise, weekly_means
from reciprocity.lib.charts import Bar, profile_bars, sparkline
from reciprocity.lib.htmx import render_page
from reciprocity.therapy.dimensions import BY_KEY, KEYS
from reciprocity.therapy.selectors import reflections_frame

RECENT_WEEKS, BASELINE_WEEKS = 4, 12


def dashboard(request: HttpRequest) -> HttpResponse:
    """The seven-dimension profile of the last 4 weeks against the 12 before, and a weekly trend per dimension."""
    now = timezone.localtime()
    weeks = RECENT_WEEKS + BASELINE_WEEKS
    frame = reflections_frame(request.user, since=now - datetime.timedelta(weeks=weeks + 1))
    profile = dimension_profile(frame, KEYS, now=now, recent_weeks=RECENT_WEEKS, baseline_weeks=BASELINE_WEEKS)
    trend = weekly_means(frame, KEYS, now=now, weeks=weeks)
    rows = [
        {
            "dimension": BY_KEY[s.key],
            "summary": s,
            "spark": sparkline(s.weekly, title=f"{BY_KEY[s.key].short}: weekly mean rating over {weeks} weeks"),
        }
        for s in summarise(profile, trend, KEYS)
    ]
    chart = profile_bars(
        [Bar(r["dimension"].short, r["summary"].recent, r["summary"].baseline) for r in rows],
        title=f"Mean rating per dimension: last {RECENT_WEEKS} weeks (solid), the {BASELINE_WEEKS} before (outlined)",
    )
    context = {
        "profile": profile,
        "rows": rows,
        "chart": chart,
        "weeks": weeks,
        "recent_weeks": RECENT_WEEKS,
        "baseline_weeks": BASELINE_WEEKS,
        "min_reflections": MIN_REFLECTIONS,
        "reflections_per_week": list(trend["n"]),
        "first_week": trend.index[0].date(),
    }
    return render_page(request, "insights/dashboard.html", context)
