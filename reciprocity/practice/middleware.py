import time
from collections.abc import Callable
from typing import Any

from django.conf import settings
from django.contrib import messages
from django.contrib.auth import logout
from django.contrib.auth.views import redirect_to_login
from django.http import HttpRequest, HttpResponse, JsonResponse
from django.shortcuts import redirect, resolve_url
from django.utils import timezone, translation
from django_htmx.http import HttpResponseClientRedirect

from reciprocity.practice import twofactor

LAST_SEEN = "last_seen"  # session key: when the session was last used (seconds since the epoch)


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


def user_language(get_response: Callable[[HttpRequest], HttpResponse]) -> Callable[[HttpRequest], HttpResponse]:
    """Speak the signed-in user's chosen language; without a choice, LocaleMiddleware's (the browser's) stands.

    LocaleMiddleware, earlier in the chain, still marks the response Vary: Accept-Language and writes
    Content-Language from the language active when the response leaves.
    """

    def middleware(request: HttpRequest) -> HttpResponse:
        user = getattr(request, "user", None)
        if user is not None and user.is_authenticated and user.language:
            translation.activate(user.language)
            request.LANGUAGE_CODE = translation.get_language()
        return get_response(request)

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


def idle_timeout(get_response: Callable[[HttpRequest], HttpResponse]) -> Callable[[HttpRequest], HttpResponse]:
    """Sign out a session unused for IDLE_TIMEOUT_MINUTES; the next request goes to sign in, with a message.

    The time of last use is written at most once a minute, so reading pages does not write the session each time.
    """

    def middleware(request: HttpRequest) -> HttpResponse:
        user = getattr(request, "user", None)
        if user is None or not user.is_authenticated:
            return get_response(request)
        now = int(time.time())
        last_seen = request.session.get(LAST_SEEN)
        if isinstance(last_seen, int) and now - last_seen > settings.IDLE_TIMEOUT_MINUTES * 60:
            logout(request)
            messages.info(
                request,
                translation.gettext("You were signed out after {minutes} minutes without activity.").format(
                    minutes=settings.IDLE_TIMEOUT_MINUTES
                ),
            )
            return redirect_to_login(request.get_full_path(), resolve_url(settings.LOGIN_URL))
        if not isinstance(last_seen, int) or now - last_seen >= 60:
            request.session[LAST_SEEN] = now
        return get_response(request)

    return middleware


class TwoFactorRequired:
    """Keep a signed-in session without a checked two-factor code to what it may reach.

    A supervisor or director in a practice of more than one person who has not set up two-factor is
    sent to set it up and reaches nothing else. A session of someone who has two-factor on but was
    never asked for a code (signed in before it was switched on) is signed out. The session flag is set
    only by the code check at sign-in or the confirmation at enrolment (reciprocity/practice/twofactor.py).
    API requests with an access token never carry a session user, so they pass untouched.
    """

    ALWAYS_OPEN = frozenset({"practice:two-factor", "practice:two-factor-verify", "practice:login", "practice:logout"})

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        return self.get_response(request)

    def process_view(
        self, request: HttpRequest, view_func: Any, view_args: Any, view_kwargs: Any
    ) -> HttpResponse | None:
        user = getattr(request, "user", None)
        if user is None or not user.is_authenticated or request.session.get(twofactor.VERIFIED):
            return None
        match = request.resolver_match
        if match is not None and match.view_name in self.ALWAYS_OPEN:
            return None
        required, enabled = twofactor.standing(user)
        if enabled:
            logout(request)
            messages.info(request, "Sign in again with your two-factor code.")
            return redirect_to_login(request.get_full_path(), resolve_url(settings.LOGIN_URL))
        if not required:
            return None
        message = "Your role needs two-factor sign-in. Set it up to continue."
        if request.path.startswith("/api/"):
            return JsonResponse({"detail": message}, status=403)
        messages.info(request, message)
        if getattr(request, "htmx", None):
            return HttpResponseClientRedirect(resolve_url("practice:two-factor"))
        return redirect("practice:two-factor")
