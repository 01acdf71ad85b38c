"""Change between two scores of one scale: reliable change (Jacobson & Truax 1991, 95%, unless the manual
publishes its own threshold, which is used as published, at the confidence the manual chose: CORE-10's 6
points are at 90%), the Jacobson–Truax reliable change index, clinically significant change, and recovery
as NHS Talking Therapies define it. Pure functions.
"""

import math
from collections.abc import Callable
from dataclasses import dataclass
from typing import Literal

from django.utils.formats import get_format
from django.utils.translation import gettext

from reciprocity.lib.languages import later
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
            return gettext("none: the questionnaire's file gives no clinical cut-off")
        if self.cutoff.clinical_when == "at_or_above":
            text = gettext("{value} or more is in the clinical range ({source})")
        else:
            text = gettext("{value} or less is in the clinical range ({source})")
        return text.format(value=_number(self.cutoff.value, "g"), source=self.cutoff.source)

    @property
    def label(self) -> str:
        """The class of the change in words (Reciprocity's own, not a questionnaire's)."""
        if self.reliable_recovery:
            return gettext("Reliable recovery")
        if self.clinically_significant:
            return gettext("Reliable improvement, clinically significant")
        if self.direction == "improved":
            return gettext("Reliable improvement")
        if self.direction == "deteriorated":
            return gettext("Reliable deterioration")
        return gettext("No reliable change")


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
    formula = _worded(lambda: gettext(
        "RCI = (x2 − x1) / S_diff = ({post} − {pre}) / {s_diff} = {value}, "
        "where S_diff = √(2 · (SD · √(1 − r))²) = √(2 · ({sd} · √(1 − {alpha}))²) = {s_diff}"
    ).format(post=_number(post, "g"), pre=_number(pre, "g"), s_diff=_number(s_diff, ".2f"), value=_number(value, ".2f"),
             sd=_number(sd, "g"), alpha=_number(alpha, "g")))  # fmt: skip
    return ReliableChangeIndex(value=value, s_diff=s_diff, sd=sd, reliability=alpha, formula=formula)


def reliable_change_threshold(scale: Scale) -> tuple[float, str]:
    """The published threshold when the manual gives one, else 1.96 × SD × √(2 × (1 − α))."""
    reliability = scale.reliability
    if reliability is None:
        raise ValueError(f"{scale.name} has no reliability data, so reliable change cannot be judged.")
    if reliability.published_threshold is not None:
        threshold = reliability.published_threshold * scale.multiplier
        return threshold, _worded(
            lambda: gettext("published threshold of {threshold} points ({source})").format(
                threshold=_number(threshold, "g"), source=reliability.source
            )
        )
    s_diff = standard_error_of_difference(scale)
    if s_diff is None:  # the file's schema refuses a reliability block without a threshold or SD and α
        raise ValueError(f"{scale.name} has neither a published threshold nor an SD and reliability.")
    threshold = Z_95 * s_diff
    return threshold, _worded(
        lambda: gettext(
            "Jacobson–Truax RCI: 1.96 × SD {sd} × √(2 × (1 − α {alpha})) = {threshold} points ({source})"
        ).format(
            sd=_number(reliability.sd, "g"), alpha=_number(reliability.alpha, "g"),
            threshold=_number(threshold, ".1f"), source=reliability.source,
        )
    )  # fmt: skip


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
        return _worded(
            lambda: gettext("a change of {threshold} points or more either way (the published threshold)").format(
                threshold=_number(threshold, "g")
            )
        )
    return _worded(
        lambda: gettext(
            "|RCI| ≥ 1.96, that is a change of {threshold} points or more either way (1.96 × S_diff)"
        ).format(threshold=_number(threshold, ".1f"))
    )


def _worded(build: Callable[[], str]) -> str:
    """A sentence written when it is read, in the reader's language: a change is classified far more often (on
    every course of a caseload, for Today and the flywheel) than its sentences are shown."""
    return later(build)


def _number(value: float, spec: str) -> str:
    """A number in words shown on a page, with the decimal mark of the page's language (2.89, 2,89)."""
    return format(value, spec).replace(".", str(get_format("DECIMAL_SEPARATOR")))
