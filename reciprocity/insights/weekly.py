"""The weekly insight: one thing that goes with the therapist's better and harder weeks, with its uncertainty.

The insight is figures and a code (`Insight.finding`); its sentence is worded when read, in the reader's
language, so the insight can be remembered for any of them.
"""

from dataclasses import dataclass

import numpy as np
import pandas as pd
from django.utils.translation import gettext, pgettext_lazy
from django.utils.translation import gettext_lazy as _

from reciprocity.lib.numbers import number, signed

MIN_WEEKS_EACH = 6
BOOTSTRAP_DRAWS = 4000
MIN_EFFECT = 0.5  # in pooled standard deviations: smaller differences are not worth a sentence

FACTORS = {  # column: its name, and its difference (a number of its units) when higher and when lower
    "sessions": (
        pgettext_lazy("weekly insight", "sessions"),
        _("%(difference)s sessions more"), _("%(difference)s sessions fewer"),
    ),
    "trauma_share": (
        pgettext_lazy("weekly insight", "share of sessions with trauma material"),
        _("%(difference)s percentage points higher"), _("%(difference)s percentage points lower"),
    ),
    "back_to_back": (
        pgettext_lazy("weekly insight", "back-to-back sessions"),
        _("%(difference)s sessions more"), _("%(difference)s sessions fewer"),
    ),
    "days_off": (
        pgettext_lazy("weekly insight", "days without a session"),
        _("%(difference)s days more"), _("%(difference)s days fewer"),
    ),
    "calm": (
        pgettext_lazy("weekly insight", "calm on arrival"),
        _("%(difference)s points higher"), _("%(difference)s points lower"),
    ),
    "tired": (
        pgettext_lazy("weekly insight", "tiredness on arrival"),
        _("%(difference)s points higher"), _("%(difference)s points lower"),
    ),
    "supervision": (
        pgettext_lazy("weekly insight", "supervision reflections"),
        _("%(difference)s reflections more"), _("%(difference)s reflections fewer"),
    ),
}  # fmt: skip

NOT_ANALYSED, NO_DATA, TOO_FEW, NOTHING, FOUND = "", "no_data", "too_few", "nothing", "found"


@dataclass(frozen=True)
class Insight:
    finding: str = NOT_ANALYSED  # NO_DATA, TOO_FEW, NOTHING or FOUND (with `factor` and its figures)
    factor: str | None = None
    difference: float | None = None
    low: float | None = None
    high: float | None = None
    good_weeks: int = 0
    hard_weeks: int = 0

    @property
    def sentence(self) -> str:
        """The insight in one sentence, in the active language (empty when the weeks were not analysed)."""
        return describe(self)


def weekly_insight(weekly: pd.DataFrame, *, seed: int = 0) -> Insight:
    """Split weeks at the median reciprocity index; for each factor, bootstrap the difference of means
    (better − harder weeks) and report the clearest one whose interval excludes 0.

    Seven factors are compared, so each interval is a Bonferroni-corrected 99.3 % interval (5 % / 7), which
    keeps the chance of reporting something from pure noise near 5 %; a difference also has to be at
    least half a standard deviation. The sentence still shows the 95 % interval a reader expects.
    """
    data = weekly.dropna(subset=["reciprocity"])
    if data.empty:
        return Insight(NO_DATA)
    median = data["reciprocity"].median()
    good, hard = data[data["reciprocity"] > median], data[data["reciprocity"] <= median]
    if len(good) < MIN_WEEKS_EACH or len(hard) < MIN_WEEKS_EACH:
        return Insight(TOO_FEW, good_weeks=len(good), hard_weeks=len(hard))
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
            best = Insight(FOUND, column, float(difference), float(low), float(high), len(good), len(hard))
    if best is None:
        return Insight(NOTHING, good_weeks=len(good), hard_weeks=len(hard))
    return best


def describe(insight: Insight) -> str:
    """The insight's sentence in the active language."""
    if insight.finding == NO_DATA:
        return gettext("Not enough data yet: reflect after sessions for a few weeks and this will fill in.")
    weeks = {"good": insight.good_weeks, "hard": insight.hard_weeks, "least": MIN_WEEKS_EACH}
    if insight.finding == TOO_FEW:
        return (
            gettext(
                "Not enough data yet: this needs at least %(least)s better and %(least)s harder weeks with reflections "
                "(there are %(good)s and %(hard)s)."
            )
            % weeks
        )
    if insight.finding == NOTHING:
        return (
            gettext("Nothing stands out yet between your better and harder weeks (%(good)s and %(hard)s compared).")
            % weeks
        )
    if insight.finding != FOUND or insight.factor is None:
        return ""
    return _sentence(insight.factor, insight.difference or 0.0, insight.low or 0.0, insight.high or 0.0)


def _sentence(column: str, difference: float, low: float, high: float) -> str:
    name, more, less = FACTORS[column]
    scale = 100 if column == "trauma_share" else 1
    change = str(more if difference > 0 else less) % {"difference": number(abs(difference) * scale, 1)}
    return gettext(
        "In your better weeks (reciprocity above your median), %(factor)s was %(difference)s on average than in "
        "your harder weeks (95%% interval %(low)s to %(high)s). These go together in your data; it does not show "
        "that one causes the other."
    ) % {"factor": name, "difference": change, "low": signed(low * scale, 1), "high": signed(high * scale, 1)}
