from django.contrib import admin
from django.contrib.auth.admin import UserAdmin
from django.contrib.auth.decorators import login_not_required
from django.contrib.auth.views import redirect_to_login
from django.http import HttpRequest, HttpResponse
from django.urls import reverse

from reciprocity.practice.models import Membership, Practice, User


class MembershipInline(admin.TabularInline):
    model = Membership
    extra = 0


@admin.register(User)
class ReciprocityUserAdmin(UserAdmin):
    fieldsets = (*UserAdmin.fieldsets, ("Reciprocity", {"fields": ("time_zone",)}))
    inlines = (MembershipInline,)


@admin.register(Practice)
class PracticeAdmin(admin.ModelAdmin):
    list_display = ("name", "created_at")
    inlines = (MembershipInline,)


@login_not_required
def _sign_in_through_the_site(request: HttpRequest, extra_context: object = None) -> HttpResponse:
    """The admin's own sign-in form would skip the back-off and the two-factor step: use the site's."""
    return redirect_to_login(request.GET.get("next") or reverse("admin:index"), reverse("practice:login"))


admin.site.login = _sign_in_through_the_site  # type: ignore[method-assign]
