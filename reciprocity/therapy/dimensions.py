"""The seven dimensions of therapeutic reciprocity (PRODUCT.md), each rated 0–4 in a reflection."""

from dataclasses import dataclass

from django.utils.translation import gettext_lazy as _


@dataclass(frozen=True)
class Dimension:
    key: str
    label: str
    short: str
    gain: str


DIMENSIONS: tuple[Dimension, ...] = (
    Dimension("empathy", _("Empathy and perspective-taking"), _("Empathy"),
              _("Seeing my own life and people with more understanding.")),
    Dimension("communication", _("Communication and interpersonal skills"), _("Communication"),
              _("Listening, reading cues, hard conversations — carried into my own relationships.")),
    Dimension("reflection", _("Self-reflection and personal growth"), _("Self-reflection"),
              _("Supervision, consultation, self-analysis, training.")),
    Dimension("fulfillment", _("Validation and fulfillment"), _("Fulfillment"),
              _("Meaning, pride in a client's breakthrough.")),
    Dimension("resilience", _("Resilience and coping strategies"), _("Resilience"),
              _("A technique I use with clients that helps me with my own struggles.")),
    Dimension("destigmatizing", _("Destigmatizing mental health"), _("Destigmatizing"),
              _("Openness about mental health, making it easier to seek support myself.")),
    Dimension("boundaries", _("Boundaries and self-care"), _("Boundaries"),
              _("The limits and balance I preach, and learn to keep.")),
)  # fmt: skip

KEYS: tuple[str, ...] = tuple(d.key for d in DIMENSIONS)
BY_KEY: dict[str, Dimension] = {d.key: d for d in DIMENSIONS}
RATING_MIN, RATING_MAX = 0, 4
RATING_LABELS: dict[int, str] = {
    0: _("not touched"),
    1: _("a little"),
    2: _("somewhat"),
    3: _("clearly"),
    4: _("strongly"),
}
