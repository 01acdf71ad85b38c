"""CORE-10's mean item score, reported beside its clinical score as CORE does (the clinical score ÷ 10): by
`reciprocity score` and on the answers page; a scale that does not report one shows none."""

import json
from io import StringIO

import pytest
from django.core.management import call_command

from reciprocity.measures import registry
from reciprocity.measures.definitions import SHIPPED_DIR, InstrumentFileError, load_file
from reciprocity.measures.services import record_administration


def score_json(*args: str) -> dict:
    out = StringIO()
    call_command("score", *args, "--json", stdout=out)
    return json.loads(out.getvalue())


def test_score_gives_core10s_mean_item_score_also_when_prorated():
    whole = score_json("core10", "1", "2", "3", "4", "0", "1", "2", "3", "4", "0")
    assert (whole["total"], whole["mean_item"]) == (18.0, 1.8)
    prorated = score_json("core10", "1", "2", "3", "4", "0", "-", "2", "3", "4", "0")
    assert (prorated["total"], prorated["prorated"], prorated["mean_item"]) == (18.9, True, 1.89)
    assert "mean_item" not in score_json("phq9", *["1"] * 9)


@pytest.mark.django_db
def test_the_answers_page_shows_the_mean_item_score(as_ana, ana, ana_client):
    answers = dict(zip([str(n) for n in range(1, 11)], [4, 4, 4, 4, 0, 0, 4, 4, 4, 4], strict=True))
    done = record_administration(therapist=ana, instrument=registry.get("core10"), client=ana_client, answers=answers)
    html = as_ana.get(done.get_absolute_url()).content.decode()
    assert "mean item score 2.40" in html  # 24 ÷ 10: items 2 and 3 are reverse-scored, so their 4s count 0


def test_a_mean_item_score_is_only_for_a_sum(tmp_path):
    data = json.loads((SHIPPED_DIR / "cbi.json").read_text())
    data["id"] = "custom_cbi"
    data["scales"][0]["mean_item"] = True
    path = tmp_path / "custom_cbi.json"
    path.write_text(json.dumps(data))
    with pytest.raises(InstrumentFileError, match="a mean item score is reported beside a sum only"):
        load_file(path)
