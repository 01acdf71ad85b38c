import datetime
import zoneinfo

import pytest

from reciprocity.insights.reciprocity import dimension_profile, summarise, weekly_means

KEYS = ("empathy", "boundaries")
UTC = datetime.UTC
NOW = datetime.datetime(2026, 3, 31, 12, 0, tzinfo=UTC)  # a Tuesday


def reflections(rows):
    """Reflections as the dashboard reads them: (occurred_at, empathy, boundaries), times in UTC."""
    return [(when.astimezone(UTC), empathy, boundaries) for when, empathy, boundaries in rows]


def days_ago(n):
    return NOW - datetime.timedelta(days=n)


def test_profile_compares_the_recent_window_with_the_baseline_before_it():
    data = reflections(
        [(days_ago(1), 4, 0), (days_ago(20), 2, 2), (days_ago(40), 1, 3), (days_ago(80), 3, 1), (days_ago(200), 0, 0)]
    )
    profile = dimension_profile(data, KEYS, now=NOW, recent_weeks=4, baseline_weeks=12)
    assert profile.n_recent == 2 and profile.n_baseline == 2  # 200 days ago is outside both windows
    assert profile.recent["empathy"] == pytest.approx(3.0)
    assert profile.baseline["empathy"] == pytest.approx(2.0)
    assert profile.change("boundaries") == pytest.approx(1.0 - 2.0)
    assert not profile.has_recent  # two reflections are too few to compare fairly


def test_profile_of_nothing_is_unknown_not_zero():
    profile = dimension_profile(reflections([]), KEYS, now=NOW)
    assert profile.recent["empathy"] is None and profile.change("empathy") is None
    assert profile.n_recent == 0


def test_window_edges_belong_to_the_later_window():
    edge = NOW - datetime.timedelta(weeks=4)
    profile = dimension_profile(reflections([(edge, 4, 4)]), KEYS, now=NOW)
    assert (profile.n_recent, profile.n_baseline) == (0, 1)


def test_window_edges_are_exact_weeks_across_a_clock_change():
    lisbon = zoneinfo.ZoneInfo("Europe/Lisbon")  # clocks go forward on 29 March 2026
    now = datetime.datetime(2026, 4, 1, 10, 0, tzinfo=lisbon)  # 09:00 UTC
    just_inside = datetime.datetime(2026, 3, 4, 9, 30, tzinfo=UTC)  # 4 weeks less half an hour before now
    profile = dimension_profile(reflections([(just_inside, 4, 4)]), KEYS, now=now)
    assert (profile.n_recent, profile.n_baseline) == (1, 0)


def test_weekly_means_put_each_reflection_in_its_monday_week_and_leave_gaps_empty():
    data = reflections([(days_ago(0), 4, 2), (days_ago(1), 2, 2), (days_ago(14), 1, 0)])
    weeks = weekly_means(data, KEYS, now=NOW, weeks=3)
    assert weeks.weeks == [
        datetime.date(2026, 3, 16),
        datetime.date(2026, 3, 23),
        datetime.date(2026, 3, 30),
    ]
    assert weeks.n == [1, 0, 2]
    assert weeks.means["empathy"][2] == pytest.approx(3.0)
    assert weeks.means["empathy"][1] is None


def test_weeks_follow_the_therapists_wall_clock():
    tokyo = zoneinfo.ZoneInfo("Asia/Tokyo")
    now = datetime.datetime(2026, 3, 30, 9, 0, tzinfo=tokyo)  # Monday morning in Tokyo
    sunday_evening_utc = datetime.datetime(2026, 3, 29, 20, 0, tzinfo=UTC)  # already Monday 05:00 in Tokyo
    weeks = weekly_means(reflections([(sunday_evening_utc, 3, 3)]), KEYS, now=now, weeks=2)
    assert weeks.n == [0, 1]


def test_weeks_across_a_clock_change_stay_on_mondays():
    lisbon = zoneinfo.ZoneInfo("Europe/Lisbon")  # clocks go forward on 29 March 2026
    now = datetime.datetime(2026, 4, 1, 10, 0, tzinfo=lisbon)
    monday_night = datetime.datetime(2026, 3, 23, 0, 30, tzinfo=lisbon)
    weeks = weekly_means(reflections([(monday_night, 2, 2)]), KEYS, now=now, weeks=2)
    assert all(d.weekday() == 0 for d in weeks.weeks)
    assert weeks.n == [1, 0]


def test_summary_turns_missing_means_into_none_and_finds_the_latest_week():
    data = reflections([(days_ago(1), 4, 2), (days_ago(15), 2, 2)])
    profile = dimension_profile(data, KEYS, now=NOW)
    summary = summarise(profile, weekly_means(data, KEYS, now=NOW, weeks=3), KEYS)
    empathy = summary[0]
    assert (empathy.key, empathy.recent, empathy.baseline) == ("empathy", 3.0, None)
    assert empathy.change is None
    assert empathy.weekly == [2.0, None, 4.0] and empathy.latest == 4.0
