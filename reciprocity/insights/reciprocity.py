"""The reciprocity profile and its weekly trend: pure functions over a therapist's reflections.

Each reflection is a row: when it happened (timezone-aware), then its rating on each dimension, 0 (not
touched) to 4 (strongly), in the order of the keys given. The dashboard reads a few dozen of them, so these
are plain Python: building data frames for so few rows cost the page several times the arithmetic.
"""

import datetime
from collections.abc import Sequence
from dataclasses import dataclass

MIN_REFLECTIONS = 3  # below this many in a window, a mean says more about chance than about the work

Row = tuple  # (occurred_at, rating of keys[0], rating of keys[1], ...)


def _means(rows: Sequence[Row], keys: Sequence[str]) -> dict[str, float | None]:
    """The mean rating per key; None (unknown, never zero) without rows."""
    if not rows:
        return dict.fromkeys(keys)
    return {key: sum(row[i] for row in rows) / len(rows) for i, key in enumerate(keys, start=1)}


@dataclass(frozen=True)
class Profile:
    """Mean rating per dimension (0–4) in the recent window and in the baseline window before it."""

    recent: dict[str, float | None]
    baseline: dict[str, float | None]
    n_recent: int
    n_baseline: int

    def change(self, key: str) -> float | None:
        """Recent minus baseline, in rating points (−4 to +4); None when either is unknown."""
        recent, baseline = self.recent[key], self.baseline[key]
        return None if recent is None or baseline is None else recent - baseline

    @property
    def has_recent(self) -> bool:
        return self.n_recent >= MIN_REFLECTIONS

    @property
    def has_baseline(self) -> bool:
        return self.n_baseline >= MIN_REFLECTIONS


def dimension_profile(
    rows: Sequence[Row],
    keys: Sequence[str],
    *,
    now: datetime.datetime,
    recent_weeks: int = 4,
    baseline_weeks: int = 12,
) -> Profile:
    """Compare the last `recent_weeks` weeks with the `baseline_weeks` weeks before them.

    Both windows end at `now`'s side: recent = (now − recent, now], baseline = (now − recent − baseline,
    now − recent], in exact weeks of elapsed time whatever the clocks did in between.
    """
    now = now.astimezone(datetime.UTC)  # local arithmetic would move an edge by an hour across a clock change
    recent_start = now - datetime.timedelta(weeks=recent_weeks)
    baseline_start = recent_start - datetime.timedelta(weeks=baseline_weeks)
    recent = [row for row in rows if recent_start < row[0] <= now]
    baseline = [row for row in rows if baseline_start < row[0] <= recent_start]
    return Profile(_means(recent, keys), _means(baseline, keys), len(recent), len(baseline))


def monday_of(when: datetime.datetime, zone: datetime.tzinfo) -> datetime.date:
    """The Monday of the calendar week `when` falls in, on `zone`'s wall clock."""
    day = when.astimezone(zone).date()
    return day - datetime.timedelta(days=day.weekday())


@dataclass(frozen=True)
class WeeklyMeans:
    """The last weeks' Mondays (oldest first), the reflections of each and each dimension's mean rating in each
    (None for a week without reflections, never zero: a quiet week is not a week in which nothing was gained)."""

    weeks: list[datetime.date]
    n: list[int]
    means: dict[str, list[float | None]]


def weekly_means(rows: Sequence[Row], keys: Sequence[str], *, now: datetime.datetime, weeks: int = 16) -> WeeklyMeans:
    """Mean rating per dimension for each of the last `weeks` calendar weeks (Monday start, in `now`'s zone)."""
    zone = now.tzinfo or datetime.UTC
    last = monday_of(now, zone)
    mondays = [last - datetime.timedelta(weeks=weeks - 1 - i) for i in range(weeks)]
    by_week: dict[datetime.date, list[Row]] = {monday: [] for monday in mondays}
    for row in rows:
        by_week.get(monday_of(row[0], zone), []).append(row)
    means = [_means(by_week[monday], keys) for monday in mondays]
    return WeeklyMeans(
        weeks=mondays,
        n=[len(by_week[monday]) for monday in mondays],
        means={key: [week[key] for week in means] for key in keys},
    )


@dataclass(frozen=True)
class DimensionSummary:
    """One dimension's line on the dashboard: window means (0–4), their change, and the weekly series."""

    key: str
    recent: float | None
    baseline: float | None
    change: float | None
    weekly: list[float | None]

    @property
    def latest(self) -> float | None:
        """The mean of the most recent week that has reflections."""
        return next((v for v in reversed(self.weekly) if v is not None), None)


def summarise(profile: Profile, weekly: WeeklyMeans, keys: Sequence[str]) -> list[DimensionSummary]:
    """Join the profile and the weekly means per dimension."""
    return [
        DimensionSummary(
            key=key,
            recent=profile.recent[key],
            baseline=profile.baseline[key],
            change=profile.change(key),
            weekly=weekly.means[key],
        )
        for key in keys
    ]
