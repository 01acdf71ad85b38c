import time
from typing import Any

from django.contrib import messages
from django.contrib.auth import login, logout, user_login_failed
from django.contrib.auth import views as auth_views
from django.contrib.auth.decorators import login_not_required
from django.db import transaction
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse, reverse_lazy
from django.utils import translation
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.translation import gettext, ngettext
from django.views.decorators.debug import sensitive_post_parameters
from django.views.decorators.http import require_http_methods

from reciprocity.lib.forms import parse_id
from reciprocity.lib.htmx import render_form
from reciprocity.practice import throttle, tokens, twofactor
from reciprocity.practice.forms import (
    CodeForm,
    DisableTwoFactorForm,
    EnrolForm,
    PasswordResetForm,
    ProfileForm,
    TokenForm,
)
from reciprocity.practice.models import AccessToken, FailedSignIn, User
from reciprocity.practice.settings_panels import settings_panels

TOO_MANY = 429


def _refused(request: HttpRequest, template: str, refusal: throttle.Refusal, context: dict[str, Any]) -> HttpResponse:
    response = render(request, template, context | {"refusal": refusal.message}, status=TOO_MANY)
    response["Retry-After"] = str(refusal.minutes * 60)
    return response


def _failed(request: HttpRequest, username: str, **kwargs: Any) -> throttle.Refusal | None:
    """Count a failed attempt and tell listeners (the audit trail) as Django does for a wrong password."""
    if kwargs.get("reason") in (FailedSignIn.Reason.CODE, FailedSignIn.Reason.LOCKED):
        # a wrong password already sent this signal from authenticate(); these two never reach it
        user_login_failed.send(sender=__name__, credentials={"username": username}, request=request)
    return throttle.record_failure(username, throttle.client_address(request), **kwargs)


