import json
import re
from pathlib import Path

import pytest

from reciprocity.measures import registry
from reciprocity.measures.definitions import SHIPPED_DIR, InstrumentFileError, load_file

SHIPPED = sorted(SHIPPED_DIR.glob("*.json"))
REQUIRED = {"phq9", "gad7", "who5", "k10", "proqol5", "cbi"}


@pytest.mark.parametrize("path", SHIPPED, ids=[p.stem for p in SHIPPED])
def test_every_shipped_file_follows_the_schema_and_cites_its_sources(path):
    instrument = load_file(path)
    assert instrument.id == path.stem
    assert instrument.citation and instrument.source_url.startswith("http")
    assert instrument.licence.may_ship and instrument.licence.terms
    for scale in instrument.scales:
        assert scale.missing.source and (scale.cutoff is None or scale.cutoff.source)


def test_the_required_instruments_ship():
    assert set(registry.shipped()) >= REQUIRED


def test_no_code_names_an_instrument_but_the_flywheel_in_its_one_place():
    package = SHIPPED_DIR.parents[1]
    allowed = {package / "measures" / "own_scales.py"}  # the own check-in scales the app reads, named once
    for path in package.rglob("*.py"):
        if "tests" in path.parts or "demo" in path.parts or path in allowed:
            continue
        text = path.read_text()
        for instrument_id in registry.shipped():
            assert not re.search(rf"[\"']{instrument_id}[\"'.]", text), f"{path} names {instrument_id}"


_NAME = {"id": "manual", "name": "The manual's bands", "source": "x"}


def _scheme(low, high):
    return {
        "id": "x",
        "name": "Other",
        "source": "y",
        "bands": [{"min": low, "max": high, "label": "All", "severity": 0}],
    }


def _broken(tmp_path: Path, change) -> Path:
    data = json.loads((SHIPPED_DIR / "phq9.json").read_text())
    data["id"] = "custom9"
    change(data)
    path = tmp_path / "custom9.json"
    path.write_text(json.dumps(data))
    return path


@pytest.mark.parametrize(
    ("change", "message"),
    [
        (lambda d: d["scales"][0]["bands"].pop(), "bands must start at 0 and end at 27"),
        (lambda d: d["scales"][0]["bands"][1].update(min=4), "overlap"),
        (lambda d: d["scales"][0]["items"].append("10"), "unknown items"),
        (lambda d: d["items"][0].update(response_set="nope"), "unknown response set"),
        (lambda d: d["scales"][0].update(reliability={"source": "x"}), "published_threshold or both alpha and sd"),
        (lambda d: d.update(total_scale="overall"), "is not one of the scales"),
        (lambda d: d.update(surprise=1), "Extra inputs are not permitted"),
        (lambda d: d["flags"][0].update(item="99"), "unknown item"),
        (lambda d: d["scales"][0]["missing"].update(method="refuse"), "refuse goes with max_missing 0"),
        (lambda d: d["scales"][0]["missing"].update(rounding="up"), "missing.rounding"),
        (lambda d: d.update(codings=[{"id": "b", "label": "B", "offset": 1, "source": "x"}]), "offset 0"),
        (lambda d: d["scales"][0].update(other_band_schemes=[_scheme(0, 27)]), "name its bands"),
        (lambda d: d["scales"][0].update(bands_scheme=_NAME, other_band_schemes=[_scheme(0, 20)]), "end at 27"),
        (
            lambda d: d["scales"][0].update(bands_scheme=_NAME | {"id": "x"}, other_band_schemes=[_scheme(0, 27)]),
            "band scheme ids must be unique",
        ),
        (
            lambda d: d["scales"][0]["missing"].update(method="mean_of_answered", max_missing=1),
            "applies to mean scales",
        ),
    ],
)
def test_the_schema_refuses_a_broken_file_with_a_plain_reason(tmp_path, change, message):
    with pytest.raises(InstrumentFileError, match=message):
        load_file(_broken(tmp_path, change))


def test_a_file_that_is_not_json_is_named(tmp_path):
    path = tmp_path / "bad.json"
    path.write_text("{ not json")
    with pytest.raises(InstrumentFileError, match=r"bad.json: not valid JSON \(line 1"):
        load_file(path)
