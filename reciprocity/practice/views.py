from django.contrib import messages
from django.contrib.auth import views as auth_views
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect
from django.urls import reverse_lazy

from reciprocity.lib.forms import parse_id
from reciprocity.lib.htmx import render_form
from reciprocity.practice import tokens
from reciprocity.practice.forms import ProfileForm, TokenForm
from reciprocity.practice.models import AccessToken


class LoginView(auth_views.LoginView):
    template_name = "practice/login.html"
    redirect_authenticated_user = True


class PasswordChangeView(auth_views.PasswordChangeView):
    template_name = "practice/password_change.html"
    success_url = reverse_lazy("practice:settings")

    def form_valid(self, form):  # type: ignore[no-untyped-def]
        messages.success(self.request, "Your password was changed.")
        return super().form_valid(form)


def settings_page(request: HttpRequest) -> HttpResponse:
    if request.method == "POST":
        form = ProfileForm(request.POST, instance=request.user)
        if form.is_valid():
            form.save()
            messages.success(request, "Settings saved.")
            return redirect("practice:settings")
    else:
        form = ProfileForm(instance=request.user)
    memberships = request.user.memberships.select_related("practice")
    return render_form(request, "practice/settings.html", {"form": form, "memberships": memberships})


def api_tokens(request: HttpRequest) -> HttpResponse:
    """The user's personal access tokens: make one (shown once), see them, revoke them."""
    created = None
    form = TokenForm(request.POST or None)
    if request.method == "POST" and request.POST.get("action") == "revoke":
        pk = parse_id(request.POST.get("token"))
        token = get_object_or_404(AccessToken.objects.owned_by(request.user), pk=pk) if pk else None
        if token is None:
            raise Http404("No such token.")
        tokens.revoke(token)
        messages.success(request, f"Revoked {token}.")
        return redirect("practice:tokens")
    if request.method == "POST" and form.is_valid():
        _, created = tokens.create_token(user=request.user, **form.cleaned_data)
        form = TokenForm()
    context = {"form": form, "created": created, "tokens": AccessToken.objects.owned_by(request.user)}
    return render_form(request, "practice/tokens.html", context)
