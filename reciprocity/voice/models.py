from typing import ClassVar

from django.conf import settings
from django.db import models


class HourlyUse(models.Model):
    """How many recordings a therapist has had turned into text in one clock hour. Kept in the database, not a
    process's memory, so the hourly limit holds across every server process; earlier hours are dropped."""

    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="+")
    hour = models.DateTimeField()
    count = models.PositiveIntegerField(default=0)

    class Meta:
        constraints: ClassVar[list[models.BaseConstraint]] = [
            models.UniqueConstraint(fields=["user", "hour"], name="voice_one_count_an_hour"),
        ]

    def __str__(self) -> str:
        return f"{self.count} in the hour from {self.hour:%Y-%m-%d %H:00}"
