"""When a digest is due: at the person's chosen wall-clock time in their own time zone, on days not quiet."""

import datetime

from django.utils import timezone

from reciprocity.reminders.models import ReminderSettings


def local_now(reminder: ReminderSettings, now: datetime.datetime) -> datetime.datetime:
    return timezone.localtime(now, reminder.user.zone)


def due_day(reminder: ReminderSettings, now: datetime.datetime) -> datetime.date | None:
    """The person's own date whose digest is due at `now`, or None: before their time, or a quiet day.

    Compared on the wall clock, so 07:00 in Europe/Berlin is 06:00 UTC in winter and 05:00 UTC in summer.
    A time skipped when the clocks go forward is reached at the first minute after the jump, and a time
    that happens twice when they go back sends once: the day's digest is claimed the first time.
    """
    local = local_now(reminder, now)
    if local.time() < reminder.send_at or reminder.is_quiet_on(local.date()):
        return None
    return local.date()


def next_digest_at(reminder: ReminderSettings, now: datetime.datetime) -> datetime.datetime | None:
    """The next moment a digest may go (in the person's zone), for the settings page; None if every day is quiet."""
    local = local_now(reminder, now)
    for ahead in range(8):
        day = local.date() + datetime.timedelta(days=ahead)
        at = datetime.datetime.combine(day, reminder.send_at, tzinfo=local.tzinfo)
        if not reminder.is_quiet_on(day) and (ahead or local.time() < reminder.send_at):
            return at
    return None
