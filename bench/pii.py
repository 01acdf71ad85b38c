"""The PII guard measured on text it was not tuned on: recall by kind and precision on a held-back set.

The labelled sets are in reciprocity/sharing/pii_set/: the guard was tuned on sentences.jsonl,
heldback.jsonl, final.jsonl, fresh.jsonl, unseen.jsonl and sixth.jsonl, and is measured on
seventh.jsonl, written afterwards by an author who had read neither the guard nor those sets. Each figure
is printed beside its target; the tuning sets are shown too, so that a gap between the two (over-fitting)
is visible. Latency is a guard check on 2,000-character texts made of the sets' sentences, after the
first check (which loads the name lists) is timed on its own.

Run with `.venv/bin/python bench/pii.py` (part of `make bench`); writes its section of docs/benchmarks.md.
"""

import platform
import resource
import statistics
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from bench.report import write_section  # noqa: E402

RECALL, KIND_RECALL, PRECISION, P95_MS = 0.95, 0.85, 0.90, 100.0
CHARS, TEXTS, ROUNDS = 2000, 40, 5


def _texts(sentences: list, n: int) -> list[str]:
    """n texts of about CHARS characters, each a different run of sentences."""
    texts = []
    for start in range(n):
        words, k = [], start
        while sum(len(w) + 1 for w in words) < CHARS:
            words.append(sentences[k % len(sentences)].text)
            k += 7
        texts.append(" ".join(words)[:CHARS])
    return texts


def _cells(caught: int, labelled: int, wrong: int, found: int) -> str:
    """Recall and precision of one kind (or all), as two table cells."""
    precision = f"{1 - wrong / found:.2f} ({wrong} of {found} wrong)" if found else "—"
    return f"{caught}/{labelled} = {caught / labelled:.2f} | {precision}"


def main() -> None:
    rss_before = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
    started = time.perf_counter()
    from reciprocity.sharing.pii import find_pii

    find_pii("Sarah phoned on 3 March.")
    first_ms = (time.perf_counter() - started) * 1000
    rss_mb = (resource.getrusage(resource.RUSAGE_SELF).ru_maxrss - rss_before) / 1024

    from reciprocity.sharing.pii_eval import evaluate
    from reciprocity.sharing.pii_set import KINDS, final, fresh, held_back, load, seventh, sixth, unseen

    tuning, held = load() + held_back() + final() + fresh() + unseen() + sixth(), seventh()
    scores = {"held back (seventh.jsonl)": evaluate(held), "tuned on (the other six)": evaluate(tuning)}
    samples = []
    for text in _texts(held + tuning, TEXTS):
        for _ in range(ROUNDS):
            t = time.perf_counter()
            find_pii(text)
            samples.append((time.perf_counter() - t) * 1000)
    samples.sort()
    p50, p95 = statistics.median(samples), samples[int(len(samples) * 0.95) - 1]

    test = scores["held back (seventh.jsonl)"]
    lowest = min((k for k in test.kinds.values() if k.labelled), key=lambda k: k.recall)
    lines = [
        "## PII guard: recall by kind on text it was not tuned on",
        "",
        f"Measured {time.strftime('%Y-%m-%d')} on {platform.machine()}, Python {platform.python_version()}, "
        f"with `.venv/bin/python bench/pii.py`: {len(held) + len(tuning)} labelled sentences in "
        "`reciprocity/sharing/pii_set/` ({} identifying details, {} clean sentences).".format(
            sum(k.labelled for s in scores.values() for k in s.kinds.values()), sum(s.clean for s in scores.values())
        ),
        "A detail counts as caught when a finding overlaps it; a finding that overlaps no labelled detail is a "
        "false alarm.",
        "",
        "| kind | " + " | ".join(f"recall, {name} | precision" for name in scores) + " | target |",
        "|---|" + "---:|---:|" * len(scores) + "---|",
    ]
    for kind in KINDS:
        cells = [_cells(s.kinds[kind].caught, s.kinds[kind].labelled, s.kinds[kind].wrong, s.kinds[kind].found)
                 for s in scores.values()]  # fmt: skip
        lines.append(f"| {kind} | " + " | ".join(cells) + f" | recall ≥ {KIND_RECALL} |")
    lines += [
        "| **all** | "
        + " | ".join(
            _cells(
                sum(k.caught for k in s.kinds.values()),
                sum(k.labelled for k in s.kinds.values()),
                s.false_alarms,
                s.findings,
            )
            for s in scores.values()
        )
        + f" | recall ≥ {RECALL}, precision ≥ {PRECISION} |",
        "| clean sentences with any finding | "
        + " | ".join(f"{s.clean_flagged} of {s.clean} | " for s in scores.values())
        + " — |",
        "",
        f"- **Held back: recall {test.recall:.3f} (target ≥ {RECALL}: "
        f"{'met' if test.recall >= RECALL else 'NOT met'}), "
        f"lowest kind {lowest.kind} {lowest.recall:.2f} (target ≥ {KIND_RECALL}: "
        f"{'met' if lowest.recall >= KIND_RECALL else 'NOT met'}), precision {test.precision:.3f} (target ≥ "
        f"{PRECISION}: {'met' if test.precision >= PRECISION else 'NOT met'}).**",
        f"- A check of a {CHARS:,}-character text: p50 {p50:.1f} ms, **p95 {p95:.1f} ms** (target < {P95_MS:.0f} ms: "
        f"{'met' if p95 < P95_MS else 'NOT met'}); {len(samples)} checks of {TEXTS} texts.",
        f"- The first check of a process loads the name lists and word frequencies: {first_ms:.0f} ms, "
        f"{rss_mb:.0f} MB more resident memory.",
        "- Held-back details missed: "
        + ("; ".join(f"{kind} “{words}” (#{i})" for i, kind, words in test.misses) or "none")
        + ".",
        "- Held-back false alarms: "
        + ("; ".join(f"{kind} “{words}” (#{i})" for i, kind, words in test.alarms) or "none")
        + ".",
    ]
    text = "\n".join(lines)
    print(text)
    write_section("pii", text)


if __name__ == "__main__":
    main()
