"""The three demo therapists' years: how their state moves week by week (t = 0 a year ago, 1 now)."""

import math
from dataclasses import dataclass


@dataclass(frozen=True)
class State:
    """A therapist's week: mean rating (0–4), load (0–10) and rhythm of work and reflection."""

    rating: float
    load: float
    sessions_per_week: int
    trauma_share: float
    reflected_share: float
    calm: float
    boundaries_offset: float


def _lerp(a: float, b: float, t: float) -> float:
    return a + (b - a) * t


def thriving(t: float) -> State:
    """Steady, well-supported work that gives more back as the year goes on."""
    return State(
        rating=_lerp(2.5, 3.3, t),
        load=_lerp(4.5, 4.0, t),
        sessions_per_week=round(_lerp(17, 19, t)),
        trauma_share=0.2,
        reflected_share=0.85,
        calm=7.5,
        boundaries_offset=0.3,
    )


def sliding(t: float) -> State:
    """A growing, heavier caseload: less and less comes back, and boundaries go first."""
    slide = t**1.4
    return State(
        rating=_lerp(3.0, 1.7, slide),
        load=_lerp(4.5, 8.0, slide),
        sessions_per_week=round(_lerp(18, 27, slide)),
        trauma_share=_lerp(0.25, 0.6, slide),
        reflected_share=_lerp(0.8, 0.35, slide),
        calm=_lerp(7.0, 3.0, slide),
        boundaries_offset=_lerp(0.0, -1.0, slide),
    )


def recovering(t: float) -> State:
    """A hard stretch in the first half of the year (lowest around month four), then recovery."""
    dip = math.exp(-(((t - 0.3) / 0.14) ** 2))
    regain = max(0.0, t - 0.45) / 0.55
    return State(
        rating=_lerp(2.4, 1.2, dip) + 0.7 * regain,
        load=_lerp(5.0, 8.0, dip) - 0.8 * regain,
        sessions_per_week=round(_lerp(16, 22, dip) - 2 * regain),
        trauma_share=_lerp(0.25, 0.55, dip),
        reflected_share=_lerp(0.7, 0.4, dip) + 0.15 * regain,
        calm=_lerp(6.5, 3.5, dip) + 1.5 * regain,
        boundaries_offset=_lerp(0.0, -0.8, dip) + 0.5 * regain,
    )
