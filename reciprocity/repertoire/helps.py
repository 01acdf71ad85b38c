"""What helps me: the therapist's own well-being and mood after (rated in reflections) on the days after trying
an item, compared with their other days. Pure functions over dates and values, no ORM inside.

A day "after a try" runs from the day of a try to `window_days` days later; every other day with a value is
a comparison day. The difference is the mean of the after-try days minus the mean of the other days, each
day counting once (the mean of its values), with a 95 % Welch t interval. This is observational: it says
what went with the tries in the therapist's own data, never what the tries did.
"""

import datetime
import math
from collections import defaultdict
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass

import numpy as np
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _

from reciprocity.lib.intervals import t_half_width

MIN_TRIES = 5  # fewer tries of an item: nothing is estimated
MIN_DAYS = 3  # observed days needed on each side (after tries, other days)
CONFIDENCE = 0.95


@dataclass(frozen=True)
class Outcome:
    """One of the therapist's own figures, and how long after a try a day of it counts as "after"."""

    key: str
    label: str  # as a page shows it (translated when shown)
    unit: str
    window_days: int  # the day of the try and this many days after it


# WHO-5 (0–100, higher is better) is taken weekly and asks about the last two weeks: a week after a try.
WELLBEING = Outcome("wellbeing", _("Well-being (WHO-5, 0–100)"), _("points"), 6)
# Mood after, rated in a reflection on a session or another occasion (1–10, higher is better): the day of a try
# and the 3 days after.
MOOD_AFTER = Outcome("mood_after", _("Mood after (1–10, from reflections)"), _("points"), 3)
OUTCOMES = (WELLBEING, MOOD_AFTER)


@dataclass(frozen=True)
class Comparison:
    """One outcome on the days after an item's tries against the other days; estimates None when too few."""

    outcome: Outcome
    after_days: int
    other_days: int
    difference: float | None = None  # after-try days minus other days, in the outcome's unit
    low: float | None = None
    high: float | None = None

    @property
    def is_estimated(self) -> bool:
        return self.difference is not None

    @property
    def verdict(self) -> str:
        if self.difference is None or self.low is None or self.high is None:
            return gettext("not enough data")
        if self.low > 0:
            return gettext("higher after tries")
        if self.high < 0:
            return gettext("lower after tries")
        return gettext("no clear difference")


@dataclass(frozen=True)
class Helps:
    """An item's tries and, from MIN_TRIES on, one comparison per outcome."""

    tries: int
    comparisons: tuple[Comparison, ...] = ()

    @property
    def has_enough_tries(self) -> bool:
        return self.tries >= MIN_TRIES


def daily_means(values: Iterable[tuple[datetime.date, float]]) -> dict[datetime.date, float]:
    """The mean value of each day that has one: several check-ins or reflections on a day count as one day."""
    by_day: dict[datetime.date, list[float]] = defaultdict(list)
    for day, value in values:
        by_day[day].append(float(value))
    return {day: sum(day_values) / len(day_values) for day, day_values in by_day.items()}


def days_after(tries: Iterable[datetime.date], window_days: int) -> set[datetime.date]:
    """Every day from a try's day to `window_days` days after it, for all tries."""
    return {tried + datetime.timedelta(days=n) for tried in tries for n in range(window_days + 1)}


def welch_interval(after: Sequence[float], other: Sequence[float]) -> tuple[float, float, float] | None:
    """The difference of means (after − other) with its 95 % Welch t interval (Welch–Satterthwaite degrees
    of freedom); None when neither side varies, as no interval can then be drawn."""
    a, b = np.asarray(after, dtype=float), np.asarray(other, dtype=float)
    share_a, share_b = a.var(ddof=1) / len(a), b.var(ddof=1) / len(b)
    spread = math.sqrt(share_a + share_b)
    if spread == 0:
        return None
    freedom = (share_a + share_b) ** 2 / (share_a**2 / (len(a) - 1) + share_b**2 / (len(b) - 1))
    half = t_half_width(spread, freedom, CONFIDENCE)
    difference = float(a.mean() - b.mean())
    return difference, difference - half, difference + half


def compare(tries: Sequence[datetime.date], daily: Mapping[datetime.date, float], outcome: Outcome) -> Comparison:
    """One outcome's daily values on the days after the tries against its other days (MIN_DAYS on each side)."""
    after_tries = days_after(tries, outcome.window_days)
    after = [value for day, value in daily.items() if day in after_tries]
    other = [value for day, value in daily.items() if day not in after_tries]
    if len(after) < MIN_DAYS or len(other) < MIN_DAYS or (found := welch_interval(after, other)) is None:
        return Comparison(outcome, len(after), len(other))
    return Comparison(outcome, len(after), len(other), *found)


def what_helps(tries: Sequence[datetime.date], daily: Mapping[str, Mapping[datetime.date, float]]) -> Helps:
    """Each outcome (keyed as in OUTCOMES) after an item's tries against other days; none below MIN_TRIES."""
    if len(tries) < MIN_TRIES:
        return Helps(len(tries))
    return Helps(len(tries), tuple(compare(tries, daily.get(o.key, {}), o) for o in OUTCOMES))
