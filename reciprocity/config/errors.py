"""Error pages in plain language: never a stack trace, always a way back."""

from django.contrib.auth.decorators import login_not_required
from django.http import HttpRequest, HttpResponse
from django.template.loader import render_to_string
from django.utils.translation import gettext_lazy as _

from reciprocity.lib.security import allow_inline_style

_PAGES = {
    400: (_("That request could not be understood"), _("Something in it was malformed. Go back and try again.")),
    403: (_("You cannot do that here"), _("This page or action is not open to your account.")),
    404: (_("Not found"), _("There is nothing here, or it belongs to someone else.")),
    500: (_("Something went wrong on our side"), _("Nothing you entered was saved half-way. Please try again.")),
}
# The 500 page loads nothing, so its few rules are inline; the Content-Security-Policy allows exactly this text.
PLAIN_STYLE = (
    "body{font-family:system-ui,sans-serif;color:#1d2433;max-width:560px;margin:10vh auto;padding:0 16px;"
    "text-align:center}a{color:#1f5f8b}.status{color:#4a5468}"
)


def _render(request: HttpRequest, status: int, detail: str = "") -> HttpResponse:
    title, message = _PAGES[status]
    context = {"status": status, "title": title, "message": detail or message}
    if status == 500:
        # A page with no request context, no static files and no database: whatever broke the
        # request cannot break the error page too.
        html = render_to_string("500.html", context | {"style": PLAIN_STYLE})
        return allow_inline_style(HttpResponse(html, status=500), PLAIN_STYLE)
    html = render_to_string("error.html", context, request=request)
    return HttpResponse(html, status=status)


@login_not_required
def bad_request(request: HttpRequest, exception: Exception | None = None) -> HttpResponse:
    return _render(request, 400)


@login_not_required
def permission_denied(request: HttpRequest, exception: Exception | None = None) -> HttpResponse:
    return _render(request, 403)


@login_not_required
def page_not_found(request: HttpRequest, exception: Exception | None = None) -> HttpResponse:
    return _render(request, 404)


@login_not_required
def server_error(request: HttpRequest) -> HttpResponse:
    return _render(request, 500)


@login_not_required
def csrf_failure(request: HttpRequest, reason: str = "") -> HttpResponse:
    detail = "The form had expired or came from another site. Reload the page and send it again."
    return _render(request, 403, detail)
