"""Weekly series of one therapist's flywheel: reciprocity, well-being, load and client outcomes.

Pure functions over the weekly figures (`insights/figures.py` keeps them on write). Weeks are calendar
weeks (Monday start) on the therapist's wall clock. A week without data is NaN, never zero.
"""

import datetime
from collections.abc import Sequence

import numpy as np
import pandas as pd


def week_index(now: datetime.datetime, weeks: int) -> pd.DatetimeIndex:
    """The Mondays of the last `weeks` calendar weeks in `now`'s zone, oldest first, as naive local dates."""
    local_now = pd.Timestamp(now).tz_localize(None).normalize()
    return pd.date_range(end=local_now - pd.Timedelta(days=local_now.weekday()), periods=weeks, freq="7D")


ZERO_WHEN_EMPTY = {"sessions": 0.0, "hours": 0.0, "back_to_back": 0.0, "supervision": 0.0, "days_off": 7.0}
LOAD_COLUMNS = ["sessions", "hours", "trauma_share", "load", "calm", "tired", "back_to_back", "days_off",
                "reflected_share"]  # fmt: skip


def weekly_frame(figures: Sequence[dict], keys: Sequence[str], index: pd.DatetimeIndex) -> pd.DataFrame:
    """The weekly figures (rows of `insights.WeekFigures` as dicts) as one frame over the weeks of `index`.

    Columns: the mean rating per dimension (0–4), the reciprocity index and supervision reflections; sessions,
    hours, trauma share (0–1), mean emotional load, arrival calm and tiredness, back-to-back sessions, days
    without a session and the share reflected on; the latest score of each check-in scale ("<instrument
    id>.<scale id>"); and mean client improvement in reliable-change units. A week with nothing in it has
    zero sessions, hours and back-to-back sessions, seven days off and no supervision; every other value of
    it is NaN, never zero.
    """
    position = {week: i for i, week in enumerate(index.date)}
    rows = [(position[row["week"]], row) for row in figures if row["week"] in position]
    scales = sorted({scale for _, row in rows for scale in row["checkins"]})
    names = [*keys, "reciprocity", "supervision", *LOAD_COLUMNS, *scales, "client_improvement"]
    columns = {name: np.full(len(index), ZERO_WHEN_EMPTY.get(name, np.nan)) for name in names}
    stored = [name for name in names if name not in {*keys, *scales, "days_off"}]  # a field of each row
    for i, row in rows:
        for name in stored:
            columns[name][i] = np.nan if row[name] is None else row[name]
        for key in keys:
            columns[key][i] = np.nan if row["dimensions"].get(key) is None else row["dimensions"][key]
        for scale, value in row["checkins"].items():
            columns[scale][i] = value
        columns["days_off"][i] = 7 - bin(row["session_days"]).count("1")
    return pd.DataFrame(columns, index=index)


def session_days(figures: Sequence[dict]) -> list[datetime.date]:
    """The days with at least one session, from the weekly figures' day marks, oldest first."""
    days = datetime.timedelta
    return [row["week"] + days(d) for row in figures for d in range(7) if row["session_days"] >> d & 1]


def trend_per_week(values: pd.Series, *, last: int = 8) -> float | None:
    """Least-squares slope over the last `last` weeks that have a value (units per week); None with fewer than 4."""
    recent = values.iloc[-last:].dropna()
    if len(recent) < 4 or recent.nunique() == 1:
        return 0.0 if len(recent) >= 4 else None
    x = np.array([(d - recent.index[0]).days / 7 for d in recent.index])
    return float(np.polyfit(x, recent.to_numpy(dtype=float), 1)[0])
