"""The half-width of a two-sided t interval, shared by the flywheel's links and what-helps estimates.

SciPy's statistics are imported on the first interval, not with the module: importing them costs 0.9 s
(`python -X importtime`, numpy and pandas already loaded), which every command and worker start would
otherwise pay, most never drawing one.
"""


def t_half_width(spread: float, freedom: float, confidence: float = 0.95) -> float:
    """`spread` (a standard error) times Student's t quantile for a two-sided `confidence` interval."""
    from scipy import stats

    return float(stats.t.ppf(0.5 + confidence / 2, freedom)) * spread
