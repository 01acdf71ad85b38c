"""What the reminders' tests share: a person who asked for digests, and the moments they fall due."""

import datetime
from typing import Any

import pytest

from reciprocity.measures import registry
from reciprocity.measures.services import record_administration
from reciprocity.practice.models import User
from reciprocity.reminders.models import ReminderSettings

UTC = datetime.UTC


def at(*parts: int) -> datetime.datetime:
    """A moment in UTC: at(2026, 1, 14, 6, 0)."""
    return datetime.datetime(*parts, tzinfo=UTC)


def opt_in(user: User, *, email: str = "", **choices: Any) -> ReminderSettings:
    """`user` asks for the daily digest at 07:00 (or `choices`), with an e-mail address."""
    user.email = email or f"{user.username}@example.org"
    user.save(update_fields=["email"])
    choices = {"wants_daily": True, "send_at": datetime.time(7, 0)} | choices
    return ReminderSettings.objects.create(user=user, **choices)


def check_in_on_everything(user: User, when: datetime.datetime) -> None:
    """Complete every check-in the therapist is asked for, so none is due."""
    for instrument in registry.for_audience("therapist"):
        if instrument.checkin_every_days:
            answers = {item.id: 2 for item in instrument.items}
            record_administration(therapist=user, instrument=instrument, answers=answers, completed_at=when)


@pytest.fixture(autouse=True)
def _site_url(settings):  # type: ignore[no-untyped-def]
    settings.SITE_URL = "https://clinic.example.org"
    settings.EMAIL_BACKEND = "django.core.mail.backends.locmem.EmailBackend"
