"""A labelled set of therapist-style sentences for measuring the PII guard by kind."""

import json
from dataclasses import dataclass
from pathlib import Path

KINDS: tuple[str, ...] = (
    "name",
    "age",
    "email",
    "phone",
    "date",
    "address",
    "handle",
    "ip",
    "url",
    "institution",
    "quasi",
)


@dataclass(frozen=True)
class Sentence:
    id: int
    text: str
    spans: tuple[tuple[str, str], ...]  # (kind, exact substring of text)


def load(file_name: str = "sentences.jsonl") -> list[Sentence]:
    sentences = []
    path = Path(__file__).with_name(file_name)
    for line in path.read_text(encoding="utf-8").splitlines():
        if not line.strip():
            continue
        row = json.loads(line)
        spans = tuple((s["kind"], s["text"]) for s in row["spans"])
        for kind, text in spans:
            if kind not in KINDS or text not in row["text"]:
                raise ValueError(f"sentence {row['id']}: bad span {kind!r} {text!r}")
        sentences.append(Sentence(row["id"], row["text"], spans))
    return sentences


def held_back() -> list[Sentence]:
    """The separate held-back set (heldback.jsonl): for measuring only, never for tuning."""
    return load("heldback.jsonl")


def halves() -> tuple[list[Sentence], list[Sentence]]:
    """(tuning, held_back): odd ids tune the guard, even ids are held back."""
    sentences = load()
    return [s for s in sentences if s.id % 2], [s for s in sentences if not s.id % 2]


def final() -> list[Sentence]:
    """The final set (final.jsonl): for the reported figures only, never for tuning."""
    return load("final.jsonl")


def fresh() -> list[Sentence]:
    """The fresh set (fresh.jsonl): for the reported figures only, never for tuning."""
    return load("fresh.jsonl")


def unseen() -> list[Sentence]:
    """The unseen set (unseen.jsonl): for the reported figures only, never for tuning."""
    return load("unseen.jsonl")


def sixth() -> list[Sentence]:
    """The sixth set (sixth.jsonl): for the reported figures only, never for tuning."""
    return load("sixth.jsonl")


def seventh() -> list[Sentence]:
    """The seventh set (seventh.jsonl): for the reported figures only, never for tuning."""
    return load("seventh.jsonl")
