from typing import ClassVar, Self

from django.conf import settings
from django.db import models

from reciprocity.insights.alerts import ACTION_LABELS


class AlertResponseQuerySet(models.QuerySet):
    def owned_by(self, therapist: settings.AUTH_USER_MODEL) -> Self:
        return self.filter(therapist=therapist)


class AlertResponse(models.Model):
    """What the therapist did about an alert (or that they dismissed it); an answered alert stays answered."""

    therapist = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="alert_responses")
    alert_key = models.CharField(max_length=120)
    action = models.CharField(max_length=20, choices=list(ACTION_LABELS.items()))
    created_at = models.DateTimeField(auto_now_add=True)

    objects = AlertResponseQuerySet.as_manager()

    class Meta:
        ordering: ClassVar[list[str]] = ["-created_at"]
        constraints: ClassVar[list[models.BaseConstraint]] = [
            models.UniqueConstraint(fields=["therapist", "alert_key"], name="one_response_per_alert"),
            models.CheckConstraint(condition=models.Q(action__in=list(ACTION_LABELS)), name="alert_known_action"),
        ]

    def __str__(self) -> str:
        return f"{self.alert_key}: {self.action}"
