import datetime

import pytest

from reciprocity.calendars import reading
from reciprocity.calendars.reading import ReadError, read_calendar
from reciprocity.calendars.tests.calendars import (
    INTAKE,
    LISBON,
    PRACTICE_ICS,
    SINCE,
    SUPERVISION,
    UNTIL,
    VIDEO,
    WEEKLY,
    at,
)

pytestmark = pytest.mark.engine_independent  # reads bytes, never the database


def starts(title: str, raw: bytes = PRACTICE_ICS) -> list[datetime.datetime]:
    found = read_calendar(raw, zone=LISBON, since=SINCE, until=UNTIL).occurrences
    return [o.starts_at for o in found if o.title == title]


def event(lines: str) -> bytes:
    body = "\r\n".join(line.strip() for line in lines.strip().splitlines())
    return f"BEGIN:VCALENDAR\r\nVERSION:2.0\r\nBEGIN:VEVENT\r\n{body}\r\nEND:VEVENT\r\nEND:VCALENDAR\r\n".encode()


def test_a_weekly_event_skips_its_excluded_date_follows_its_moved_one_and_keeps_the_wall_clock_over_dst():
    assert starts(WEEKLY) == [
        at("2026-03-05", 10),
        at("2026-03-20", 14),  # the 19th, moved to the next afternoon
        at("2026-03-26", 10),
        at("2026-04-02", 10),  # summer time since 29 March: still 10:00 in Lisbon, 09:00 UTC
        at("2026-04-09", 10),
    ]
    assert at("2026-04-02", 10).astimezone(datetime.UTC).hour == 9


def test_an_event_in_another_zone_keeps_its_instant_across_that_zones_own_dst_change():
    # 09:00 in New York is 14:00 in Lisbon before 8 March (EST) and 13:00 after (EDT), Lisbon still on winter time.
    assert starts(VIDEO) == [at("2026-03-03", 14), at("2026-03-10", 13), at("2026-03-17", 13)]


def test_floating_times_are_the_therapists_and_utc_times_keep_their_instant():
    assert starts(SUPERVISION) == [at("2026-03-10", 9)]
    assert starts(INTAKE) == [at("2026-03-11", 15)]


def test_lengths_come_from_the_end_or_the_duration():
    found = read_calendar(PRACTICE_ICS, zone=LISBON, since=SINCE, until=UNTIL).occurrences
    assert {o.title: o.minutes for o in found} == {WEEKLY: 50, VIDEO: 45, SUPERVISION: 60, INTAKE: 60}


def test_all_day_and_cancelled_events_are_left_out_and_counted():
    assert read_calendar(PRACTICE_ICS, zone=LISBON, since=SINCE, until=UNTIL).left_out == {"all-day": 1, "cancelled": 1}


def test_occurrences_of_a_recurring_event_are_told_apart_and_single_events_are_not_by_time():
    found = read_calendar(PRACTICE_ICS, zone=LISBON, since=SINCE, until=UNTIL).occurrences
    weekly = [o.recurrence for o in found if o.title == WEEKLY]
    assert len(set(weekly)) == 5 and "2026-03-19T10:00:00+00:00" in weekly  # the moved one by its original date
    assert [o.recurrence for o in found if o.title == INTAKE] == [""]  # moving a single event keeps its identity


def test_the_window_is_whole_days_in_the_therapists_zone():
    found = read_calendar(PRACTICE_ICS, zone=LISBON, since=datetime.date(2026, 3, 20), until=datetime.date(2026, 3, 26))
    assert [o.starts_at for o in found.occurrences] == [at("2026-03-20", 14), at("2026-03-26", 10)]


def test_an_event_without_an_end_is_a_session_of_the_usual_length():
    raw = event("UID:a\nSUMMARY:x\nDTSTART:20260302T100000Z")
    assert [o.minutes for o in read_calendar(raw, zone=LISBON, since=SINCE, until=UNTIL).occurrences] == [50]


def test_events_no_session_could_be_are_left_out():
    long = event("UID:a\nSUMMARY:x\nDTSTART:20260302T080000Z\nDTEND:20260302T180000Z")
    hourly = event("UID:b\nSUMMARY:y\nDTSTART:20260302T080000Z\nRRULE:FREQ=MINUTELY")
    assert read_calendar(long, zone=LISBON, since=SINCE, until=UNTIL).left_out == {"not the length of a session": 1}
    assert read_calendar(hourly, zone=LISBON, since=SINCE, until=UNTIL).left_out == {"repeats more often than daily": 1}


@pytest.mark.parametrize(
    ("raw", "message"),
    [
        (b"", "The file is empty."),
        (b"Client,When\nN-0007,2026-03-02\n", "not an iCalendar"),
        (b"\x89PNG\r\n\x1a\n\x00\x00", "not an iCalendar"),
        (b"BEGIN:VCARD\r\nFN:x\r\nEND:VCARD\r\n", "holds no VCALENDAR"),
        (b"BEGIN:VCALENDAR\r\nVERSION:2.0\r\nEND:VCALENDAR\r\n", "holds no events"),
        (event("UID:a\nDTSTART:2026XX"), "An event in the calendar cannot be read"),
        (event("UID:a\nSUMMARY:x"), "An event in the calendar cannot be read"),
        (event("UID:a\nDTSTART:20260302T100000Z\nRRULE:FREQ=SOMETIMES"), "An event in the calendar cannot be read"),
    ],
)
def test_a_bad_file_is_refused_with_a_reason(raw, message):
    with pytest.raises(ReadError, match=message):
        read_calendar(raw, zone=LISBON, since=SINCE, until=UNTIL)


def test_a_file_past_the_size_limit_is_refused(monkeypatch):
    monkeypatch.setattr(reading, "MAX_BYTES", 1000)
    with pytest.raises(ReadError, match="larger than"):
        read_calendar(PRACTICE_ICS, zone=LISBON, since=SINCE, until=UNTIL)


def test_a_window_too_long_or_backwards_is_refused():
    with pytest.raises(ReadError, match="at most 366 days"):
        read_calendar(PRACTICE_ICS, zone=LISBON, since=datetime.date(2025, 1, 1), until=UNTIL)
    with pytest.raises(ReadError, match="ends before it starts"):
        read_calendar(PRACTICE_ICS, zone=LISBON, since=UNTIL, until=SINCE)


def test_a_window_with_too_many_events_is_refused(monkeypatch):
    monkeypatch.setattr(reading, "MAX_OCCURRENCES", 3)
    with pytest.raises(ReadError, match="more than 3 events"):
        read_calendar(PRACTICE_ICS, zone=LISBON, since=SINCE, until=UNTIL)
