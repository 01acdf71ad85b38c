"""Statistical honesty: with a planted effect the interval covers it about 95% of the time; with none,
the analysis claims a link about 5% of the time."""

import pandas as pd
import pytest

from reciprocity.insights.links import MIN_PAIRS, describe, lagged_link, monthly
from reciprocity.insights.synthetic import planted_months

RUNS = 300


@pytest.mark.parametrize("effect", [0.5, -0.8])
def test_the_interval_covers_a_planted_effect_about_95_percent_of_the_time(effect):
    covered = 0
    for seed in range(RUNS):
        x, y = planted_months(24, effect, seed)
        link = lagged_link(x, y, x_name="x", y_name="y")
        covered += link.low <= effect <= link.high
    assert 0.91 <= covered / RUNS <= 0.98


def test_without_an_effect_a_link_is_claimed_about_5_percent_of_the_time():
    claims = sum(lagged_link(*planted_months(24, 0.0, seed), x_name="x", y_name="y").is_clear for seed in range(RUNS))
    assert 0.02 <= claims / RUNS <= 0.09


def test_a_strong_effect_is_found():
    link = lagged_link(*planted_months(36, 1.5, seed=1), x_name="x", y_name="y")
    assert link.is_clear and link.low > 0


@pytest.mark.parametrize(
    "values",
    [
        pd.Series([], dtype=float),
        pd.Series([1.0]),
        pd.Series([2.0] * 20),  # all identical: nothing to estimate
        pd.Series([1.0, 2.0, None, None, None, None, None, None, None, 3.0]),
    ],
)
def test_too_little_or_flat_data_says_not_enough_data_instead_of_a_number(values):
    link = lagged_link(values, values * 2, x_name="x", y_name="y")
    assert not link.is_estimated
    assert describe(link, "reciprocity", "burnout", "points").startswith("Not enough data yet")


def test_the_text_says_associated_never_causes():
    link = lagged_link(*planted_months(36, 1.5, seed=1), x_name="x", y_name="y")
    text = describe(link, "reciprocity", "burnout", "points")
    assert "followed by higher burnout" in text and "not proof that one causes the other" in text
    assert "causes" not in text.replace("not proof that one causes the other", "")


def test_months_are_four_week_blocks_ending_with_the_latest_week():
    weekly = pd.DataFrame({"v": range(10)}, dtype=float)
    assert list(monthly(weekly)["v"]) == [3.5, 7.5]  # weeks 0-1 are left over at the start


def test_a_link_is_estimated_from_eight_pairs_and_not_from_seven():
    x, y = planted_months(MIN_PAIRS + 1, 0.5, seed=3)  # n months give n - 1 pairs of this month and the next
    assert lagged_link(x, y, x_name="x", y_name="y").n == MIN_PAIRS
    assert lagged_link(x, y, x_name="x", y_name="y").is_estimated
    assert not lagged_link(x[:-1], y[:-1], x_name="x", y_name="y").is_estimated
