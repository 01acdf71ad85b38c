"""E-mail reminders: who asked for which digest, when, and a record of each digest claimed for a day."""

import datetime
from typing import ClassVar

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils import dates
from django.utils.translation import gettext_lazy as _

# date.weekday() order; the names come translated from Django's own catalogue
WEEKDAYS = [dates.WEEKDAYS[day] for day in range(7)]


class Kind(models.TextChoices):
    DAILY = "daily", _("My daily digest")
    SUPERVISION = "supervision", _("What my supervisees shared")


class ReminderSettings(models.Model):
    """One person's choice of digests. Without a row (the default) nothing is ever sent to them."""

    user = models.OneToOneField(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="reminders")
    wants_daily = models.BooleanField(default=False)
    wants_supervision = models.BooleanField(default=False)
    send_at = models.TimeField(default=datetime.time(7, 0))  # wall-clock time in the person's own time zone
    quiet_days = models.JSONField(default=list, blank=True)  # weekday numbers, 0 = Monday, with no digest
    # The supervision digest counts what arrived since the last one; the first counts from when it was turned on.
    supervision_since = models.DateTimeField(null=True, blank=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        verbose_name_plural = "reminder settings"

    def __str__(self) -> str:
        return f"Reminders of {self.user}"

    def wants(self, kind: str) -> bool:
        return self.wants_daily if kind == Kind.DAILY else self.wants_supervision

    @property
    def wants_any(self) -> bool:
        return self.wants_daily or self.wants_supervision

    def is_quiet_on(self, day: datetime.date) -> bool:
        return day.weekday() in self.quiet_days


class Status(models.TextChoices):
    SENDING = "sending", "Being sent"  # claimed; stays so if the process stopped mid-send (never resent)
    SENT = "sent", "Sent"
    FAILED = "failed", "Failed, to be tried again"  # the mail server refused or could not be reached
    EMPTY = "empty", "Nothing to say, not sent"


class Digest(models.Model):
    """One digest of one kind for one person on one day of their own calendar, claimed before it is sent.

    The unique constraint is the claim: whichever process inserts the row sends the e-mail, and any
    other process running at the same moment finds the row and sends nothing (docs/reminders.md).
    """

    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="digests")
    kind = models.CharField(max_length=12, choices=Kind.choices)
    local_date = models.DateField()  # the day in the person's time zone that this digest is for
    status = models.CharField(max_length=8, choices=Status.choices, default=Status.SENDING)
    attempts = models.PositiveSmallIntegerField(default=1)
    claimed_at = models.DateTimeField()
    sent_at = models.DateTimeField(null=True, blank=True)
    counts = models.JSONField(default=dict, blank=True)  # what the digest said: numbers only
    # For the supervision digest: what arrived in [covers_from, covers_until) is counted, and only here.
    covers_from = models.DateTimeField(null=True, blank=True)
    covers_until = models.DateTimeField(null=True, blank=True)
    error = models.CharField(max_length=200, blank=True)  # the exception's class and the server's short answer

    class Meta:
        ordering: ClassVar[list[str]] = ["-local_date", "kind"]
        constraints: ClassVar[list[models.BaseConstraint]] = [
            models.UniqueConstraint(fields=["user", "local_date", "kind"], name="digest_once_a_day"),
            models.CheckConstraint(condition=Q(kind__in=Kind.values), name="digest_known_kind"),
            models.CheckConstraint(condition=Q(status__in=Status.values), name="digest_known_status"),
        ]

    def __str__(self) -> str:
        return f"{self.get_kind_display()} for {self.user} on {self.local_date:%d %b %Y}: {self.get_status_display()}"
