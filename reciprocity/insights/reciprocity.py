"""The reciprocity profile and its weekly trend: pure functions over a frame of reflections.

The frame has one row per reflection: `occurred_at` (timezone-aware) and one column per
dimension key holding its rating, 0 (not touched) to 4 (strongly).
"""

import datetime
from collections.abc import Sequence
from dataclasses import dataclass

import pandas as pd

from reciprocity.insights.series import week_index, week_of

MIN_REFLECTIONS = 3  # below this many in a window, a mean says more about chance than about the work


@dataclass(frozen=True)
class Profile:
    """Mean rating per dimension (0–4) in the recent window and in the baseline window before it."""

    table: pd.DataFrame  # index: dimension key; columns: recent, baseline, change
    n_recent: int
    n_baseline: int

    @property
    def has_recent(self) -> bool:
        return self.n_recent >= MIN_REFLECTIONS

    @property
    def has_baseline(self) -> bool:
        return self.n_baseline >= MIN_REFLECTIONS


def dimension_profile(
    frame: pd.DataFrame,
    keys: Sequence[str],
    *,
    now: datetime.datetime,
    recent_weeks: int = 4,
    baseline_weeks: int = 12,
) -> Profile:
    """Compare the last `recent_weeks` weeks with the `baseline_weeks` weeks before them.

    Both windows end at `now`'s side: recent = (now − recent, now], baseline = (now − recent − baseline,
    now − recent]. `change` is recent minus baseline, in rating points (−4 to +4).
    """
    recent_start = pd.Timestamp(now) - pd.Timedelta(weeks=recent_weeks)
    baseline_start = recent_start - pd.Timedelta(weeks=baseline_weeks)
    when = frame["occurred_at"]
    recent = frame[(when > recent_start) & (when <= pd.Timestamp(now))]
    baseline = frame[(when > baseline_start) & (when <= recent_start)]
    table = pd.DataFrame(
        {"recent": recent[list(keys)].mean(), "baseline": baseline[list(keys)].mean()}, index=list(keys)
    ).astype(float)
    table["change"] = table["recent"] - table["baseline"]
    return Profile(table=table, n_recent=len(recent), n_baseline=len(baseline))


def weekly_means(frame: pd.DataFrame, keys: Sequence[str], *, now: datetime.datetime, weeks: int = 16) -> pd.DataFrame:
    """Mean rating per dimension for each of the last `weeks` calendar weeks (Monday start, in `now`'s zone).

    Index: the Monday of each week, oldest first; a week without reflections is NaN, never zero,
    so a quiet week is not mistaken for a week in which nothing was gained. Column `n` counts reflections.
    """
    local = frame.assign(week=week_of(frame["occurred_at"], now.tzinfo))
    grouped = local.groupby("week")
    means = grouped[list(keys)].mean().astype(float)
    means["n"] = grouped.size()
    result = means.reindex(week_index(now, weeks))
    result["n"] = result["n"].fillna(0).astype(int)
    return result


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


def summarise(profile: Profile, weekly: pd.DataFrame, keys: Sequence[str]) -> list[DimensionSummary]:
    """Join the profile and the weekly means per dimension; unknown values (no reflections) become None."""

    def known(value: float) -> float | None:
        return None if pd.isna(value) else float(value)

    return [
        DimensionSummary(
            key=key,
            recent=known(profile.table.at[key, "recent"]),
            baseline=known(profile.table.at[key, "baseline"]),
            change=known(profile.table.at[key, "change"]),
            weekly=[known(v) for v in weekly[key]],
        )
        for key in keys
    ]
