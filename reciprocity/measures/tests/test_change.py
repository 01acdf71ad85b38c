import math

import pytest

from reciprocity.measures import registry
from reciprocity.measures.change import classify_change, reliable_change_threshold


def total(instrument_id):
    return registry.get(instrument_id).primary_scale


@pytest.mark.parametrize(
    ("pre", "post", "direction", "significant", "recovered"),
    [
        (15, 9, "improved", True, True),  # 6 points down and out of caseness: reliable recovery
        (15, 10, "no_reliable_change", False, False),  # 5 points: below the published threshold of 6
        (20, 14, "improved", False, False),  # reliable, but still at or above caseness 10
        (12, 9, "no_reliable_change", False, True),  # recovered, not reliably
        (8, 14, "deteriorated", False, False),
        (9, 9, "no_reliable_change", False, False),
    ],
)
def test_phq9_change_follows_the_published_thresholds(pre, post, direction, significant, recovered):
    change = classify_change(total("phq9"), pre, post)
    assert (change.direction, change.clinically_significant, change.recovered) == (direction, significant, recovered)
    assert change.threshold == 6 and "published threshold of 6 points" in change.rule


def test_reliable_recovery_needs_both():
    assert classify_change(total("phq9"), 15, 9).label == "Reliable recovery"
    assert classify_change(total("phq9"), 20, 14).label == "Reliable improvement"


def test_without_a_published_threshold_the_jacobson_truax_formula_is_used():
    scale = registry.get("proqol5").scale("burnout")
    threshold, rule = reliable_change_threshold(scale)
    r = scale.reliability
    assert threshold == pytest.approx(1.96 * r.sd * math.sqrt(2 * (1 - r.alpha)))
    assert rule.startswith("Jacobson–Truax RCI")


def test_scores_outside_the_range_are_refused():
    with pytest.raises(ValueError, match="outside Depression severity's range 0–27"):
        classify_change(total("phq9"), 30, 3)
