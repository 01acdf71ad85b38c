"""Scoring of every shipped instrument: extremes, every band edge on both sides, reverse items, missing items."""

import itertools
import math

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from reciprocity.measures import registry
from reciprocity.measures.scoring import AnswerError, answers_from_sequence, score
from reciprocity.measures.tests.answers import extreme, raw_sum

INSTRUMENTS = sorted(registry.shipped().values(), key=lambda i: i.id)
SCALES = [(i, s) for i in INSTRUMENTS for s in i.scales]
SCALE_IDS = [f"{i.id}-{s.id}" for i, s in SCALES]


@pytest.mark.parametrize(("instrument", "scale"), SCALES, ids=SCALE_IDS)
def test_lowest_and_highest_answers_reach_the_ends_of_the_range(instrument, scale):
    low = score(instrument, extreme(instrument, scale, "min")).scales[scale.id]
    high = score(instrument, extreme(instrument, scale, "max")).scales[scale.id]
    assert (low.score, high.score) == pytest.approx(scale.range)
    bands = sorted(scale.bands, key=lambda b: b.min)
    assert (low.band, high.band) == (bands[0], bands[-1])


def _reachable_around(instrument, scale, edge):
    """The reachable raw sums nearest to a band edge: the lowest at or above it, the highest below it."""
    low, high = (int(v / scale.multiplier) for v in scale.range)
    reachable = [r for r in range(low, high + 1) if raw_sum(instrument, scale, r) is not None]
    at = min(r for r in reachable if r * scale.multiplier >= edge)
    below = max(r for r in reachable if r * scale.multiplier < edge)
    return raw_sum(instrument, scale, at), raw_sum(instrument, scale, below)


@pytest.mark.parametrize(("instrument", "scale"), [(i, s) for i, s in SCALES if s.method == "sum"], ids=lambda v: v.id)
def test_every_band_edge_on_both_sides(instrument, scale):
    bands = sorted(scale.bands, key=lambda b: b.min)
    for before, band in itertools.pairwise(bands):
        at, below = _reachable_around(instrument, scale, band.min)
        assert score(instrument, at).scales[scale.id].band == band
        assert score(instrument, below).scales[scale.id].band == before


@pytest.mark.parametrize(("instrument", "scale"), [(i, s) for i, s in SCALES if s.method == "mean"], ids=lambda v: v.id)
def test_mean_scales_band_the_reachable_means_on_both_sides_of_every_edge(instrument, scale):
    bands = sorted(scale.bands, key=lambda b: b.min)
    low, high = (int(v) for v in scale.range)
    sums = [r for r in range(low * len(scale.items), high * len(scale.items) + 1) if raw_sum(instrument, scale, r)]
    means = {total / len(scale.items): raw_sum(instrument, scale, total) for total in sums}
    for before, band in itertools.pairwise(bands):
        at = min(m for m in means if m >= band.min)
        below = max(m for m in means if m < band.min)
        assert score(instrument, means[at]).scales[scale.id].band == band, (band.label, at)
        assert score(instrument, means[below]).scales[scale.id].band == before, (before.label, below)


@pytest.mark.parametrize(
    ("instrument_id", "answers", "expected"),
    [
        ("phq9", [0] * 9, {"total": (0, "Minimal")}),
        ("phq9", [1] * 9, {"total": (9, "Mild")}),
        ("phq9", [1, 1, 1, 1, 1, 1, 1, 1, 2], {"total": (10, "Moderate")}),
        ("phq9", [2, 2, 2, 2, 2, 2, 2, 1, 0], {"total": (15, "Moderately severe")}),
        ("phq9", [3] * 9, {"total": (27, "Severe")}),
    ],
)
def test_hand_scored_examples(instrument_id, answers, expected):
    instrument = registry.get(instrument_id)
    result = score(instrument, answers_from_sequence(instrument, answers))
    for scale_id, (value, band) in expected.items():
        assert result.scales[scale_id].score == value
        assert result.scales[scale_id].band.label == band


