"""Reading an iCalendar file: the occurrences of its events in a window of days, in the therapist's time zone.

Recurring events are expanded by `recurring-ical-events` (RRULE and RDATE, with EXDATE and moved or changed
occurrences given by RECURRENCE-ID). Times with a TZID or in UTC keep their instant; floating times (no
zone) are read in the therapist's zone. All-day and cancelled events are left out, and so are events shorter
than a session can be or longer than a working day, and series repeating more often than daily — they are
never sessions, and expanding them could take very long.
"""

import datetime
import time
import zoneinfo
from dataclasses import dataclass, field

import icalendar
import recurring_ical_events
from django.utils.translation import gettext

MAX_BYTES = 10 * 2**20
MAX_OCCURRENCES = 5000  # in the window; a therapist's year of sessions is well under this
MAX_WINDOW_DAYS = 366
MAX_SECONDS = 20  # reading a calendar that takes longer is refused rather than holding a server worker
DEFAULT_MINUTES = 50  # an event with no end is taken as a session of the usual length
SHORTEST, LONGEST = 5, 480  # minutes, as a session may be (therapy.Session's constraint)
SLACK = datetime.timedelta(days=2)  # more than any two zones' offsets apart
TOO_FREQUENT = {"SECONDLY", "MINUTELY", "HOURLY"}
# What a calendar library may raise on a broken property, rule or time zone.
BROKEN = (ValueError, KeyError, TypeError, AttributeError, IndexError, OverflowError, LookupError)


class ReadError(ValueError):
    """The calendar cannot be imported; the message says why, in words a therapist can act on."""


@dataclass(frozen=True)
class Occurrence:
    """One event on one day, as the calendar says it; its title is only ever held in memory."""

    uid: str
    recurrence: str  # which occurrence of a recurring event ("" for a single event), as UTC or floating text
    title: str
    starts_at: datetime.datetime  # aware, in the therapist's zone
    minutes: int


@dataclass
class Reading:
    occurrences: list[Occurrence] = field(default_factory=list)
    left_out: dict[str, int] = field(default_factory=dict)  # reason -> how many events

    def leave_out(self, reason: str) -> None:
        self.left_out[reason] = self.left_out.get(reason, 0) + 1


