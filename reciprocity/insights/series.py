"""Weekly series of one therapist's flywheel: reciprocity, well-being, load and client outcomes.

Pure functions over the frames of `insights.selectors`. Weeks are calendar weeks (Monday start) on
the therapist's wall clock. A week without data is NaN, never zero.
"""

import datetime
from collections.abc import Sequence

import numpy as np
import pandas as pd

BACK_TO_BACK_MINUTES = 15  # a session starting this soon after the previous one ends has no real break


def week_index(now: datetime.datetime, weeks: int) -> pd.DatetimeIndex:
    """The Mondays of the last `weeks` calendar weeks in `now`'s zone, oldest first, as naive local dates."""
    local_now = pd.Timestamp(now).tz_localize(None).normalize()
    return pd.date_range(end=local_now - pd.Timedelta(days=local_now.weekday()), periods=weeks, freq="7D")


def week_of(times: pd.Series, zone: datetime.tzinfo) -> pd.Series:
    """The Monday (naive local date) of the calendar week each UTC time falls in, on `zone`'s wall clock."""
    days = times.dt.tz_convert(zone).dt.tz_localize(None).dt.normalize()
    return days - pd.to_timedelta(days.dt.day_of_week, unit="D")


def load_series(sessions: pd.DataFrame, index: pd.DatetimeIndex, zone: datetime.tzinfo) -> pd.DataFrame:
    """Sessions, hours, trauma share (0–1), mean emotional load (0–10), arrival calm and tiredness,
    back-to-back sessions, days without a session, and the share of sessions reflected on (0–1)."""
    columns = [
        "sessions",
        "hours",
        "trauma_share",
        "load",
        "calm",
        "tired",
        "back_to_back",
        "days_off",
        "reflected_share",
    ]
    if sessions.empty:
        frame = pd.DataFrame(index=index, columns=columns, dtype=float)
        frame[["sessions", "hours", "back_to_back"]] = 0.0
        frame["days_off"] = 7.0
        return frame
    data = sessions.sort_values("starts_at").assign(week=week_of(sessions["starts_at"], zone))
    ends = data["starts_at"] + pd.to_timedelta(data["duration_minutes"], unit="m")
    gap = (data["starts_at"] - ends.shift()).dt.total_seconds() / 60
    data["back_to_back"] = (gap >= 0) & (gap <= BACK_TO_BACK_MINUTES)
    data["day"] = data["starts_at"].dt.tz_convert(zone).dt.tz_localize(None).dt.normalize()
    grouped = data.groupby("week")
    frame = pd.DataFrame(
        {
            "sessions": grouped.size(),
            "hours": grouped["duration_minutes"].sum() / 60,
            "trauma_share": grouped["worked_with_trauma"].mean(),
            "load": grouped["emotional_load"].mean(),
            "calm": grouped["arrival_calm"].mean(),
            "tired": grouped["arrival_tiredness"].mean(),
            "back_to_back": grouped["back_to_back"].sum(),
            "days_off": 7 - grouped["day"].nunique(),
            "reflected_share": grouped["reflected"].mean(),
        }
    ).reindex(index)
    frame[["sessions", "hours", "back_to_back"]] = frame[["sessions", "hours", "back_to_back"]].fillna(0.0)
    frame["days_off"] = frame["days_off"].fillna(7.0)
    return frame.astype(float)


def reciprocity_series(
    reflections: pd.DataFrame, keys: Sequence[str], index: pd.DatetimeIndex, zone: datetime.tzinfo
) -> pd.DataFrame:
    """Mean rating per dimension (0–4), the reciprocity index (their mean) and supervision reflections per week."""
    if reflections.empty:
        frame = pd.DataFrame(index=index, columns=[*keys, "reciprocity", "supervision"], dtype=float)
        frame["supervision"] = 0.0
        return frame
    data = reflections.assign(week=week_of(reflections["occurred_at"], zone))
    data["reciprocity"] = data[list(keys)].mean(axis=1)
    data["supervision"] = data["occasion"] == "supervision"
    grouped = data.groupby("week")
    frame = grouped[[*keys, "reciprocity"]].mean().join(grouped["supervision"].sum()).reindex(index)
    frame["supervision"] = frame["supervision"].fillna(0.0)
    return frame.astype(float)


def checkin_series(checkins: pd.DataFrame, index: pd.DatetimeIndex, zone: datetime.tzinfo) -> pd.DataFrame:
    """The latest score of each check-in scale in each week, one column per "<instrument id>.<scale id>"."""
    if checkins.empty:
        return pd.DataFrame(index=index, dtype=float)
    data = checkins.sort_values("completed_at").assign(week=week_of(checkins["completed_at"], zone))
    return data.pivot_table(index="week", columns="scale", values="score", aggfunc="last").reindex(index).astype(float)


def outcome_series(outcomes: pd.DataFrame, index: pd.DatetimeIndex, zone: datetime.tzinfo) -> pd.DataFrame:
    """Mean client improvement per week, in reliable-change units (above 1 = reliably better)."""
    if outcomes.empty:
        return pd.DataFrame({"client_improvement": np.nan}, index=index)
    data = outcomes.assign(week=week_of(outcomes["completed_at"], zone))
    return (
        data.groupby("week")[["improvement"]]
        .mean()
        .rename(columns={"improvement": "client_improvement"})
        .reindex(index)
    )


def weekly_series(
    *,
    sessions: pd.DataFrame,
    reflections: pd.DataFrame,
    checkins: pd.DataFrame,
    outcomes: pd.DataFrame,
    keys: Sequence[str],
    now: datetime.datetime,
    weeks: int,
) -> pd.DataFrame:
    """Everything above side by side, one row per week (index: the week's Monday)."""
    index, zone = week_index(now, weeks), now.tzinfo
    parts = [
        reciprocity_series(reflections, keys, index, zone),
        load_series(sessions, index, zone),
        checkin_series(checkins, index, zone),
        outcome_series(outcomes, index, zone),
    ]
    return pd.concat(parts, axis=1)


def trend_per_week(values: pd.Series, *, last: int = 8) -> float | None:
    """Least-squares slope over the last `last` weeks that have a value (units per week); None with fewer than 4."""
    recent = values.iloc[-last:].dropna()
    if len(recent) < 4 or recent.nunique() == 1:
        return 0.0 if len(recent) >= 4 else None
    x = np.array([(d - recent.index[0]).days / 7 for d in recent.index])
    return float(np.polyfit(x, recent.to_numpy(dtype=float), 1)[0])
