"""What client work taught the therapist, and how it went when they tried it on themselves."""

from typing import ClassVar, Self

from django.conf import settings
from django.db import models
from django.urls import reverse
from django.utils.translation import gettext_lazy as _

from reciprocity.therapy.dimensions import KEYS
from reciprocity.therapy.models import Reflection
from reciprocity.vault.fields import EncryptedCharField, EncryptedTextField

HELPED_MIN, HELPED_MAX = 1, 5


class Origin(models.TextChoices):
    SESSION = "session", _("A session")
    CLIENT_WORK = "client_work", _("Client work in general")
    SUPERVISION = "supervision", _("Supervision")
    TRAINING = "training", _("A training")
    READING = "reading", _("Reading")


class ItemQuerySet(models.QuerySet):
    def owned_by(self, therapist: settings.AUTH_USER_MODEL) -> Self:
        return self.filter(owner=therapist)


class Item(models.Model):
    """A lesson, technique or insight the therapist keeps, in their own words."""

    owner = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="repertoire")
    title = EncryptedCharField(max_length=160)
    description = EncryptedTextField(blank=True)
    origin = models.CharField(max_length=12, choices=Origin.choices, default=Origin.CLIENT_WORK)
    reflection = models.ForeignKey(
        Reflection, null=True, blank=True, on_delete=models.SET_NULL, related_name="repertoire_items"
    )
    dimensions = models.JSONField(default=list)  # dimension keys, in the order of KEYS
    tags = models.JSONField(default=list)  # lower-case words or short phrases
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    objects = ItemQuerySet.as_manager()

    class Meta:
        ordering: ClassVar[list[str]] = ["created_at", "pk"]  # titles are encrypted: lists sort them after reading
        constraints: ClassVar[list[models.BaseConstraint]] = [
            models.CheckConstraint(condition=models.Q(origin__in=Origin.values), name="repertoire_known_origin"),
        ]

    def __str__(self) -> str:
        return self.title

    def get_absolute_url(self) -> str:
        return reverse("repertoire:detail", args=[self.pk])

    @property
    def dimension_keys(self) -> list[str]:
        return [key for key in KEYS if key in self.dimensions]


class TrialQuerySet(models.QuerySet):
    def owned_by(self, therapist: settings.AUTH_USER_MODEL) -> Self:
        return self.filter(item__owner=therapist)


class Trial(models.Model):
    """One time the therapist tried an item on themselves, and how much it helped (1–5)."""

    item = models.ForeignKey(Item, on_delete=models.CASCADE, related_name="trials")
    tried_on = models.DateField()
    situation = EncryptedTextField()
    helped = models.PositiveSmallIntegerField()
    note = EncryptedTextField(blank=True)
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    objects = TrialQuerySet.as_manager()

    class Meta:
        ordering: ClassVar[list[str]] = ["-tried_on", "-pk"]
        constraints: ClassVar[list[models.BaseConstraint]] = [
            models.CheckConstraint(
                condition=models.Q(helped__gte=HELPED_MIN, helped__lte=HELPED_MAX), name="trial_helped_range"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.item.title} on {self.tried_on:%Y-%m-%d}"

    def get_absolute_url(self) -> str:
        return f"{self.item.get_absolute_url()}#trial-{self.pk}"
