"""The seven dimensions of therapeutic reciprocity (PRODUCT.md), each rated 0–4 in a reflection."""

from dataclasses import dataclass


@dataclass(frozen=True)
class Dimension:
    key: str
    label: str
    short: str
    gain: str


DIMENSIONS: tuple[Dimension, ...] = (
    Dimension("empathy", "Empathy and perspective-taking", "Empathy",
              "Seeing my own life and people with more understanding."),
    Dimension("communication", "Communication and interpersonal skills", "Communication",
              "Listening, reading cues, hard conversations — carried into my own relationships."),
    Dimension("reflection", "Self-reflection and personal growth", "Self-reflection",
              "Supervision, consultation, self-analysis, training."),
    Dimension("fulfillment", "Validation and fulfillment", "Fulfillment",
              "Meaning, pride in a client's breakthrough."),
    Dimension("resilience", "Resilience and coping strategies", "Resilience",
              "A technique I use with clients that helps me with my own struggles."),
    Dimension("destigmatizing", "Destigmatizing mental health", "Destigmatizing",
              "Openness about mental health, making it easier to seek support myself."),
    Dimension("boundaries", "Boundaries and self-care", "Boundaries",
              "The limits and balance I preach, and learn to keep."),
)  # fmt: skip

KEYS: tuple[str, ...] = tuple(d.key for d in DIMENSIONS)
BY_KEY: dict[str, Dimension] = {d.key: d for d in DIMENSIONS}
RATING_MIN, RATING_MAX = 0, 4
RATING_LABELS: dict[int, str] = {0: "not touched", 1: "a little", 2: "somewhat", 3: "clearly", 4: "strongly"}
