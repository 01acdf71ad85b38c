"""The calendar import: a file or an address, then the titles mapped to client codes, then the preview, then
all of it or nothing.

Titles appear on one page only, the answer to the upload: what the import keeps between pages (in the
person's session) is fingerprints and times. If the mapping needs correcting, the page's own hidden fields
bring the titles back from the browser for that one answer; the server never keeps them.
"""

import datetime
from typing import Any

from django.contrib import messages
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect
from django.utils.translation import gettext, ngettext
from django.utils.translation import gettext_lazy as _
from django.views.decorators.http import require_POST

from reciprocity.calendars.fetching import FetchError, fetch_calendar
from reciprocity.calendars.forms import CalendarForm, read_choices
from reciprocity.calendars.planning import SKIP, Found, Title, fingerprint, plan_import, remembered_choices
from reciprocity.calendars.reading import ReadError, read_calendar
from reciprocity.calendars.services import ImportCollided, import_sessions
from reciprocity.clients.codes import next_code
from reciprocity.clients.models import Client
from reciprocity.lib.htmx import INVALID, render_form, render_page

STATE = "calendar_import"
MAX_ROWS_SHOWN = 300
TITLE_SHOWN = 200  # characters of a title echoed back on a corrected mapping page
# Why events were left out, as reading.py counts them (kept in the person's session) and as the preview says it.
LEFT_OUT = {
    "all-day": _("all-day"),
    "cancelled": _("cancelled"),
    "not the length of a session": _("not the length of a session"),
    "repeats more often than daily": _("repeats more often than daily"),
}


def start(request: HttpRequest) -> HttpResponse:
    form = CalendarForm(
        request.POST or None, request.FILES or None, today=datetime.datetime.now(request.user.zone).date()
    )
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            raw = data["file"] or fetch_calendar(data["url"])
            reading = read_calendar(raw, zone=request.user.zone, since=data["since"], until=data["until"])
        except (FetchError, ReadError) as problem:
            form.add_error("file" if data["file"] else "url", str(problem))
        else:
            if reading.occurrences:
                found, titles = fingerprint(request.user, reading)
                request.session[STATE] = {
                    "user": request.user.pk, "found": [f.as_list() for f in found],
                    "titles": [t.digest for t in titles], "left_out": reading.left_out,
                }  # fmt: skip
                return _mapping_page(request, titles, remembered_choices(request.user, [t.digest for t in titles]))
            form.add_error(
                None,
                gettext("No event with a time falls between {since} and {until}.").format(
                    since=data["since"], until=data["until"]
                ),
            )
    return render_form(request, "calendars/start.html", {"form": form})


def _state(request: HttpRequest) -> dict[str, Any] | None:
    state = request.session.get(STATE)
    return state if state and state.get("user") == request.user.pk else None


def _start_again(request: HttpRequest) -> HttpResponse:
    messages.error(request, gettext("Choose the calendar first."))
    return redirect("calendars:start")


def _mapping_page(
    request: HttpRequest,
    titles: list[Title],
    choices: dict[str, str],
    *,
    typed: dict[str, str] | None = None,
    problems: dict[str, str] | None = None,
) -> HttpResponse:
    codes = list(Client.objects.owned_by(request.user).values_list("code", flat=True))
    typed, problems = typed or {}, problems or {}
    rows = [(i, t, choices.get(t.digest, ""), typed.get(t.digest, ""), problems.get(t.digest, ""))
            for i, t in enumerate(titles)]  # fmt: skip
    context = {"rows": rows, "codes": codes, "skip": SKIP, "suggested": next_code(codes), "problems": problems}
    return render_page(request, "calendars/map.html", context, status=INVALID if problems else 200)


@require_POST
def map_titles(request: HttpRequest) -> HttpResponse:
    state = _state(request)
    if state is None:
        return _start_again(request)
    titles = _titles(state, request)
    own_codes = set(Client.objects.owned_by(request.user).values_list("code", flat=True))
    choices, problems = read_choices(request.POST, titles, own_codes)
    if problems:
        typed = {t.digest: request.POST.get(f"new-{i}", "") for i, t in enumerate(titles)}
        return _mapping_page(request, titles, choices, typed=typed, problems=problems)
    request.session[STATE] = state | {"choices": choices}
    return redirect("calendars:preview")


def _titles(state: dict[str, Any], request: HttpRequest) -> list[Title]:
    """The titles of the import in the page's order; their words only as the browser sent them back."""
    starts_by_title: dict[str, list[datetime.datetime]] = {}
    for values in state["found"]:
        found = Found.from_list(values)
        starts_by_title.setdefault(found.title, []).append(found.starts_at)
    titles = []
    for index, digest in enumerate(state["titles"]):
        starts = starts_by_title[digest]
        text = request.POST.get(f"text-{index}", "")[:TITLE_SHOWN]
        titles.append(Title(digest, text, len(starts), min(starts), max(starts)))
    return titles


def preview(request: HttpRequest) -> HttpResponse:
    state = _state(request)
    if state is None or "choices" not in state:
        return _start_again(request)
    found = [Found.from_list(values) for values in state["found"]]
    if request.method == "POST":
        try:
            plan = import_sessions(therapist=request.user, found=found, choices=state["choices"])
        except ImportCollided as problem:
            messages.error(request, str(problem))
            return redirect("calendars:preview")
        del request.session[STATE]
        sessions, clients = len(plan.sessions), len(plan.new_clients)
        imported = ngettext("{n} session", "{n} sessions", sessions).format(n=sessions)
        codes = ngettext("{n} new client code", "{n} new client codes", clients).format(n=clients)
        messages.success(
            request,
            gettext("Imported {sessions} and {codes} from the calendar.").format(sessions=imported, codes=codes),
        )
        return redirect("therapy:session-list")
    plan = plan_import(request.user, found, state["choices"])
    zone = request.user.zone
    rows = []
    for planned in plan.sessions[:MAX_ROWS_SHOWN]:
        starts = planned.found.starts_at.astimezone(zone)
        ends = starts + datetime.timedelta(minutes=planned.found.minutes)
        rows.append((starts, ends, planned.code, planned.code in plan.new_clients))
    context = {"plan": plan, "rows": rows, "more": max(0, len(plan.sessions) - MAX_ROWS_SHOWN),
               "left_out": [(LEFT_OUT.get(reason, reason), count) for reason, count in state["left_out"].items()],
               "zone": zone}  # fmt: skip
    return render_page(request, "calendars/preview.html", context)
