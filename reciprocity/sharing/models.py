"""Supervision: a therapist shares chosen things with a supervisor, each by its own consent, revocable at once."""

import hashlib
from typing import ClassVar, Self

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.urls import reverse
from django.utils import timezone

from reciprocity.practice.models import Practice
from reciprocity.therapy.models import Reflection
from reciprocity.vault.fields import EncryptedTextField


def hash_token(token: str) -> str:
    return hashlib.sha256(token.encode()).hexdigest()


class SupervisionQuerySet(models.QuerySet):
    def active(self) -> Self:
        return self.filter(accepted_at__isnull=False, ended_at__isnull=True)

    def pending(self) -> Self:
        return self.filter(accepted_at__isnull=True, ended_at__isnull=True)

    def involving(self, user: settings.AUTH_USER_MODEL) -> Self:
        return self.filter(Q(therapist=user) | Q(supervisor=user))


class Supervision(models.Model):
    """A therapist and the supervisor they invited: pending until the supervisor accepts, ended by either."""

    therapist = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="supervisions")
    supervisor = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.CASCADE, related_name="supervisees"
    )
    practice = models.ForeignKey(Practice, on_delete=models.CASCADE, related_name="+")
    invite_hash = models.CharField(max_length=64, blank=True)  # for an invitation by link; the link holds the token
    invite_expires_at = models.DateTimeField(null=True, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)
    accepted_at = models.DateTimeField(null=True, blank=True)
    ended_at = models.DateTimeField(null=True, blank=True)

    objects = SupervisionQuerySet.as_manager()

    class Meta:
        ordering: ClassVar[list[str]] = ["-created_at"]
        constraints: ClassVar[list[models.BaseConstraint]] = [
            models.CheckConstraint(condition=~Q(therapist=models.F("supervisor")), name="supervision_not_oneself"),
            models.UniqueConstraint(
                fields=["therapist", "supervisor"], condition=Q(ended_at__isnull=True), name="supervision_one_open"
            ),
        ]

    def __str__(self) -> str:
        who = self.supervisor.display_name if self.supervisor else "an invitation link"
        return f"{self.therapist.display_name} → {who}"

    def get_absolute_url(self) -> str:
        return reverse("sharing:supervision", args=[self.pk])

    @property
    def is_active(self) -> bool:
        return self.accepted_at is not None and self.ended_at is None

    @property
    def is_pending(self) -> bool:
        return self.accepted_at is None and self.ended_at is None


class Kind(models.TextChoices):
    REFLECTION = "reflection", "A reflection"
    WELLBEING = "wellbeing", "My well-being trend"
    FLYWHEEL = "flywheel", "My flywheel summary"


class ShareQuerySet(models.QuerySet):
    def live(self) -> Self:
        return self.filter(revoked_at__isnull=True, supervision__accepted_at__isnull=False,
                           supervision__ended_at__isnull=True)  # fmt: skip


class Share(models.Model):
    """One consent: a reflection's words (as reviewed for identifying details), or a live summary."""

    supervision = models.ForeignKey(Supervision, on_delete=models.CASCADE, related_name="shares")
    kind = models.CharField(max_length=12, choices=Kind.choices)
    reflection = models.ForeignKey(Reflection, null=True, blank=True, on_delete=models.CASCADE, related_name="+")
    text = EncryptedTextField(blank=True)  # what the supervisor reads of a shared reflection
    confirmed = models.JSONField(default=list)  # PII findings the therapist confirmed as not identifying
    shared_at = models.DateTimeField(default=timezone.now)
    revoked_at = models.DateTimeField(null=True, blank=True)

    objects = ShareQuerySet.as_manager()

    class Meta:
        ordering: ClassVar[list[str]] = ["-shared_at"]
        constraints: ClassVar[list[models.BaseConstraint]] = [
            models.CheckConstraint(condition=Q(kind__in=Kind.values), name="share_known_kind"),
            models.CheckConstraint(
                condition=Q(kind="reflection", reflection__isnull=False) | (~Q(kind="reflection") & Q(reflection=None)),
                name="share_reflection_iff_kind",
            ),
            models.UniqueConstraint(
                fields=["supervision", "reflection"],
                condition=Q(revoked_at__isnull=True, reflection__isnull=False),
                name="share_reflection_once",
            ),
            models.UniqueConstraint(
                fields=["supervision", "kind"],
                condition=Q(revoked_at__isnull=True, reflection__isnull=True),
                name="share_summary_once",
            ),
        ]

    def __str__(self) -> str:
        if self.kind == Kind.REFLECTION:
            return f"Reflection of {timezone.localtime(self.reflection.occurred_at):%d %b %Y}"
        return self.get_kind_display().replace("My ", "").capitalize()

    def get_absolute_url(self) -> str:
        return reverse("sharing:share", args=[self.pk])


class Comment(models.Model):
    share = models.ForeignKey(Share, on_delete=models.CASCADE, related_name="comments")
    author = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="+")
    parent = models.ForeignKey("self", null=True, blank=True, on_delete=models.CASCADE, related_name="replies")
    text = EncryptedTextField()
    confirmed = models.JSONField(default=list)  # PII findings the author confirmed as not identifying
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering: ClassVar[list[str]] = ["created_at", "pk"]

    def __str__(self) -> str:
        return f"Comment by {self.author}"


class Meeting(models.Model):
    """A supervision meeting: its agenda built from shared items, and its notes."""

    supervision = models.ForeignKey(Supervision, on_delete=models.CASCADE, related_name="meetings")
    held_on = models.DateField()
    agenda = models.ManyToManyField(Share, blank=True, related_name="meetings")
    notes = EncryptedTextField(blank=True)
    confirmed = models.JSONField(default=list)  # PII findings in the notes confirmed as not identifying
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="+")
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering: ClassVar[list[str]] = ["-held_on", "-pk"]

    def __str__(self) -> str:
        return f"Supervision on {self.held_on:%d %b %Y}"
