import json
import os
import subprocess
import sys
from io import StringIO
from pathlib import Path

import pytest
from django.core.management import CommandError, call_command

from reciprocity.measures import registry
from reciprocity.measures.definitions import SHIPPED_DIR

EIGHT = ["1"] * 8


def run(*args):
    out = StringIO()
    call_command(*args, stdout=out)
    return out.getvalue()


def test_score_prints_one_json_object():
    data = json.loads(run("score", "phq9", *EIGHT, "2", "--json"))
    assert data == {
        "instrument": "phq9", "total": 10.0, "band": "Moderate", "prorated": False, "missing": 0, "subscales": {},
        "flags": ["self_harm_thoughts"], "unanswered_flags": [], "rule": "Depression severity: sum of 9 items",
        "problems": [],
    }  # fmt: skip


def test_score_reports_subscales_when_there_is_no_total():
    answers = ["1"] * 30
    data = json.loads(run("score", "proqol5", *answers, "--json"))
    assert data["total"] is None and data["band"] is None
    assert data["subscales"]["burnout"]["score"] == 30.0  # five reverse-scored items count 5 each
    assert data["subscales"]["compassion_satisfaction"] == {
        "score": 10.0,
        "band": "Low",
        "prorated": False,
        "missing": 0,
    }


def test_score_with_too_many_missing_answers_explains_why_there_is_no_total():
    data = json.loads(run("score", "phq9", "1", "-", "1", "-", "1", "-", "1", "1", "1", "--json"))
    assert data["total"] is None and data["prorated"] is False and data["missing"] == 3
    assert data["problems"] == [
        "Depression severity cannot be scored: 3 of 9 items are unanswered and at most 2 may be unanswered."
    ]


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (["score", "phq10", "1"], "There is no instrument called 'phq10'"),
        (["score", "phq9", "1", "1"], "PHQ-9 has 9 items; 2 answers were given."),
        (["score", "phq9", *EIGHT, "x"], "'x' is not an answer"),
        (["score", "phq9", *EIGHT, "5"], "PHQ-9 item 9: 5 is not one of 0, 1, 2, 3."),
        (["rci", "phq9", "30", "2"], "outside Depression severity's range 0–27"),
        (["rci", "phq9", "ten", "2"], "'ten' is not a score."),
        (["rci", "phq9", "10", "2", "--scale", "nope"], "PHQ-9 has no scale 'nope'"),
    ],
)
def test_bad_input_is_refused_with_exit_code_2(args, message):
    with pytest.raises(CommandError) as error:
        run(*args)
    assert message in str(error.value) and error.value.returncode == 2


def test_rci_classifies_with_the_rule_it_used():
    data = json.loads(run("rci", "phq9", "15", "9", "--json"))
    assert data["classification"] == "improved" and data["clinically_significant"] and data["reliable_recovery"]
    assert "published threshold of 6 points" in data["rule"]
    assert json.loads(run("rci", "phq9", "8", "14", "--json"))["classification"] == "deteriorated"
    assert json.loads(run("rci", "phq9", "12", "9", "--json"))["classification"] == "no_reliable_change"


def test_the_command_line_exits_2_with_one_line_and_no_traceback(tmp_path):
    result = subprocess.run(
        [sys.executable, "-m", "reciprocity", "score", "phq9", "1"], capture_output=True, text=True, timeout=60,
        env={**os.environ, "RECIPROCITY_DATA_DIR": str(tmp_path)}, check=False,
    )  # fmt: skip
    assert result.returncode == 2
    assert result.stderr.strip() == "CommandError: PHQ-9 has 9 items; 1 answers were given."


def test_a_practice_adds_a_licensed_instrument_to_its_data_directory(settings, tmp_path):
    settings.DATA_DIR = tmp_path
    data = json.loads((SHIPPED_DIR / "phq9.json").read_text())
    data |= {"id": "localphq", "short_name": "Local PHQ"}
    source = tmp_path / "local.json"
    source.write_text(json.dumps(data))
    assert "Added Local PHQ" in run("instruments", "add", str(source))
    assert (tmp_path / "instruments" / "localphq.json").exists()
    assert registry.get("localphq").short_name == "Local PHQ"
    assert "localphq" in run("instruments", "list")
    assert not (SHIPPED_DIR / "localphq.json").exists()


@pytest.mark.parametrize(
    ("change", "message"),
    [({"id": "phq9"}, "belongs to a shipped instrument"), ({"items": []}, "items: List should have at least 1 item")],
)
def test_an_instrument_file_that_does_not_fit_is_refused(settings, tmp_path, change, message):
    settings.DATA_DIR = tmp_path
    data = json.loads((SHIPPED_DIR / "phq9.json").read_text()) | {"id": "other"} | change
    source = Path(tmp_path / "x.json")
    source.write_text(json.dumps(data))
    with pytest.raises(CommandError, match=message) as error:
        run("instruments", "add", str(source))
    assert error.value.returncode == 2 and not (tmp_path / "instruments").exists()


def test_an_added_instrument_is_never_silently_replaced(settings, tmp_path):
    settings.DATA_DIR = tmp_path
    data = json.loads((SHIPPED_DIR / "phq9.json").read_text()) | {"id": "localphq"}
    source = tmp_path / "local.json"
    source.write_text(json.dumps(data))
    run("instruments", "add", str(source))
    with pytest.raises(CommandError, match="was added already; give a new id"):
        run("instruments", "add", str(source))
