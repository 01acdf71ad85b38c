"""The links between the flywheel's stages: lagged, within-therapist associations with honest intervals.

For one therapist, months (4-week blocks) are paired: this month's X with next month's Y, adjusting
for this month's Y, by ordinary least squares. The 95 % interval is the t-interval of that slope.
Below MIN_PAIRS pairs nothing is estimated. An association is never a cause, and the text says so.
"""

import math
from dataclasses import dataclass

import pandas as pd

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


def lagged_link(x: pd.Series, y: pd.Series, *, x_name: str, y_name: str, min_pairs: int = MIN_PAIRS) -> Link:
    """Regress next month's y on this month's x and this month's y; report the slope of x with its 95 % interval."""
    frame = pd.DataFrame({"x": x.to_numpy(), "y": y.to_numpy()})
    frame["y_next"] = frame["y"].shift(-1)
    pairs = frame.dropna()
    n = len(pairs)
    if n < min_pairs or pairs["x"].nunique() < 3 or pairs["y_next"].nunique() < 2:
        return Link(x_name, y_name, n)
    import statsmodels.api as sm  # imported here: it takes two seconds and only this page needs it

    design = sm.add_constant(pairs[["x", "y"]], has_constant="add")
    fit = sm.OLS(pairs["y_next"], design).fit()
    low, high = fit.conf_int(alpha=0.05).loc["x"]
    estimate = float(fit.params["x"])
    if not all(math.isfinite(v) for v in (estimate, low, high)):
        return Link(x_name, y_name, n)
    return Link(x_name, y_name, n, estimate, float(low), float(high))


def _figure(value: float) -> str:
    """Two significant figures, so a small effect never reads as 0.0."""
    return f"{value:+.2g}".replace("e+0", "e") if abs(value) < 100 else f"{value:+.0f}"


def describe(link: Link, x_label: str, y_label: str, y_unit: str, step: float = 1.0, step_text: str = "unit") -> str:
    """One plain sentence: what goes with what, per a meaningful step of x, how sure, and never "causes"."""
    if not link.is_estimated:
        return (
            f"Not enough data yet to link {x_label} with next month's {y_label}: it needs at least {MIN_PAIRS} "
            f"months with both (there are {link.n})."
        )
    estimate, low, high = (v * step for v in (link.estimate, link.low, link.high))
    interval = f"95% interval {_figure(low)} to {_figure(high)}"
    if not link.is_clear:
        return (
            f"No clear link yet between {x_label} and next month's {y_label} (estimate {_figure(estimate)} "
            f"{y_unit} per {step_text}, {interval}, which includes no link; {link.n} months)."
        )
    direction = "higher" if estimate > 0 else "lower"
    return (
        f"Months with higher {x_label} were followed by {direction} {y_label}: about {_figure(abs(estimate))[1:]} "
        f"{y_unit} per {step_text} ({interval}; {link.n} months). This is an association in your own data, "
        "not proof that one causes the other."
    )
