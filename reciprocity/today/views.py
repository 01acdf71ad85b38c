"""Today, the page a therapist opens between sessions: it composes what the apps below it know.

Sessions to reflect on (therapy), risk flags (measures), check-ins due (checkins), open alerts and, when
burnout shows, why this work matters to them (insights). It lives above all of them so none of them
has to import another to draw it. More, beside it, lists every destination for a phone's bottom bar.
"""

from django.http import HttpRequest, HttpResponse
from django.utils import timezone

from reciprocity.checkins.selectors import due_checkins
from reciprocity.insights import figures
from reciprocity.insights.services import open_alerts, therapist_flywheel, why_i_do_this
from reciprocity.lib.htmx import render_page
from reciprocity.measures.selectors import open_flags
from reciprocity.therapy.selectors import reflected_this_week
from reciprocity.today.services import remembered_today


def today(request: HttpRequest) -> HttpResponse:
    user = request.user
    now = timezone.localtime(timezone.now(), user.zone)
    token = figures.version(user.pk)  # read once: both remembered reads are kept under it
    result = therapist_flywheel(user, now=now, analyse=False, token=token)
    read = remembered_today(user, now, token)
    alerts = open_alerts(user, result, read.answered)
    context = {
        "overview": read.overview,
        "flags": open_flags(user),  # always read afresh: a risk flag is never shown late
        "due_checkins": due_checkins(user, now=now, latest=read.latest_checkins),
        "alerts": [a for a in alerts if not a.is_about_a_client],
        "clients_off_track": sum(a.is_about_a_client for a in alerts),
        "why": why_i_do_this(user, result) if any(a.is_burnout for a in alerts) else None,
    }
    return render_page(request, "today/today.html", context)


def reflected(request: HttpRequest) -> HttpResponse:
    """The past week's sessions that have their reflection: Today's folded list, read when it is opened."""
    context = {"reflected": reflected_this_week(request.user)}
    return render_page(request, "today/reflected.html", context, partial="sessions")


def more(request: HttpRequest) -> HttpResponse:
    """Every destination, grouped as in the sidebar: a phone's bottom bar holds five and More leads to the rest.

    A page of its own rather than a pop-up menu, so it works without JavaScript.
    """
    return render_page(request, "today/more.html", {})
