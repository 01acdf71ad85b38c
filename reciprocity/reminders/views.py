from django.conf import settings
from django.contrib import messages
from django.contrib.auth.decorators import login_not_required
from django.core import signing
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext
from django.views.decorators.csrf import csrf_exempt
from django.views.decorators.http import require_http_methods

from reciprocity.lib.htmx import render_form
from reciprocity.practice.models import User
from reciprocity.reminders import services
from reciprocity.reminders.contents import read_unsubscribe_token
from reciprocity.reminders.forms import ReminderForm
from reciprocity.reminders.models import Kind, ReminderSettings
from reciprocity.reminders.schedule import next_digest_at
from reciprocity.sharing.selectors import supervises_anyone


def _form(person: User, reminder: ReminderSettings, data: dict | None = None) -> ReminderForm:
    initial = {"wants_daily": reminder.wants_daily, "wants_supervision": reminder.wants_supervision,
               "send_at": reminder.send_at, "quiet_days": reminder.quiet_days}  # fmt: skip
    shows_supervision = reminder.wants_supervision or supervises_anyone(person)
    return ReminderForm(data, initial=initial, time_zone=person.time_zone, shows_supervision=shows_supervision)


def _context(person: User, reminder: ReminderSettings, form: ReminderForm) -> dict:
    return {
        "form": form,
        "reminder": reminder,
        "has_address": bool(person.email),
        "can_send": bool(settings.SITE_URL),
        "next_at": next_digest_at(reminder, timezone.now()) if reminder.wants_any and person.email else None,
    }


def settings_panel(request: HttpRequest) -> str:
    """The reminders section of the settings page (practice/settings_panels.py)."""
    reminder = services.settings_of(request.user)
    context = _context(request.user, reminder, _form(request.user, reminder))
    return render_to_string("reminders/settings.html#panel", context, request=request)


@require_http_methods(["GET", "POST"])
def reminder_settings(request: HttpRequest) -> HttpResponse:
    """Choose the e-mail digests; saved, it goes back to the settings page where they are shown."""
    reminder = services.settings_of(request.user)
    form = _form(request.user, reminder, request.POST if request.method == "POST" else None)
    if form.is_valid():
        services.choose(request.user, **form.cleaned_data)
        messages.success(request, gettext("Reminders saved."))
        return redirect(reverse("practice:settings") + "#reminders")
    return render_form(request, "reminders/settings.html", _context(request.user, reminder, form))


@login_not_required  # the link in the e-mail works without signing in: its signature is the key
@csrf_exempt  # a mail client's one-click POST (RFC 8058) carries no CSRF token; the signed token is the proof
@require_http_methods(["GET", "POST"])
def unsubscribe(request: HttpRequest, token: str) -> HttpResponse:
    """GET asks (link checkers open links and must not unsubscribe anyone); POST turns the digest off."""
    try:
        person_id, kind = read_unsubscribe_token(token)
    except signing.BadSignature:
        return render(request, "reminders/unsubscribe.html", {"is_bad": True}, status=400)
    context = {"kind": Kind(kind), "done": request.method == "POST"}
    if request.method == "POST":
        services.unsubscribe(person_id, kind)
    response = render(request, "reminders/unsubscribe.html", context)
    response["Cache-Control"] = "no-store"
    return response
