from django.contrib import admin

from reciprocity.reminders.models import Digest


@admin.register(Digest)
class DigestAdmin(admin.ModelAdmin):
    """Which digests went out: dates, kinds, outcomes and counts (no client code or text is ever stored)."""

    list_display = ("user", "kind", "local_date", "status", "attempts", "sent_at")
    list_filter = ("kind", "status")
    readonly_fields = ("user", "kind", "local_date", "claimed_at", "sent_at", "counts", "covers_from",
                       "covers_until", "attempts", "error")  # fmt: skip
    fields = (*readonly_fields, "status")
