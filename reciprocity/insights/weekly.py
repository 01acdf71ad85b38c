"""The weekly insight: one thing that goes with the therapist's better and harder weeks, with its uncertainty."""

from dataclasses import dataclass

import numpy as np
import pandas as pd

MIN_WEEKS_EACH = 6
BOOTSTRAP_DRAWS = 4000
MIN_EFFECT = 0.5  # in pooled standard deviations: smaller differences are not worth a sentence

FACTORS = {  # column: (what it is, its unit)
    "sessions": ("sessions", "sessions"),
    "trauma_share": ("share of sessions with trauma material", "percentage points"),
    "back_to_back": ("back-to-back sessions", "sessions"),
    "days_off": ("days without a session", "days"),
    "calm": ("calm on arrival", "points"),
    "tired": ("tiredness on arrival", "points"),
    "supervision": ("supervision reflections", "reflections"),
}


@dataclass(frozen=True)
class Insight:
    sentence: str
    factor: str | None = None
    difference: float | None = None
    low: float | None = None
    high: float | None = None
    good_weeks: int = 0
    hard_weeks: int = 0


def weekly_insight(weekly: pd.DataFrame, *, seed: int = 0) -> Insight:
    """Split weeks at the median reciprocity index; for each factor, bootstrap the difference of means
    (better − harder weeks) and report the clearest one whose interval excludes 0.

    Seven factors are compared, so each interval is a Bonferroni-corrected 99.3 % interval (5 % / 7), which
    keeps the chance of reporting something from pure noise near 5 %; a difference also has to be at
    least half a standard deviation. The sentence still shows the 95 % interval a reader expects.
    """
    data = weekly.dropna(subset=["reciprocity"])
    if data.empty:
        return Insight("Not enough data yet: reflect after sessions for a few weeks and this will fill in.")
    median = data["reciprocity"].median()
    good, hard = data[data["reciprocity"] > median], data[data["reciprocity"] <= median]
    if len(good) < MIN_WEEKS_EACH or len(hard) < MIN_WEEKS_EACH:
        return Insight(
            f"Not enough data yet: this needs at least {MIN_WEEKS_EACH} better and {MIN_WEEKS_EACH} harder weeks "
            f"with reflections (there are {len(good)} and {len(hard)}).",
            good_weeks=len(good), hard_weeks=len(hard),
        )  # fmt: skip
    rng = np.random.default_rng(seed)
    best: Insight | None = None
    best_size = 0.0
    for column in FACTORS:
        a, b = good[column].dropna().to_numpy(float), hard[column].dropna().to_numpy(float)
        if len(a) < MIN_WEEKS_EACH or len(b) < MIN_WEEKS_EACH or np.ptp(np.concatenate([a, b])) == 0:
            continue
        draws = rng.choice(a, (BOOTSTRAP_DRAWS, len(a))).mean(1) - rng.choice(b, (BOOTSTRAP_DRAWS, len(b))).mean(1)
        tail = 2.5 / len(FACTORS)
        strict_low, strict_high = np.percentile(draws, [tail, 100 - tail])
        low, high = np.percentile(draws, [2.5, 97.5])
        difference = a.mean() - b.mean()
        size = abs(difference) / np.concatenate([a, b]).std()
        if (strict_low > 0 or strict_high < 0) and size >= MIN_EFFECT and size > best_size:
            best_size = size
            best = Insight(
                _sentence(column, difference, low, high), column, difference, low, high, len(good), len(hard)
            )
    if best is None:
        return Insight(
            f"Nothing stands out yet between your better and harder weeks ({len(good)} and {len(hard)} compared).",
            good_weeks=len(good), hard_weeks=len(hard),
        )  # fmt: skip
    return best


def _sentence(column: str, difference: float, low: float, high: float) -> str:
    name, unit = FACTORS[column]
    scale = 100 if column == "trauma_share" else 1
    more = "more" if difference > 0 else "fewer" if unit in {"sessions", "days", "reflections"} else "less"
    if unit == "points" or unit == "percentage points":
        more = "higher" if difference > 0 else "lower"
    return (
        f"In your better weeks (reciprocity above your median), {name} was {abs(difference) * scale:.1f} {unit} "
        f"{more} on average than in your harder weeks (95% interval {low * scale:+.1f} to {high * scale:+.1f}). "
        "These go together in your data; it does not show that one causes the other."
    )
