from django.contrib import admin
from django.http import HttpRequest

from reciprocity.audit.models import Event


@admin.register(Event)
class EventAdmin(admin.ModelAdmin):
    """Read-only: the trail is only ever added to, so nobody edits or deletes it from here."""

    list_display = ("when", "action", "actor", "subject", "what", "address")
    list_filter = ("action",)
    list_select_related = ("actor", "subject")
    date_hierarchy = "when"

    def has_add_permission(self, request: HttpRequest) -> bool:
        return False

    def has_change_permission(self, request: HttpRequest, obj: Event | None = None) -> bool:
        return False

    def has_delete_permission(self, request: HttpRequest, obj: Event | None = None) -> bool:
        # Deleting a person takes the events about them along (the admin asks this while collecting what a
        # deletion cascades to); an event is never deleted by itself, from its own pages.
        match = getattr(request, "resolver_match", None)
        deleting = getattr(match.func, "model_admin", None) if match else None
        return deleting not in (None, self) and super().has_delete_permission(request, obj)
