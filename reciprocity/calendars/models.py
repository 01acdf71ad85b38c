"""What a calendar import remembers: which event title is which client, and which events became sessions.

Neither holds a title, a description or an event's UID: only keyed fingerprints of them
(reciprocity/calendars/fingerprints.py), which say "the same as before" and nothing else.
"""

from typing import ClassVar, Self

from django.conf import settings
from django.db import models


class TitleMappingQuerySet(models.QuerySet):
    def owned_by(self, therapist: settings.AUTH_USER_MODEL) -> Self:
        return self.filter(therapist=therapist)


class TitleMapping(models.Model):
    """One calendar title, by its fingerprint, mapped to a client of the therapist, or to "not a session"."""

    therapist = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="calendar_title_mappings"
    )
    title_digest = models.CharField(max_length=64)
    # Empty means "not a session: always skip it". Deleting the client forgets the mapping.
    client = models.ForeignKey("clients.Client", null=True, blank=True, on_delete=models.CASCADE, related_name="+")
    updated_at = models.DateTimeField(auto_now=True)

    objects = TitleMappingQuerySet.as_manager()

    class Meta:
        constraints: ClassVar[list[models.BaseConstraint]] = [
            models.UniqueConstraint(fields=["therapist", "title_digest"], name="calendar_title_once_per_therapist"),
        ]

    def __str__(self) -> str:
        return f"{self.title_digest[:8]} → {self.client.code if self.client else 'skip'}"

    @property
    def is_skipped(self) -> bool:
        return self.client_id is None


class ImportedEventQuerySet(models.QuerySet):
    def owned_by(self, therapist: settings.AUTH_USER_MODEL) -> Self:
        return self.filter(therapist=therapist)


class ImportedEvent(models.Model):
    """One occurrence of a calendar event (UID + recurrence id, by fingerprint) already imported.

    It stays when its session is deleted, so that the next import does not bring the session back.
    """

    therapist = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="+")
    event_digest = models.CharField(max_length=64)
    session = models.ForeignKey("therapy.Session", null=True, blank=True, on_delete=models.SET_NULL, related_name="+")
    imported_at = models.DateTimeField(auto_now_add=True)

    objects = ImportedEventQuerySet.as_manager()

    class Meta:
        constraints: ClassVar[list[models.BaseConstraint]] = [
            models.UniqueConstraint(fields=["therapist", "event_digest"], name="calendar_event_once_per_therapist"),
        ]

    def __str__(self) -> str:
        return self.event_digest[:8]
