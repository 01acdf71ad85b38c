"""Change between two scores of one scale: reliable change (Jacobson & Truax 1991, 95%), the
Jacobson–Truax reliable change index, clinically significant change, and recovery as NHS Talking
Therapies define it. Pure functions.
"""

import math
from dataclasses import dataclass
from typing import Literal

from reciprocity.measures.definitions import Cutoff, Scale
from reciprocity.measures.scoring import in_clinical_range

Direction = Literal["improved", "deteriorated", "no_reliable_change"]
Z_95 = 1.96
# A change exactly at the threshold counts as reliable; this absorbs the rounding of √ and × in floats.
EDGE = 1e-9
JACOBSON_TRUAX_1991 = (
    "Jacobson NS, Truax P. Clinical significance: a statistical approach to defining meaningful change in "
    "psychotherapy research. J Consult Clin Psychol. 1991;59(1):12-19. doi:10.1037/0022-006X.59.1.12"
)
INDEX_FORMULA = "RCI = (x2 − x1) / S_diff, S_diff = √(2 · SE²), SE = SD · √(1 − r)"


@dataclass(frozen=True)
class ReliableChangeIndex:
    """The Jacobson–Truax index of one change: the change divided by the standard error of a difference."""

    value: float
    s_diff: float  # in scale points
    sd: float  # on the scale's own metric (the raw SD × the scale's multiplier)
    reliability: float
    formula: str  # written out with this change's numbers

    @property
    def is_reliable(self) -> bool:
        """|RCI| ≥ 1.96: a change this large arises by measurement error alone less than 5% of the time."""
        return abs(self.value) >= Z_95 - EDGE


@dataclass(frozen=True)
class Change:
    pre: float
    post: float
    threshold: float  # the smallest change, in scale points, that counts as reliable
    direction: Direction
    clinically_significant: bool  # reliable improvement that also crosses the cut-off out of the clinical range
    recovered: bool  # started in the clinical range and ended outside it
    rule: str
    criterion: str = ""  # what counted as reliable here, in one sentence
    index: ReliableChangeIndex | None = None  # None when the scale has no SD and reliability
    cutoff: Cutoff | None = None
    sources: tuple[str, ...] = ()  # Jacobson & Truax 1991, then the scale's own reliability source

    @property
    def difference(self) -> float:
        return self.post - self.pre

    @property
    def reliable_recovery(self) -> bool:
        """NHS Talking Therapies: recovery together with reliable improvement."""
        return self.recovered and self.direction == "improved"

    @property
    def cutoff_text(self) -> str:
        """The clinical cut-off in words with its source, or that the scale has none."""
        if self.cutoff is None:
            return "none: the questionnaire's file gives no clinical cut-off"
        side = "or more" if self.cutoff.clinical_when == "at_or_above" else "or less"
        return f"{self.cutoff.value:g} {side} is in the clinical range ({self.cutoff.source})"

    @property
    def label(self) -> str:
        words = {"improved": "Reliable improvement", "deteriorated": "Reliable deterioration"}
        text = words.get(self.direction, "No reliable change")
        if self.reliable_recovery:
            text = "Reliable recovery"
        elif self.clinically_significant:
            text += ", clinically significant"
        return text


def standard_error_of_difference(scale: Scale) -> float | None:
    """S_diff = √(2 · (SD · √(1 − r))²) in scale points, from the file's SD and reliability; None without both."""
    reliability = scale.reliability
    if reliability is None or reliability.sd is None or reliability.alpha is None:
        return None
    standard_error = reliability.sd * scale.multiplier * math.sqrt(1 - reliability.alpha)
    return math.sqrt(2 * standard_error**2)


def reliable_change_index(scale: Scale, pre: float, post: float) -> ReliableChangeIndex | None:
    """RCI = (post − pre) / S_diff (Jacobson & Truax 1991); None when the scale's file has no SD and reliability."""
    reliability = scale.reliability
    s_diff = standard_error_of_difference(scale)
    if reliability is None or reliability.sd is None or reliability.alpha is None or s_diff is None:
        return None
    sd, alpha = reliability.sd * scale.multiplier, reliability.alpha
    value = (post - pre) / s_diff
    formula = (
        f"RCI = (x2 − x1) / S_diff = ({post:g} − {pre:g}) / {s_diff:.2f} = {value:.2f}, "
        f"where S_diff = √(2 · (SD · √(1 − r))²) = √(2 · ({sd:g} · √(1 − {alpha:g}))²) = {s_diff:.2f}"
    )
    return ReliableChangeIndex(value=value, s_diff=s_diff, sd=sd, reliability=alpha, formula=formula)


def reliable_change_threshold(scale: Scale) -> tuple[float, str]:
    """The published threshold when the manual gives one, else 1.96 × SD × √(2 × (1 − α))."""
    reliability = scale.reliability
    if reliability is None:
        raise ValueError(f"{scale.name} has no reliability data, so reliable change cannot be judged.")
    if reliability.published_threshold is not None:
        threshold = reliability.published_threshold * scale.multiplier
        return threshold, f"published threshold of {threshold:g} points ({reliability.source})"
    s_diff = standard_error_of_difference(scale)
    if s_diff is None:  # the file's schema refuses a reliability block without a threshold or SD and α
        raise ValueError(f"{scale.name} has neither a published threshold nor an SD and reliability.")
    threshold = Z_95 * s_diff
    rule = (
        f"Jacobson–Truax RCI: 1.96 × SD {reliability.sd:g} × √(2 × (1 − α {reliability.alpha:g})) "
        f"= {threshold:.1f} points ({reliability.source})"
    )
    return threshold, rule


def classify_change(scale: Scale, pre: float, post: float) -> Change:
    """Classify the change from `pre` to `post` on a scale, in the scale's own direction of improvement."""
    low, high = scale.range
    for name, value in (("first", pre), ("second", post)):
        if not low <= value <= high:
            raise ValueError(f"The {name} score {value:g} is outside {scale.name}'s range {low:g}–{high:g}.")
    threshold, rule = reliable_change_threshold(scale)
    gain = (post - pre) if scale.higher_is_better else (pre - post)
    if gain >= threshold - EDGE:
        direction: Direction = "improved"
    elif -gain >= threshold - EDGE:
        direction = "deteriorated"
    else:
        direction = "no_reliable_change"
    was, now = in_clinical_range(scale, pre), in_clinical_range(scale, post)
    recovered = bool(was) and now is False
    return Change(
        pre=pre,
        post=post,
        threshold=threshold,
        direction=direction,
        clinically_significant=direction == "improved" and recovered,
        recovered=recovered,
        rule=rule,
        criterion=criterion(scale, threshold),
        index=reliable_change_index(scale, pre, post),
        cutoff=scale.cutoff,
        sources=(JACOBSON_TRUAX_1991, scale.reliability.source if scale.reliability else ""),
    )


def criterion(scale: Scale, threshold: float) -> str:
    """What counts as reliable change on the scale: the manual's threshold, or |RCI| ≥ 1.96."""
    if scale.reliability is not None and scale.reliability.published_threshold is not None:
        return f"a change of {threshold:g} points or more either way (the published threshold)"
    return f"|RCI| ≥ 1.96, that is a change of {threshold:.1f} points or more either way (1.96 × S_diff)"
