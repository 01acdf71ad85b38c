from django.contrib import messages
from django.contrib.auth import views as auth_views
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect
from django.urls import reverse_lazy

from reciprocity.lib.htmx import render_form
from reciprocity.practice.forms import ProfileForm


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
