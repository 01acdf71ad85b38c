from django.contrib import admin
from django.contrib.auth.admin import UserAdmin

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
