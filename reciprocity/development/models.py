"""The therapist's professional development log, goals, and the private ledger of their own support."""

from typing import ClassVar, Self

from django.conf import settings
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from reciprocity.vault.fields import EncryptedCharField, EncryptedTextField


class OwnedQuerySet(models.QuerySet):
    def owned_by(self, user: settings.AUTH_USER_MODEL) -> Self:
        return self.filter(owner=user)


class ActivityKind(models.TextChoices):
    TRAINING = "training", _("Training or workshop")
    SUPERVISION = "supervision", _("Supervision received")
    CONSULTATION = "consultation", _("Peer consultation")
    READING = "reading", _("Reading or study")
    CONFERENCE = "conference", _("Conference")
    OTHER = "other", _("Other")


class Activity(models.Model):
    """Hours of development, with continuing-education credits where they were awarded."""

    owner = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="+")
    kind = models.CharField(max_length=14, choices=ActivityKind.choices)
    day = models.DateField()
    title = EncryptedCharField(max_length=200)
    hours = models.DecimalField(
        max_digits=5, decimal_places=1, validators=[MinValueValidator(0), MaxValueValidator(200)]
    )
    credits = models.DecimalField(max_digits=5, decimal_places=1, default=0,
                                  validators=[MinValueValidator(0), MaxValueValidator(200)])  # fmt: skip
    note = EncryptedTextField(blank=True)

    objects = OwnedQuerySet.as_manager()

    class Meta:
        ordering: ClassVar[list[str]] = ["-day", "-pk"]
        constraints: ClassVar[list[models.BaseConstraint]] = [
            models.CheckConstraint(
                condition=Q(hours__gte=0, hours__lte=200, credits__gte=0, credits__lte=200),
                name="activity_amounts_in_range",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.title} ({self.day:%d %b %Y})"


class Goal(models.Model):
    owner = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="+")
    title = EncryptedCharField(max_length=200)
    target = models.DateField(null=True, blank=True)
    progress = models.PositiveSmallIntegerField(default=0)  # percent
    note = EncryptedTextField(blank=True)
    updated_at = models.DateTimeField(auto_now=True)

    objects = OwnedQuerySet.as_manager()

    class Meta:
        ordering: ClassVar[list[str]] = ["progress", "target", "pk"]
        constraints: ClassVar[list[models.BaseConstraint]] = [
            models.CheckConstraint(condition=Q(progress__lte=100), name="goal_progress_percent"),
        ]

    def __str__(self) -> str:
        return self.title


class SupportKind(models.TextChoices):
    THERAPY = "therapy", _("My own therapy")
    CONSULTATION = "consultation", _("Peer consultation")
    SUPERVISION = "supervision", _("Supervision")
    FRIENDS = "friends", _("Talking to friends")
    FAMILY = "family", _("Talking to family")
    OTHER = "other", _("Something else")


class Support(models.Model):
    """One time the therapist sought help for themselves. Private: never shared, never in a supervision packet."""

    owner = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="+")
    kind = models.CharField(max_length=14, choices=SupportKind.choices)
    day = models.DateField()
    note = EncryptedTextField(blank=True)
    helped = models.PositiveSmallIntegerField(null=True, blank=True)  # 1–5

    objects = OwnedQuerySet.as_manager()

    class Meta:
        ordering: ClassVar[list[str]] = ["-day", "-pk"]
        constraints: ClassVar[list[models.BaseConstraint]] = [
            models.CheckConstraint(
                condition=Q(helped__gte=1, helped__lte=5) | Q(helped__isnull=True), name="support_helped_range"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.get_kind_display()} on {self.day:%d %b %Y}"