def test_phq9_item_9_above_zero_raises_the_risk_flag_whatever_the_total():
    phq9 = registry.get("phq9")
    assert [f.id for f in score(phq9, answers_from_sequence(phq9, [0] * 8 + [1])).flags] == ["self_harm_thoughts"]
    assert score(phq9, answers_from_sequence(phq9, [3] * 8 + [0])).flags == []


def test_a_missing_answer_is_refused_where_the_manual_allows_none():
    gad7 = registry.get("gad7")
    result = score(gad7, answers_from_sequence(gad7, [1] * 6 + [None]))
    assert result.total is None and not result.is_prorated
    assert result.problems == [
        "Anxiety severity cannot be scored: 1 of 7 items are unanswered and every item must be answered."
    ]


@pytest.mark.parametrize(
    ("answers", "message"),
    [
        ([1] * 8, "PHQ-9 has 9 items; 8 answers were given."),
        ([1] * 10, "PHQ-9 has 9 items; 10 answers were given."),
        ([1] * 8 + [4], "PHQ-9 item 9: 4 is not one of 0, 1, 2, 3."),
        ([1] * 8 + [-1], "PHQ-9 item 9: -1 is not one of 0, 1, 2, 3."),
    ],
)
def test_bad_answers_are_refused_in_plain_words(answers, message):
    phq9 = registry.get("phq9")
    with pytest.raises(AnswerError, match=message.replace("(", r"\(")):
        score(phq9, answers_from_sequence(phq9, answers))


def test_reverse_scored_items_count_backwards():
    for instrument in INSTRUMENTS:
        for item in (i for i in instrument.items if i.reverse):
            options = [o.value for o in instrument.options(item)]
            lowest = {i.id: instrument.options(i)[0].value for i in instrument.items}
            highest = dict(lowest, **{item.id: max(options)})
            lowest[item.id] = min(options)
            scale = next(s for s in instrument.scales if item.id in s.items)
            low, high = (score(instrument, a).scales[scale.id].score for a in (lowest, highest))
            assert low > high, f"{instrument.id} item {item.id} should count backwards"


@st.composite
def answer_sets(draw):
    instrument = draw(st.sampled_from(INSTRUMENTS))
    answers = {}
    for item in instrument.items:
        values = [o.value for o in instrument.options(item)]
        answers[item.id] = draw(
            st.one_of(st.sampled_from(values), st.none()) if draw(st.booleans()) else st.sampled_from(values)
        )
    return instrument, answers


@pytest.mark.engine_independent  # no database: the PostgreSQL pass leaves it out
@settings(max_examples=300, deadline=None, derandomize=True)
@given(answer_sets())
def test_every_score_lies_within_its_scale_range(case):
    instrument, answers = case
    result = score(instrument, answers)
    for scale in instrument.scales:
        found = result.scales[scale.id]
        if found.score is None:
            assert found.problem and found.missing > scale.missing.max_missing
        else:
            assert scale.range[0] <= found.score <= scale.range[1]
            assert not math.isnan(found.score) and found.band is not None


@pytest.mark.parametrize(("instrument", "scale"), SCALES, ids=SCALE_IDS)
def test_the_missing_item_rule_of_every_scale(instrument, scale):
    answers = extreme(instrument, scale, "max")
    allowed = scale.missing.max_missing
    for item_id in scale.items[:allowed]:
        answers[item_id] = None
    within = score(instrument, answers).scales[scale.id]
    assert within.score is not None and within.missing == allowed
    if allowed:  # the answered items were all at their maximum, so prorating or averaging keeps the maximum
        assert within.score == pytest.approx(scale.range[1])
    answers[scale.items[allowed]] = None
    beyond = score(instrument, answers).scales[scale.id]
    assert beyond.score is None and "cannot be scored" in beyond.problem


def test_k10_prorates_one_missing_item_from_the_mean_of_the_others():
    k10 = registry.get("k10")
    result = score(k10, answers_from_sequence(k10, [3, 3, 3, 3, 3, 3, 3, 3, 4, None]))
    assert result.total == 31  # (28 / 9) x 10 = 31.1, rounded half up
    assert result.is_prorated and "1 item was unanswered" in result.rule
