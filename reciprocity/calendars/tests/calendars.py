"""The calendar the tests import: reciprocity/calendars/tests/data/practice.ics, and what it holds."""

import datetime
import zoneinfo
from pathlib import Path

PRACTICE_ICS = (Path(__file__).parent / "data" / "practice.ics").read_bytes()
LISBON = zoneinfo.ZoneInfo("Europe/Lisbon")  # Ana's zone
SINCE, UNTIL = datetime.date(2026, 3, 1), datetime.date(2026, 4, 30)
WINDOW = {"since": SINCE.isoformat(), "until": UNTIL.isoformat()}

WEEKLY = "Wilhelmina Quokkafeather"  # weekly, one date excluded, one moved, across Lisbon's change to summer time
VIDEO = "Video: Bartholomew Pinecone"  # weekly in New York's zone, across its own (earlier) change
SUPERVISION = "Supervision with Dr Okonkwo"  # once, at a floating time
INTAKE = "Intake Cornelius Brambleworth"  # once, in UTC, with a DURATION
DESCRIPTION = "Fernweh worksheet"  # from the weekly event's description
TITLES = (WEEKLY, VIDEO, SUPERVISION, INTAKE)


def at(day: str, hour: int, minute: int = 0) -> datetime.datetime:
    """A time on Ana's wall clock."""
    date = datetime.date.fromisoformat(day)
    return datetime.datetime.combine(date, datetime.time(hour, minute), LISBON)
