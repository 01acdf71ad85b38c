"""Each instrument's missing-item rule at its edges: 0, 1, 2 and 3 unanswered items, and the rounding it names."""

import json
from io import StringIO

import pytest
from django.core.management import call_command

from reciprocity.measures import registry
from reciprocity.measures.definitions import MissingRule
from reciprocity.measures.scoring import answers_from_sequence, score

_ = None  # an unanswered item, as the CLI's "-"


def scored(instrument_id, values):
    instrument = registry.get(instrument_id)
    return score(instrument, answers_from_sequence(instrument, values))


@pytest.mark.parametrize(
    ("values", "total", "band", "missing"),
    [
        ([2, 2, 1, 1, 0, 1, 1, 0, 0], 8, "Mild", 0),
        ([2, 2, 1, 1, _, 1, 1, 0, 0], 9, "Mild", 1),  # 8 over 8 answered: each blank counts 1
        ([2, 2, 1, 1, _, 1, 1, 0, _], 10, "Moderate", 2),  # 8 × 9 / 7 = 10.29, to the nearest whole number
        ([1, 1, 1, 1, 0, 0, 0, 0, _], 5, "Mild", 1),  # 4 × 9 / 8 = 4.5: a half goes up, out of Minimal
        ([3, 3, 3, 3, 3, 3, 3, _, _], 27, "Severe", 2),  # never above the range
    ],
)
def test_phq9_prorates_one_or_two_missing_items_from_the_mean_of_the_answered(values, total, band, missing):
    result = scored("phq9", values)
    found = result.scales["total"]
    assert (result.total, result.band.label, found.missing) == (total, band, missing)
    assert found.prorated is result.is_prorated is (missing > 0)
    if missing:
        assert f"prorated: {missing} item" in result.rule and "rounded to a whole number" in result.rule


def test_phq9_with_three_missing_items_is_not_scored():
    result = scored("phq9", [2, _, 1, _, 1, _, 1, 0, 0])
    assert result.total is None and not result.is_prorated
    assert result.problems == [
        "Depression severity cannot be scored: 3 of 9 items are unanswered and at most 2 may be unanswered."
    ]


def test_phq9_item_9_left_blank_is_never_imputed_for_the_risk_flag():
    # The other items are high, so a prorated item 9 would be 3, well above the flag's threshold of 1.
    result = scored("phq9", [3, 3, 3, 3, 3, 3, 3, 3, _])
    assert result.total == 27 and result.is_prorated
    assert result.flags == []
    assert [f.id for f in result.unanswered_flags] == ["self_harm_thoughts"]
    assert "was not answered" in result.unanswered_flags[0].unanswered_message


def test_an_answered_item_9_is_not_listed_as_unanswered():
    result = scored("phq9", [0, 0, 0, 0, 0, 0, 0, 0, 1])
    assert [f.id for f in result.flags] == ["self_harm_thoughts"] and result.unanswered_flags == []


@pytest.mark.parametrize(
    ("values", "total", "missing"),
    [
        ([1, 3, 3, 1, 1, 0, 1, 1, 1, 1], 9.0, 0),  # items 2 and 3 count backwards: 4 − 3 = 1
        ([1, 3, 3, 1, 1, 0, 1, 1, 1, _], 8.9, 1),  # 8 × 10 / 9 = 8.89: the clinical score keeps one decimal
        ([1, 3, 3, 1, 1, 0, 1, 1, _, _], None, 2),
        ([1, 3, 3, 1, 1, 0, 1, _, _, _], None, 3),
    ],
)
def test_core10_prorates_one_missing_item_to_one_decimal(values, total, missing):
    result = scored("core10", values)
    assert result.total == total and result.scales["total"].missing == missing
    assert result.is_prorated is (missing == 1)
    if total is None:
        assert "at most 1 may be unanswered" in result.problems[0]


def test_core10_item_6_left_blank_is_named_and_not_flagged():
    result = scored("core10", [4, 0, 0, 4, 4, _, 4, 4, 4, 4])
    assert result.total == 40 and result.flags == []
    assert [f.id for f in result.unanswered_flags] == ["plans_to_end_life"]


@pytest.mark.parametrize(
    ("values", "total", "missing"),
    [
        ([3] * 10, 30, 0),
        ([3] * 9 + [_], 30, 1),
        ([3] * 8 + [4, _], 31, 1),  # 28 × 10 / 9 = 31.1
        ([3] * 8 + [_, _], None, 2),
        ([3] * 7 + [_, _, _], None, 3),
    ],
)
def test_k10_prorates_one_missing_item(values, total, missing):
    result = scored("k10", values)
    assert result.total == total and result.scales["total"].missing == missing


@pytest.mark.parametrize("instrument_id", ["gad7", "phq2", "gad2", "who5"])
def test_instruments_whose_manual_gives_no_rule_refuse_one_missing_item(instrument_id):
    instrument = registry.get(instrument_id)
    first = instrument.options(instrument.items[0])[0].value
    values = [first] * (len(instrument.items) - 1) + [None]
    result = score(instrument, answers_from_sequence(instrument, values))
    assert all(s.score is None for s in result.scales.values())
    assert "every item must be answered" in result.problems[0]


def test_the_command_line_scores_the_acceptance_example_as_prorated_and_mild():
    out = StringIO()
    call_command("score", "phq9", "2", "2", "1", "1", "-", "1", "1", "0", "0", "--json", stdout=out)
    data = json.loads(out.getvalue())
    assert (data["total"], data["band"], data["prorated"], data["missing"]) == (9.0, "Mild", True, 1)
    assert data["problems"] == [] and data["unanswered_flags"] == []


def test_the_command_line_says_an_unanswered_item_9_was_not_answered():
    out = StringIO()
    call_command("score", "phq9", "1", "1", "1", "1", "1", "1", "1", "1", "-", stdout=out)
    text = out.getvalue()
    assert "Depression severity: 9 (Mild) - prorated" in text
    assert "NOT ANSWERED self_harm_thoughts" in text and "FLAG" not in text


def test_a_rule_left_without_rounding_keeps_its_old_meaning():
    rule = registry.get("k10").scale("total").missing.model_dump()
    del rule["rounding"]
    assert MissingRule.model_validate(rule).rounding == "half_up"
    assert MissingRule.model_validate(rule | {"method": "refuse", "max_missing": 0}).rounding == "none"
