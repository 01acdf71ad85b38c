"""The links between the flywheel's stages: lagged, within-therapist associations with honest intervals.

For one therapist, months (4-week blocks) are paired: this month's X with next month's Y, adjusting
for this month's Y, by ordinary least squares. The 95 % interval is the t-interval of that slope.
Below MIN_PAIRS pairs nothing is estimated. An association is never a cause, and the text says so.
"""

import math
from dataclasses import dataclass

import numpy as np
import pandas as pd
from django.utils.translation import gettext

from reciprocity.lib.intervals import t_half_width
from reciprocity.lib.numbers import figure

MIN_PAIRS = 8  # months with both values; fewer gives intervals too wide to say anything
WEEKS_PER_BLOCK = 4


@dataclass(frozen=True)
class Link:
    """ "x this month" → "y next month": the estimate per unit of x, its 95 % interval, and how many pairs."""

    x: str
    y: str
    n: int
    estimate: float | None = None
    low: float | None = None
    high: float | None = None

    @property
    def is_estimated(self) -> bool:
        return self.estimate is not None

    @property
    def is_clear(self) -> bool:
        """Whether the interval excludes zero (an association at the 5 % level)."""
        return self.is_estimated and (self.low > 0 or self.high < 0)


def monthly(weekly: pd.DataFrame) -> pd.DataFrame:
    """Means over 4-week blocks, aligned so that the last block ends with the latest week."""
    offset = len(weekly) % WEEKS_PER_BLOCK
    trimmed = weekly.iloc[offset:]
    block = [i // WEEKS_PER_BLOCK for i in range(len(trimmed))]
    return trimmed.groupby(block).mean()


def lagged_link(x: pd.Series, y: pd.Series, *, x_name: str, y_name: str) -> Link:
    """Regress next month's y on this month's x and this month's y; report the slope of x with its 95 % interval.

    Ordinary least squares with an intercept, computed directly: the slope from the normal equations (through
    the pseudo-inverse, as a rank-deficient design is possible), its standard error from the residual
    variance on n − 3 degrees of freedom, and the interval from Student's t.
    """
    xs, ys = x.to_numpy(dtype=float), y.to_numpy(dtype=float)
    x_now, y_now, y_next = xs[:-1], ys[:-1], ys[1:]
    keep = np.isfinite(x_now) & np.isfinite(y_now) & np.isfinite(y_next)
    n = int(keep.sum())
    if n < MIN_PAIRS or len(np.unique(x_now[keep])) < 3 or len(np.unique(y_next[keep])) < 2:
        return Link(x_name, y_name, n)
    design = np.column_stack([np.ones(n), x_now[keep], y_now[keep]])
    inverse = np.linalg.pinv(design.T @ design)
    params = inverse @ design.T @ y_next[keep]
    residuals = y_next[keep] - design @ params
    freedom = n - np.linalg.matrix_rank(design)  # at least MIN_PAIRS − 3 = 5
    spread = math.sqrt(residuals @ residuals / freedom * inverse[1, 1])
    half = t_half_width(spread, freedom)
    estimate = float(params[1])
    low, high = estimate - half, estimate + half
    if not all(math.isfinite(v) for v in (estimate, low, high)):
        return Link(x_name, y_name, n)
    return Link(x_name, y_name, n, estimate, low, high)


def describe(
    link: Link, x_label: str, y_label: str, y_unit: str, step: float = 1.0, step_text: str | None = None
) -> str:
    """One plain sentence in the reader's language: what goes with what, per a meaningful step of x, how sure,
    and never "causes". The labels, unit and step are words of that language too (the caller's)."""
    values = {"x": x_label, "y": y_label, "unit": y_unit, "step": step_text or gettext("unit"), "n": link.n,
              "least": MIN_PAIRS}  # fmt: skip
    if not link.is_estimated:
        return (
            gettext(
                "Not enough data yet to link %(x)s with next month's %(y)s: it needs at least %(least)s months "
                "with both (there are %(n)s)."
            )
            % values
        )
    estimate, low, high = (v * step for v in (link.estimate, link.low, link.high))
    values |= {"estimate": figure(estimate), "size": figure(abs(estimate))[1:], "low": figure(low),
               "high": figure(high)}  # fmt: skip
    if not link.is_clear:
        return (
            gettext(
                "No clear link yet between %(x)s and next month's %(y)s (estimate %(estimate)s %(unit)s per "
                "%(step)s, 95%% interval %(low)s to %(high)s, which includes no link; %(n)s months)."
            )
            % values
        )
    if estimate > 0:
        sentence = gettext(
            "Months with higher %(x)s were followed by higher %(y)s: about %(size)s %(unit)s per %(step)s (95%% "
            "interval %(low)s to %(high)s; %(n)s months). This is an association in your own data, not proof "
            "that one causes the other."
        )
    else:
        sentence = gettext(
            "Months with higher %(x)s were followed by lower %(y)s: about %(size)s %(unit)s per %(step)s (95%% "
            "interval %(low)s to %(high)s; %(n)s months). This is an association in your own data, not proof "
            "that one causes the other."
        )
    return sentence % values
