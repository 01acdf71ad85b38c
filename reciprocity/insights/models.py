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


class WeekFigures(models.Model):
    """One therapist's calendar week (its Monday, on their wall clock), summed up from their rows.

    Kept up to date in the transaction of every write that changes it (`insights/figures.py`), so the
    flywheel, its alerts and Today read one row a week instead of every row behind it. A week with no
    row had nothing in it. `reciprocity figures --rebuild` computes every row again from the rows.
    """

    therapist = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="week_figures")
    week = models.DateField()  # the Monday
    sessions = models.PositiveIntegerField(default=0)
    hours = models.FloatField(default=0.0)
    trauma_share = models.FloatField(null=True)  # 0–1, of the week's sessions
    load = models.FloatField(null=True)  # mean emotional load (0–10) where rated
    calm = models.FloatField(null=True)
    tired = models.FloatField(null=True)
    back_to_back = models.PositiveIntegerField(default=0)
    session_days = models.PositiveSmallIntegerField(default=0)  # bit d is set when weekday d (Monday 0) had one
    reflected_share = models.FloatField(null=True)  # of the week's sessions, the share with a reflection
    reflections = models.PositiveIntegerField(default=0)
    dimensions = models.JSONField(default=dict)  # {dimension key: mean rating of the week's reflections}
    reciprocity = models.FloatField(null=True)  # mean reciprocity index of the week's reflections
    supervision = models.PositiveIntegerField(default=0)  # reflections on supervision
    checkins = models.JSONField(default=dict)  # {"<instrument>.<scale>": the week's latest own score}
    client_improvement = models.FloatField(null=True)  # mean, in reliable-change units, of the week's scores

    class Meta:
        constraints: ClassVar[list[models.BaseConstraint]] = [
            models.UniqueConstraint(fields=["therapist", "week"], name="one_figures_row_per_week"),
        ]

    def __str__(self) -> str:
        return f"{self.therapist_id} {self.week}"


class CourseFigures(models.Model):
    """One client's course on one measure's primary scale: the first and the latest score, kept on write."""

    therapist = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="course_figures")
    client = models.ForeignKey("clients.Client", on_delete=models.CASCADE, related_name="course_figures")
    instrument_id = models.CharField(max_length=32)
    scores = models.PositiveIntegerField()
    first_id = models.BigIntegerField()  # the administration that holds the first score
    first = models.FloatField()
    first_at = models.DateTimeField()
    last = models.FloatField()
    last_at = models.DateTimeField()

    class Meta:
        constraints: ClassVar[list[models.BaseConstraint]] = [
            models.UniqueConstraint(fields=["client", "instrument_id"], name="one_course_per_client_measure"),
        ]
        indexes: ClassVar[list[models.Index]] = [models.Index(fields=["therapist", "last_at"])]

    def __str__(self) -> str:
        return f"{self.client_id} {self.instrument_id}"


class FiguresVersion(models.Model):
    """A token that changes, in the same transaction, with every write to a therapist's figures, to a client
    of theirs, to a session's techniques or a technique, or to their answers to alerts, so what was read of
    them can be remembered until they change (`insights/services.py`, `today/services.py`). A new random
    token each time, never a counter: a token names one state of one database, so no other database (a
    restored backup, a test's) can ever present the same one."""

    therapist = models.OneToOneField(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, primary_key=True, related_name="figures_version"
    )
    token = models.CharField(max_length=32)

    def __str__(self) -> str:
        return f"{self.therapist_id} {self.token}"