def parse_calendar(raw: bytes) -> icalendar.Calendar:
    """The calendar in the bytes, or a ReadError saying why they are not one."""
    if len(raw) > MAX_BYTES:
        raise ReadError(
            gettext("The calendar is larger than {mb} MB; export a shorter period.").format(mb=MAX_BYTES // 2**20)
        )
    if not raw.strip():
        raise ReadError(gettext("The file is empty."))
    try:
        calendar = icalendar.Calendar.from_ical(raw)
    except BROKEN:
        raise ReadError(gettext("This is not an iCalendar (.ics) file, or it is damaged.")) from None
    if not isinstance(calendar, icalendar.Calendar) or calendar.name != "VCALENDAR":
        raise ReadError(gettext("This is not an iCalendar (.ics) file: it holds no VCALENDAR."))
    if not calendar.walk("VEVENT"):
        raise ReadError(gettext("The calendar holds no events."))
    return calendar


def window(zone: zoneinfo.ZoneInfo, since: datetime.date, until: datetime.date) -> tuple[datetime.datetime, ...]:
    """From the start of `since` to the end of `until`, in the therapist's zone."""
    if until < since:
        raise ReadError(gettext("The window ends before it starts."))
    if (until - since).days >= MAX_WINDOW_DAYS:
        raise ReadError(
            gettext("Choose a window of at most {days} days; import a longer past in parts.").format(
                days=MAX_WINDOW_DAYS
            )
        )
    start = datetime.datetime.combine(since, datetime.time.min, zone)
    return start, datetime.datetime.combine(until + datetime.timedelta(days=1), datetime.time.min, zone)


def read_calendar(raw: bytes, *, zone: zoneinfo.ZoneInfo, since: datetime.date, until: datetime.date) -> Reading:
    """Every occurrence that starts in the window, in order; a broken calendar is a ReadError."""
    start, end = window(zone, since, until)
    calendar = parse_calendar(raw)
    reading = Reading()
    deadline = time.monotonic() + MAX_SECONDS
    try:
        _drop_too_frequent(calendar, reading)
        recurring = _recurring_uids(calendar)
        for component in recurring_ical_events.of(calendar).after(start):
            if time.monotonic() > deadline:
                raise ReadError(gettext("The calendar takes too long to read; choose a shorter window."))
            begins = _begins(component, zone)
            if begins >= end + SLACK:
                break  # occurrences come in order of their start (floating ones roughly: hence the slack)
            if start <= begins < end:
                _add(reading, component, begins, zone, recurring)
    except ReadError:
        raise
    except BROKEN as error:
        raise ReadError(
            gettext("An event in the calendar cannot be read ({error}).").format(error=error.__class__.__name__)
        ) from None
    reading.occurrences.sort(key=lambda o: o.starts_at)
    return reading


def _add(
    reading: Reading,
    component: icalendar.Event,
    begins: datetime.datetime | None,
    zone: zoneinfo.ZoneInfo,
    recurring: set[str],
) -> None:
    if not isinstance(component.start, datetime.datetime):
        reading.leave_out("all-day")
        return
    if str(component.get("STATUS", "")).upper() == "CANCELLED":
        reading.leave_out("cancelled")
        return
    ends = _aware(component.end, zone) if component.get("DTEND") or component.get("DURATION") else begins
    minutes = round((ends - begins).total_seconds() / 60) or DEFAULT_MINUTES
    if not SHORTEST <= minutes <= LONGEST:
        reading.leave_out("not the length of a session")
        return
    if len(reading.occurrences) >= MAX_OCCURRENCES:
        raise ReadError(
            gettext("The window holds more than {count} events; choose a shorter one.").format(count=MAX_OCCURRENCES)
        )
    title = str(component.get("SUMMARY", "")).strip()
    uid = str(component.get("UID", "")).strip()
    recurrence = _recurrence_text(component) if uid in recurring else ""
    if not uid:  # required by the standard, yet some exports leave it out
        uid, recurrence = f"no-uid\0{title}", begins.astimezone(datetime.UTC).isoformat()
    reading.occurrences.append(Occurrence(uid, recurrence, title, begins.astimezone(zone), minutes))


def _drop_too_frequent(calendar: icalendar.Calendar, reading: Reading) -> None:
    kept = []
    for component in calendar.subcomponents:
        rule = component.get("RRULE") if component.name == "VEVENT" else None
        rules = rule if isinstance(rule, list) else [rule] if rule is not None else []
        if any(str(r.get("FREQ", [""])[0]).upper() in TOO_FREQUENT for r in rules):
            reading.leave_out("repeats more often than daily")
            continue
        kept.append(component)
    calendar.subcomponents[:] = kept


def _recurring_uids(calendar: icalendar.Calendar) -> set[str]:
    """The events that repeat, or have a moved occurrence: their occurrences are told apart by recurrence id."""
    return {
        str(event.get("UID", "")).strip()
        for event in calendar.walk("VEVENT")
        if any(name in event for name in ("RRULE", "RDATE", "RECURRENCE-ID"))
    }


def _begins(component: icalendar.Event, zone: zoneinfo.ZoneInfo) -> datetime.datetime:
    moment = component.start
    if not isinstance(moment, datetime.datetime):  # an all-day event: its day, from midnight
        return datetime.datetime.combine(moment, datetime.time.min, zone)
    return _aware(moment, zone)


def _aware(moment: datetime.datetime, zone: zoneinfo.ZoneInfo) -> datetime.datetime:
    """A time with a zone keeps its instant; a floating one is read in the therapist's zone."""
    return moment if moment.tzinfo is not None else moment.replace(tzinfo=zone)


def _recurrence_text(component: icalendar.Event) -> str:
    """The occurrence's RECURRENCE-ID as text that is the same however the calendar wrote its zone."""
    value = component.get("RECURRENCE-ID")
    moment = value.dt if value is not None else component.start
    if isinstance(moment, datetime.datetime) and moment.tzinfo is not None:
        return moment.astimezone(datetime.UTC).isoformat()
    return moment.isoformat()
