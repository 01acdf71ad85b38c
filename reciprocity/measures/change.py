"""Change between two scores of one scale: reliable change (Jacobson & Truax 1991, 95%),
clinically significant change, and recovery as NHS Talking Therapies define it. Pure functions.
"""

import math
from dataclasses import dataclass
from typing import Literal

from reciprocity.measures.definitions import Scale
from reciprocity.measures.scoring import in_clinical_range

Direction = Literal["improved", "deteriorated", "no_reliable_change"]
Z_95 = 1.96


@dataclass(frozen=True)
class Change:
    pre: float
    post: float
    threshold: float  # the smallest change, in scale points, that counts as reliable
    direction: Direction
    clinically_significant: bool  # reliable improvement that also crosses the cut-off out of the clinical range
    recovered: bool  # started in the clinical range and ended outside it
    rule: str

    @property
    def difference(self) -> float:
        return self.post - self.pre

    @property
    def reliable_recovery(self) -> bool:
        """NHS Talking Therapies: recovery together with reliable improvement."""
        return self.recovered and self.direction == "improved"

    @property
    def label(self) -> str:
        words = {"improved": "Reliable improvement", "deteriorated": "Reliable deterioration"}
        text = words.get(self.direction, "No reliable change")
        if self.reliable_recovery:
            text = "Reliable recovery"
        elif self.clinically_significant:
            text += ", clinically significant"
        return text


def reliable_change_threshold(scale: Scale) -> tuple[float, str]:
    """The published threshold when the manual gives one, else 1.96 × SD × √(2 × (1 − α))."""
    reliability = scale.reliability
    if reliability is None:
        raise ValueError(f"{scale.name} has no reliability data, so reliable change cannot be judged.")
    if reliability.published_threshold is not None:
        threshold = reliability.published_threshold * scale.multiplier
        return threshold, f"published threshold of {threshold:g} points ({reliability.source})"
    threshold = Z_95 * reliability.sd * math.sqrt(2 * (1 - reliability.alpha)) * scale.multiplier
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
    if gain >= threshold:
        direction: Direction = "improved"
    elif -gain >= threshold:
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
    )