class LogoutView(auth_views.LogoutView):
    """Sign out, and have the browser delete what the site kept on it: the pages kept for offline use and
    any draft still waiting to be sent (docs/offline.md). offline.js deletes them too before it signs out."""

    def post(self, request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponse:
        response = super().post(request, *args, **kwargs)
        response["Clear-Site-Data"] = '"cache", "storage"'
        return response


class LoginView(auth_views.LoginView):
    """Password step. With two-factor on, the person is not signed in yet: the code step follows."""

    template_name = "practice/login.html"
    redirect_authenticated_user = True

    def post(self, request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponse:
        username = request.POST.get("username", "")
        refusal = throttle.refusal(username, throttle.client_address(request))
        if refusal is not None:
            _failed(request, username, reason=FailedSignIn.Reason.LOCKED)
            return _refused(request, self.template_name, refusal, self.get_context_data(form=self.get_form()))
        return super().post(request, *args, **kwargs)

    def form_invalid(self, form):  # type: ignore[no-untyped-def]
        refusal = _failed(self.request, self.request.POST.get("username", ""))
        if refusal is not None:
            return _refused(self.request, self.template_name, refusal, self.get_context_data(form=form))
        return super().form_invalid(form)

    def form_valid(self, form):  # type: ignore[no-untyped-def]
        user = form.get_user()
        if twofactor.is_enabled(user):
            self.request.session[twofactor.PENDING] = {
                "user": user.pk,
                "backend": user.backend,
                "next": self.get_success_url(),
                "at": int(time.time()),
            }
            return redirect("practice:two-factor-verify")
        throttle.clear_account(user.username)
        return super().form_valid(form)


def _pending_user(request: HttpRequest) -> tuple[User, dict[str, Any]] | None:
    pending = request.session.get(twofactor.PENDING)
    if not isinstance(pending, dict) or time.time() - pending.get("at", 0) > twofactor.PENDING_SECONDS:
        return None
    user = User.objects.filter(pk=pending.get("user"), is_active=True).first()
    return (user, pending) if user else None


@login_not_required
@sensitive_post_parameters("code")
@require_http_methods(["GET", "POST"])
def two_factor_verify(request: HttpRequest) -> HttpResponse:
    """Code step of signing in: only here does a session with two-factor on become signed in."""
    found = _pending_user(request)
    if found is None:
        request.session.pop(twofactor.PENDING, None)
        messages.info(request, gettext("Sign in with your password first; the code step waits five minutes at most."))
        return redirect("practice:login")
    user, pending = found
    template = "practice/two_factor_verify.html"
    form = CodeForm(request.POST or None)
    if request.method == "POST":
        refusal = throttle.refusal(user.username, throttle.client_address(request))
        if refusal is not None:
            _failed(request, user.username, reason=FailedSignIn.Reason.LOCKED, user=user)
            request.session.pop(twofactor.PENDING, None)
            return _refused(request, template, refusal, {"form": form})
        if form.is_valid() and twofactor.verify(user, form.cleaned_data["code"]):
            del request.session[twofactor.PENDING]
            login(request, user, backend=pending["backend"])
            request.session[twofactor.VERIFIED] = True
            throttle.clear_account(user.username)
            next_url = pending.get("next", "")
            safe = url_has_allowed_host_and_scheme(next_url, {request.get_host()}, request.is_secure())
            return redirect(next_url if safe else reverse("today:today"))
        if form.is_valid():
            form.add_error("code", gettext("That code does not match, or it was already used. Enter the newest code."))
            refusal = _failed(request, user.username, reason=FailedSignIn.Reason.CODE, user=user)
            if refusal is not None:
                request.session.pop(twofactor.PENDING, None)
                return _refused(request, template, refusal, {"form": form})
    return render_form(request, template, {"form": form})


@sensitive_post_parameters("code", "password")
@require_http_methods(["GET", "POST"])
def two_factor(request: HttpRequest) -> HttpResponse:
    """Set up two-factor sign-in (confirmed with a code), see its state, renew recovery codes, turn it off."""
    user = request.user
    template = "practice/two_factor.html"
    context: dict[str, Any] = {"required": twofactor.is_required(user)}
    action = request.POST.get("action", "")
    if not twofactor.is_enabled(user):
        device = twofactor.start_enrolment(user)
        form = EnrolForm(request.POST if action == "confirm" else None)
        if action == "confirm" and form.is_valid():
            try:
                codes = twofactor.confirm_enrolment(user, form.cleaned_data["code"])
            except twofactor.TwoFactorError as error:
                form.add_error("code", str(error))
            else:
                request.session[twofactor.VERIFIED] = True  # the person just proved they hold the authenticator
                messages.success(request, gettext("Two-factor sign-in is on."))
                return render(request, template, context | {"enabled": True, "codes": codes, "left": len(codes)})
        context |= {"form": form, "qr": twofactor.qr_svg(device), "secret": device.secret}
        return render_form(request, template, context)
    context |= {"enabled": True, "left": twofactor.recovery_codes_left(user)}
    if not request.session.get(twofactor.VERIFIED):  # begun before two-factor was on: it proves no second factor
        logout(request)
        messages.info(request, gettext("Sign in again with your two-factor code."))
        return redirect("practice:login")
    if action == "regenerate":
        codes = twofactor.regenerate_recovery_codes(user)
        messages.success(request, gettext("New recovery codes made; the old ones no longer work."))
        return render(request, template, context | {"codes": codes, "left": len(codes)})
    form = DisableTwoFactorForm(user, request.POST if action == "disable" else None)
    if action == "disable":
        return _disable_two_factor(request, form, context)
    return render(request, template, context | {"disable_form": form})


def _disable_two_factor(request: HttpRequest, form: DisableTwoFactorForm, context: dict[str, Any]) -> HttpResponse:
    user = request.user
    template = "practice/two_factor.html"
    context = context | {"form": form, "disable_form": form}
    refusal = throttle.refusal(user.username, throttle.client_address(request))
    if refusal is not None:
        return _refused(request, template, refusal, context)
    if not form.is_valid():
        return render_form(request, template, context)
    if context["required"]:
        form.add_error(
            None, gettext("Your role as supervisor or director needs two-factor sign-in; it cannot be turned off.")
        )
        return render_form(request, template, context)
    if not twofactor.verify(user, form.cleaned_data["code"]):
        form.add_error("code", gettext("That code does not match, or it was already used."))
        refusal = _failed(request, user.username, reason=FailedSignIn.Reason.CODE, user=user)
        if refusal is not None:
            return _refused(request, template, refusal, context)
        return render_form(request, template, context)
    twofactor.disable(user)
    request.session.pop(twofactor.VERIFIED, None)
    messages.success(request, gettext("Two-factor sign-in is off. Your password alone now signs you in."))
    return redirect("practice:two-factor")


class PasswordChangeView(auth_views.PasswordChangeView):
    template_name = "practice/password_change.html"
    success_url = reverse_lazy("practice:settings")

    def form_valid(self, form):  # type: ignore[no-untyped-def]
        messages.success(self.request, gettext("Your password was changed."))
        return super().form_valid(form)


class PasswordResetView(auth_views.PasswordResetView):
    """Asks for an e-mail address; answers the same whether or not an account has it."""

    template_name = "practice/password_reset.html"
    form_class = PasswordResetForm
    email_template_name = "practice/password_reset_email.txt"
    subject_template_name = "practice/password_reset_subject.txt"
    success_url = reverse_lazy("practice:password-reset-done")

    def post(self, request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponse:
        address = throttle.client_address(request)
        refusal = throttle.reset_refusal(address)
        if refusal is not None:
            message = ngettext(
                "Too many reset requests; try again in {minutes} minute.",
                "Too many reset requests; try again in {minutes} minutes.",
                refusal.minutes,
            ).format(minutes=refusal.minutes)
            context = self.get_context_data(form=self.get_form())
            response = render(request, self.template_name, context | {"refusal": message}, status=TOO_MANY)
            response["Retry-After"] = str(refusal.minutes * 60)
            return response
        throttle.record_reset_request(address)
        return super().post(request, *args, **kwargs)


class PasswordResetDoneView(auth_views.PasswordResetDoneView):
    template_name = "practice/password_reset_done.html"


class PasswordResetConfirmView(auth_views.PasswordResetConfirmView):
    template_name = "practice/password_reset_confirm.html"
    success_url = reverse_lazy("practice:password-reset-complete")

    def form_valid(self, form):  # type: ignore[no-untyped-def]
        throttle.clear_account(form.user.username)  # the owner proved themselves by e-mail: lift any lock
        return super().form_valid(form)


class PasswordResetCompleteView(auth_views.PasswordResetCompleteView):
    template_name = "practice/password_reset_complete.html"


def settings_page(request: HttpRequest) -> HttpResponse:
    if request.method == "POST":
        form = ProfileForm(request.POST, instance=request.user)
        if form.is_valid():
            with transaction.atomic():  # a new time zone and the figures it rebuilds, together
                form.save()
            # Say it in the language just chosen, as the next page will speak.
            translation.activate(request.user.language or translation.get_language_from_request(request))
            messages.success(request, gettext("Settings saved."))
            return redirect("practice:settings")
    else:
        form = ProfileForm(instance=request.user)
    context = {
        "form": form,
        "memberships": request.user.memberships.select_related("practice"),
        "two_factor_on": twofactor.is_enabled(request.user),
        "failed_sign_ins": throttle.recent_failures(request.user),
        "panels": settings_panels(request),
    }
    return render_form(request, "practice/settings.html", context)


def api_tokens(request: HttpRequest) -> HttpResponse:
    """The user's personal access tokens: make one (shown once), see them, revoke them.

    Tokens are unaffected by two-factor sign-in: a token is its own second factor, made only by someone
    fully signed in, limited in scope and time, and revocable here.
    """
    created = None
    form = TokenForm(request.POST or None)
    if request.method == "POST" and request.POST.get("action") == "revoke":
        pk = parse_id(request.POST.get("token"))
        token = get_object_or_404(AccessToken.objects.owned_by(request.user), pk=pk) if pk else None
        if token is None:
            raise Http404("No such token.")
        tokens.revoke(token)
        messages.success(request, gettext("Revoked {token}.").format(token=token))
        return redirect("practice:tokens")
    if request.method == "POST" and form.is_valid():
        _, created = tokens.create_token(user=request.user, **form.cleaned_data)
        form = TokenForm()
    context = {"form": form, "created": created, "tokens": AccessToken.objects.owned_by(request.user)}
    return render_form(request, "practice/tokens.html", context)
