import datetime
import json
import math
from io import StringIO

import pytest
from django.core.management import call_command
from django.urls import reverse

from reciprocity.measures import registry
from reciprocity.measures.change import JACOBSON_TRUAX_1991, classify_change, reliable_change_index
from reciprocity.measures.definitions import Reliability
from reciprocity.measures.services import record_administration


def total(instrument_id):
    return registry.get(instrument_id).primary_scale


def with_reliability(scale, **reliability):
    return scale.model_copy(update={"reliability": Reliability(source="a hand-made test scale", **reliability)})


def test_the_phq9_index_matches_a_hand_computation():
    # SD 6.17, r 0.89: SE = 6.17 × √0.11 = 2.04636, S_diff = √(2 × 2.04636²) = 2.89399; (9 − 15) / 2.89399 = −2.0733
    index = reliable_change_index(total("phq9"), 15, 9)
    assert index.s_diff == pytest.approx(2.89399, abs=1e-5)
    assert index.value == pytest.approx(-2.07326, abs=1e-5)
    assert "(9 − 15) / 2.89 = -2.07" in index.formula and "6.17 · √(1 − 0.89)" in index.formula


def test_the_k10_index_uses_its_own_sd_and_reliability():
    # SD 7.3, r 0.90: S_diff = √(2 × (7.3 × √0.1)²) = 7.3 × √0.2 = 3.26466; (20 − 30) / 3.26466 = −3.0631
    index = reliable_change_index(total("k10"), 30, 20)
    assert (index.sd, index.reliability) == (7.3, 0.9)
    assert index.s_diff == pytest.approx(3.26466, abs=1e-5)
    assert index.value == pytest.approx(-3.06311, abs=1e-5)


def test_a_scale_without_an_sd_has_no_index_and_says_so_by_none():
    change = classify_change(total("gad7"), 12, 6)
    assert change.index is None and change.direction == "improved"


@pytest.mark.parametrize(
    ("post", "direction"),
    [(20.2, "improved"), (20.3, "no_reliable_change"), (39.8, "deteriorated"), (39.7, "no_reliable_change")],
)
def test_a_change_exactly_at_the_index_threshold_is_reliable(post, direction):
    # SD 5 and r 0.5 give S_diff = √(2 × 12.5) = 5, so the threshold is 1.96 × 5 = 9.8 points
    scale = with_reliability(total("k10"), sd=5, alpha=0.5)
    change = classify_change(scale, 30, post)
    assert change.threshold == pytest.approx(9.8)
    assert change.direction == direction
    assert change.index.is_reliable == (direction != "no_reliable_change")


@pytest.mark.parametrize(("post", "direction"), [(9, "improved"), (10, "no_reliable_change"), (21, "deteriorated")])
def test_a_change_exactly_at_the_published_threshold_is_reliable(post, direction):
    change = classify_change(total("phq9"), 15, post)
    assert change.direction == direction
    assert change.criterion == "a change of 6 points or more either way (the published threshold)"


def test_the_sources_are_jacobson_and_truax_and_the_files_own():
    change = classify_change(total("k10"), 30, 20)
    assert change.sources == (JACOBSON_TRUAX_1991, total("k10").reliability.source)
    assert "Lehmann et al. 2023" in change.sources[1]
    assert change.cutoff.value == 20 and change.cutoff_text.startswith("20 or more is in the clinical range")


def test_rci_json_gives_the_change_whole():
    out = StringIO()
    call_command("rci", "k10", "30", "20", "--json", stdout=out)
    data = json.loads(out.getvalue())
    assert {"change", "criterion", "rci", "s_diff", "formula", "sources", "cut_off"} <= data.keys()
    assert data["change"] == -10
    assert data["rci"] == pytest.approx(-10 / (7.3 * math.sqrt(0.2)))
    assert data["s_diff"] == pytest.approx(7.3 * math.sqrt(0.2))
    assert data["formula"].startswith("RCI = (x2 − x1) / S_diff = (20 − 30) / 3.26 = -3.06")
    assert data["sources"][0] == JACOBSON_TRUAX_1991
    assert data["cut_off"] == {"value": 20, "clinical_when": "at_or_above", "source": total("k10").cutoff.source}
    assert data["criterion"].startswith("|RCI| ≥ 1.96")


def test_rci_json_without_an_sd_gives_no_index():
    out = StringIO()
    call_command("rci", "gad7", "12", "6", "--json", stdout=out)
    data = json.loads(out.getvalue())
    assert (data["rci"], data["s_diff"], data["formula"]) == (None, None, None)
    assert data["classification"] == "improved" and data["cut_off"]["value"] == 8


def _phq9(therapist, client, value, day):
    phq9 = registry.get("phq9")
    record_administration(
        therapist=therapist, instrument=phq9, client=client, answers={i.id: value for i in phq9.items},
        completed_at=datetime.datetime(2026, 3, day, 10, tzinfo=datetime.UTC),
    )  # fmt: skip


def test_the_measures_page_shows_the_index_the_formula_and_the_sources(as_ana, ana, ana_client):
    _phq9(ana, ana_client, 2, 2)  # 18
    _phq9(ana, ana_client, 1, 20)  # 9
    page = as_ana.get(reverse("measures:client", args=[ana_client.code])).content.decode()
    assert "Reliable change index" in page and "RCI -3.11" in page  # (9 − 18) / 2.89
    assert "S_diff = √(2 · (SD · √(1 − r))²)" in page
    assert "Jacobson NS, Truax P." in page and "Maroufizadeh" in page
    assert "10 or more is in the clinical range" in page


def test_an_outsider_gets_404_on_the_measures_page(client, ben, ana_client):
    client.force_login(ben)
    assert client.get(reverse("measures:client", args=[ana_client.code])).status_code == 404
