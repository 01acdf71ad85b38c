from collections.abc import Callable

from django.conf import settings
from django.http import HttpRequest, HttpResponse
from django.shortcuts import resolve_url
from django.utils import timezone
from django_htmx.http import HttpResponseClientRedirect


def user_time_zone(
    get_response: Callable[[HttpRequest], HttpResponse],
) -> Callable[[HttpRequest], HttpResponse]:
    """Show and read every time in the signed-in user's own time zone; storage stays UTC."""

    def middleware(request: HttpRequest) -> HttpResponse:
        user = getattr(request, "user", None)
        if user is not None and user.is_authenticated:
            timezone.activate(user.zone)
        else:
            timezone.deactivate()
        try:
            return get_response(request)
        finally:
            timezone.deactivate()

    return middleware


def htmx_login_redirect(get_response: Callable[[HttpRequest], HttpResponse]) -> Callable[[HttpRequest], HttpResponse]:
    """When a signed-out htmx request is sent to sign in, move the whole page there, not a fragment."""

    def middleware(request: HttpRequest) -> HttpResponse:
        response = get_response(request)
        htmx = getattr(request, "htmx", None)
        if htmx and response.status_code == 302 and response["Location"].startswith(resolve_url(settings.LOGIN_URL)):
            return HttpResponseClientRedirect(response["Location"])
        return response

    return middleware
