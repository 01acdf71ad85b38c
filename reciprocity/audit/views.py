from django.core.paginator import Paginator
from django.http import HttpRequest, HttpResponse

from reciprocity.audit.models import Action
from reciprocity.audit.selectors import access_to
from reciprocity.lib.htmx import render_page

PAGE_SIZE = 50


def activity(request: HttpRequest) -> HttpResponse:
    """Access to my data: every sign-in, export, and read or change of it by anyone, newest first."""
    action = request.GET.get("action", "")
    action = action if action in Action.values else ""
    page = Paginator(access_to(request.user, action), PAGE_SIZE).get_page(request.GET.get("page"))
    context = {"page": page, "actions": Action.choices, "action": action, "query": f"action={action}" if action else ""}
    return render_page(request, "audit/activity.html", context, partial="events")
