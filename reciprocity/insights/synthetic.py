"""Synthetic months with a planted effect of known size, to check that the link estimates are honest."""

import numpy as np
import pandas as pd


def planted_months(n: int, effect: float, seed: int, *, persistence: float = 0.4) -> tuple[pd.Series, pd.Series]:
    """x follows an AR(1) process; next month's y = persistence × y + effect × x + noise (all unit variance)."""
    rng = np.random.default_rng(seed)
    x = np.zeros(n)
    y = np.zeros(n)
    x[0], y[0] = rng.normal(), rng.normal()
    for t in range(1, n):
        x[t] = 0.5 * x[t - 1] + rng.normal()
        y[t] = persistence * y[t - 1] + effect * x[t - 1] + rng.normal()
    return pd.Series(x), pd.Series(y)
