"""A digest falls due at the wall-clock time the therapist chose, in their own zone, on days that are not quiet."""

import datetime

import pytest

from reciprocity.reminders.models import ReminderSettings
from reciprocity.reminders.schedule import due_day, next_digest_at
from reciprocity.reminders.services import send_due_digests
from reciprocity.reminders.tests.conftest import at, opt_in
from tests.builders import make_session


@pytest.fixture
def berlin(ana) -> ReminderSettings:
    ana.time_zone = "Europe/Berlin"
    ana.save()
    return opt_in(ana)


def test_reminders_are_off_by_default(ana, ana_client, mailoutbox):
    ana.email = "ana@example.org"
    ana.save()
    make_session(ana_client)  # something to remind her of
    assert not ReminderSettings.objects.filter(user=ana).exists()
    assert not send_due_digests(at(2026, 1, 14, 12, 0)).outcomes
    assert mailoutbox == []
    assert ReminderSettings(user=ana).wants_any is False  # the defaults of a new row ask for nothing either


def test_seven_in_berlin_is_six_utc_in_winter(berlin):
    assert due_day(berlin, at(2026, 1, 14, 5, 59)) is None
    assert due_day(berlin, at(2026, 1, 14, 6, 0)) == datetime.date(2026, 1, 14)


def test_seven_in_berlin_is_five_utc_in_summer(berlin):
    assert due_day(berlin, at(2026, 7, 14, 4, 59)) is None
    assert due_day(berlin, at(2026, 7, 14, 5, 0)) == datetime.date(2026, 7, 14)


def test_the_days_the_clocks_change_keep_seven_oclock(berlin):
    # 29 March 2026 the clocks go forward (CET to CEST), 25 October back.
    assert due_day(berlin, at(2026, 3, 28, 5, 59)) is None and due_day(berlin, at(2026, 3, 28, 6, 0))
    assert due_day(berlin, at(2026, 3, 29, 4, 59)) is None and due_day(berlin, at(2026, 3, 29, 5, 0))
    assert due_day(berlin, at(2026, 10, 25, 5, 59)) is None and due_day(berlin, at(2026, 10, 25, 6, 0))


def test_a_time_the_clocks_skip_is_reached_just_after_the_jump(berlin):
    berlin.send_at = datetime.time(2, 30)  # does not exist on 29 March 2026 in Berlin
    assert due_day(berlin, at(2026, 3, 29, 0, 59)) is None  # 01:59 CET
    assert due_day(berlin, at(2026, 3, 29, 1, 0)) == datetime.date(2026, 3, 29)  # 03:00 CEST


def test_the_date_is_the_therapists_own(berlin):
    berlin.send_at = datetime.time(0, 30)
    assert due_day(berlin, at(2026, 1, 14, 23, 30)) == datetime.date(2026, 1, 15)  # already the 15th in Berlin


def test_quiet_days_have_no_digest(berlin):
    berlin.quiet_days = [5, 6]  # Saturday and Sunday
    assert due_day(berlin, at(2026, 1, 17, 9, 0)) is None  # a Saturday
    assert due_day(berlin, at(2026, 1, 18, 9, 0)) is None  # a Sunday
    assert due_day(berlin, at(2026, 1, 19, 9, 0)) == datetime.date(2026, 1, 19)  # a Monday
    assert next_digest_at(berlin, at(2026, 1, 16, 9, 0)).date() == datetime.date(2026, 1, 19)


def test_a_quiet_day_sends_nothing_and_the_next_day_does(berlin, ana_client, mailoutbox):
    berlin.quiet_days = [5]
    berlin.save()
    make_session(ana_client, starts_at=at(2026, 1, 16, 9, 0))
    send_due_digests(at(2026, 1, 17, 8, 0))
    assert mailoutbox == []
    send_due_digests(at(2026, 1, 18, 8, 0))
    assert len(mailoutbox) == 1


def test_the_next_digest_is_today_before_the_time_and_tomorrow_after_it(berlin):
    seven = datetime.datetime(2026, 1, 14, 7, 0, tzinfo=berlin.user.zone)
    assert next_digest_at(berlin, at(2026, 1, 14, 5, 0)) == seven
    assert next_digest_at(berlin, at(2026, 1, 14, 7, 0)).date() == datetime.date(2026, 1, 15)
    berlin.quiet_days = list(range(7))
    assert next_digest_at(berlin, at(2026, 1, 14, 5, 0)) is None
