"""Exact nearest neighbours over one therapist's own vectors, kept in memory while they are unchanged.

A career is thousands of entries, so a matrix product over all of their passages is fast and exact
(docs/benchmarks.md measures it at 100,000 entries). An entry scores as its best passage. The matrix is
reloaded whenever the owner's documents change: their generation (recall.models.Generation) is read
on every query.
"""

import threading
from collections import OrderedDict
from dataclasses import dataclass

import numpy as np

from reciprocity.recall.embedding import DIMENSIONS
from reciprocity.recall.models import Document, Generation

CACHED_OWNERS = 16


@dataclass(frozen=True)
class Matrix:
    stamp: tuple
    ids: np.ndarray  # document ids
    kinds: np.ndarray  # document kinds, as strings
    starts: np.ndarray  # index of each document's first row (its whole text)
    rows: np.ndarray  # (passages, DIMENSIONS) float32, unit length, grouped by document


_cache: OrderedDict[int, Matrix] = OrderedDict()
_lock = threading.Lock()


def _stamp(owner_id: int) -> tuple:
    """The owner's generation: it changes whenever one of their documents is written or deleted."""
    return tuple(Generation.objects.filter(owner_id=owner_id).values_list("number", flat=True)) or (0,)


def _load(owner_id: int, stamp: tuple) -> Matrix:
    documents = list(Document.objects.filter(owner_id=owner_id).order_by("id").values_list("id", "kind", "vector"))
    blobs = [bytes(v) for _, _, v in documents]
    counts = np.array([len(b) // (4 * DIMENSIONS) for b in blobs], dtype=np.int64)
    rows = np.frombuffer(b"".join(blobs), dtype="<f4").reshape(-1, DIMENSIONS)
    return Matrix(
        stamp=stamp,
        ids=np.array([i for i, _, _ in documents], dtype=np.int64),
        kinds=np.array([k for _, k, _ in documents], dtype=object),
        starts=np.concatenate([[0], np.cumsum(counts)[:-1]]).astype(np.int64) if len(counts) else counts,
        rows=np.ascontiguousarray(rows, dtype=np.float32),
    )


def matrix_for(owner_id: int) -> Matrix:
    stamp = _stamp(owner_id)
    with _lock:
        cached = _cache.get(owner_id)
        if cached is not None and cached.stamp == stamp:
            _cache.move_to_end(owner_id)
            return cached
    matrix = _load(owner_id, stamp)
    with _lock:
        _cache[owner_id] = matrix
        while len(_cache) > CACHED_OWNERS:
            _cache.popitem(last=False)
    return matrix


def nearest(
    owner_id: int,
    query: np.ndarray,
    limit: int,
    *,
    kind: str | None = None,
    exclude: int | None = None,
    whole_only: bool = False,
) -> list[tuple[int, float]]:
    """The owner's documents most similar to the query vector: (document id, cosine), best first.

    A document scores as its best passage, or as its whole text alone with `whole_only`.
    """
    matrix = matrix_for(owner_id)
    if not len(matrix.ids):
        return []
    by_row = matrix.rows @ query.astype(np.float32)
    scores = by_row[matrix.starts] if whole_only else np.maximum.reduceat(by_row, matrix.starts)
    if kind is None and exclude is None:
        candidates = np.arange(len(scores))
    else:
        allowed = np.ones(len(scores), dtype=bool)
        if kind is not None:
            allowed &= matrix.kinds == kind
        if exclude is not None:
            allowed &= matrix.ids != exclude
        candidates = np.flatnonzero(allowed)
    if not len(candidates):
        return []
    k = min(limit, len(candidates))
    top = candidates[np.argpartition(-scores[candidates], k - 1)[:k]]
    top = top[np.argsort(-scores[top], kind="stable")]
    return [(int(matrix.ids[i]), float(scores[i])) for i in top]


def clear() -> None:
    with _lock:
        _cache.clear()
