"""Several published bandings of one score (the K10's ABS levels and Andrews & Slade 2001), and the codings
an instrument is published in (the K10's Australian 1–5 and US 0–4), at every edge."""

import itertools
import json
from io import StringIO

import pytest
from django.core.management import CommandError, call_command

from reciprocity.measures import registry
from reciprocity.measures.scoring import AnswerError, answers_from_sequence, in_coding, score
from reciprocity.measures.tests.answers import raw_sum

K10 = registry.get("k10")
TOTAL = K10.scale("total")
SCHEMES = {s.id: s for s in TOTAL.band_schemes}
CODINGS = {"au": 0, "us": -1}


def answers_for(total, coding):
    """K10 answers adding up to `total` on the 10–50 metric, written in the given coding."""
    own = raw_sum(K10, TOTAL, total)
    return {item: value + CODINGS[coding] for item, value in own.items()}


def test_the_k10_has_both_published_bandings():
    assert list(SCHEMES) == ["abs", "andrews_slade"]
    assert [(b.min, b.max) for b in SCHEMES["abs"].bands] == [(10, 15), (16, 21), (22, 29), (30, 50)]
    assert [(b.min, b.max) for b in SCHEMES["andrews_slade"].bands] == [(10, 19), (20, 24), (25, 29), (30, 50)]


EDGES = [
    (scheme_id, before, band)
    for scheme_id, scheme in SCHEMES.items()
    for before, band in itertools.pairwise(sorted(scheme.bands, key=lambda b: b.min))
]


@pytest.mark.parametrize("coding", CODINGS)
@pytest.mark.parametrize(("scheme_id", "before", "band"), EDGES, ids=lambda v: getattr(v, "label", v))
def test_every_band_edge_of_both_bandings_in_both_codings(scheme_id, before, band, coding):
    at = score(K10, answers_for(int(band.min), coding), coding).scales["total"]
    below = score(K10, answers_for(int(band.min) - 1, coding), coding).scales["total"]
    assert (at.score, at.bands[scheme_id]) == (band.min, band)
    assert (below.score, below.bands[scheme_id]) == (band.min - 1, before)


@pytest.mark.parametrize("coding", CODINGS)
def test_the_ends_of_the_range_in_both_codings(coding):
    low = score(K10, answers_for(10, coding), coding).scales["total"]
    high = score(K10, answers_for(50, coding), coding).scales["total"]
    assert (low.score, high.score) == (10, 50)
    assert {k: b.label for k, b in low.bands.items()} == {"abs": "Low", "andrews_slade": "Likely to be well"}
    assert {k: b.label for k, b in high.bands.items()} == {
        "abs": "Very high",
        "andrews_slade": "Likely to have a severe disorder",
    }


def test_the_us_coding_scores_as_the_australian_and_reads_0_to_40_on_its_own_metric():
    us = score(K10, answers_from_sequence(K10, [0, 1, 2, 3, 4, 0, 1, 2, 3, 4]), "us")
    au = score(K10, answers_from_sequence(K10, [1, 2, 3, 4, 5, 1, 2, 3, 4, 5]), "au")
    assert us.total == au.total == 30 and us.coding.id == "us" and au.coding is None
    assert in_coding(K10, TOTAL, us.total, us.coding) == 20


def test_a_prorated_us_total_is_the_prorated_australian_total():
    us = score(K10, answers_from_sequence(K10, [2] * 8 + [3, None]), "us")
    au = score(K10, answers_from_sequence(K10, [3] * 8 + [4, None]))
    assert us.total == au.total == 31 and us.is_prorated


@pytest.mark.parametrize(
    ("instrument_id", "values", "coding", "message"),
    [
        ("k10", [5] + [1] * 9, "us", "K10 item 1: 5 is not one of 0, 1, 2, 3, 4 in the US coding"),
        ("k10", [0] + [1] * 9, "au", "K10 item 1: 0 is not one of 1, 2, 3, 4, 5."),
        ("k10", [1] * 10, "uk", "K10 has no coding 'uk'. Known: au, us."),
        ("phq9", [1] * 9, "us", "PHQ-9 is published with one coding only"),
    ],
)
def test_answers_outside_the_chosen_coding_are_refused_in_plain_words(instrument_id, values, coding, message):
    instrument = registry.get(instrument_id)
    with pytest.raises(AnswerError, match=message.replace("(", r"\(")):
        score(instrument, answers_from_sequence(instrument, values), coding)


def run(*args):
    out = StringIO()
    call_command(*args, stdout=out)
    return out.getvalue()


BOTH = {
    "abs": {"name": "ABS levels of psychological distress", "band": "High"},
    "andrews_slade": {"name": "Andrews & Slade (2001)", "band": "Likely to have a moderate disorder"},
}


AU_25 = ["3", "3", "3", "3", "3", "3", "2", "2", "2", "1"]
US_25 = [str(int(a) - 1) for a in AU_25]


def test_score_json_gives_both_bandings_in_either_coding():
    au = json.loads(run("score", "k10", *["3", "3", "3", "3", "3", "3", "2", "2", "2", "1"], "--json"))
    us = json.loads(
        run("score", "k10", *["2", "2", "2", "2", "2", "2", "1", "1", "1", "0"], "--coding", "us", "--json")
    )
    assert au["total"] == us["total"] == 25 and au["bands"] == us["bands"] == BOTH
    assert au["band"] == "High" and "coding" not in au
    assert (us["coding"], us["total_in_coding"]) == ("us", 15)


def test_score_text_names_both_bandings():
    text = run("score", "k10", *US_25, "--coding", "us")
    assert "Psychological distress: 25 (High), 15 on the US coding (0-4 per item, total 0-40)" in text
    assert "ABS levels of psychological distress: High" in text
    assert "Andrews & Slade (2001): Likely to have a moderate disorder" in text


def test_an_unknown_coding_exits_2_with_one_line():
    with pytest.raises(CommandError, match="K10 has no coding 'x'") as error:
        run("score", "k10", *["1"] * 10, "--coding", "x")
    assert error.value.returncode == 2
