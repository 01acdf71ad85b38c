"""Expected treatment response: is a client's course on track against the courses similar clients took?

After Lutz et al. (2006, *J Consult Clin Psychol* 74(6)), the nearest-neighbour expected course: among the
practice's completed courses on a measure, the `NEIGHBOURS` nearest to a client's starting point (intake
score and change by the second score, both in the measure's points) give, at each session number, the
band their scores fell in. A client whose latest score lies outside that band on the worse side, from the
third score on, is not on track. Pure: plain sequences of scores in, plain data out.

A course's session number is the ordinal of its score on the measure (1 = intake): in a practice that
measures at every session it is the session. The band is the 10th to 90th percentile of the neighbours'
scores at that session number, not mean ± z·SD: scores are bounded and pile up near the floor as clients
recover, so the neighbours' spread is skewed and a symmetric band would sit too low on the worse side. A
neighbour whose course ended before that session number counts with its last score (it left in that state).
"""

import functools
from collections.abc import Sequence
from dataclasses import dataclass

import numpy as np

MIN_COURSES = 30  # completed courses on the measure before the method replaces the fixed rule
MIN_SCORES = 4  # a completed course has at least this many scores
NEIGHBOURS = 20
LOW_PERCENTILE, HIGH_PERCENTILE = 10, 90
FIRST_SESSION = 3  # the first session number judged: intake and the second score choose the neighbours

Course = tuple[float, ...]  # one course's scores by session number, intake first


@dataclass(frozen=True)
class Reference:
    """A practice's completed courses on one measure, as score sequences only (no client, no therapist)."""

    courses: tuple[Course, ...]
    higher_is_better: bool = False

    @property
    def is_active(self) -> bool:
        return len(self.courses) >= MIN_COURSES

    @functools.cached_property
    def starts(self) -> np.ndarray:
        """Each course's intake score and change by the second, as one array, made once per reference: a
        practice's reference holds thousands of courses and every open course of a caseload is matched to it."""
        return _starts(self.courses)


@dataclass(frozen=True)
class Band:
    """The neighbours' scores at one session number: the 10th and 90th percentile and the median."""

    session: int
    low: float
    median: float
    high: float


@dataclass(frozen=True)
class Verdict:
    """One client's latest score against their expected band; `is_off_track` when outside it on the worse side."""

    band: Band
    latest: float
    neighbours: int
    reference: int
    higher_is_better: bool

    @property
    def is_off_track(self) -> bool:
        return self.latest < self.band.low if self.higher_is_better else self.latest > self.band.high

    @property
    def edge(self) -> tuple[str, int, float]:
        """The worse side's edge of the band: ("below", 10, its score) or ("above", 90, its score)."""
        if self.higher_is_better:
            return "below", LOW_PERCENTILE, self.band.low
        return "above", HIGH_PERCENTILE, self.band.high


def reference_of(courses: Sequence[Sequence[float]], *, higher_is_better: bool = False) -> Reference:
    """The completed courses of a practice on one measure: those with at least `MIN_SCORES` scores."""
    kept = tuple(tuple(float(s) for s in course) for course in courses if len(course) >= MIN_SCORES)
    return Reference(kept, higher_is_better)


def nearest(
    courses: Sequence[Course], intake: float, change: float, k: int = NEIGHBOURS, *, starts: np.ndarray | None = None
) -> list[Course]:
    """The `k` courses whose intake score and change by the second score lie nearest (Euclidean, in points);
    ties keep the reference's order (a stable sort), so the answer does not depend on chance. `starts`: the
    courses' `_starts`, when the caller keeps them."""
    if not courses:
        return []
    starts = _starts(courses) if starts is None else starts
    distance = np.hypot(starts[:, 0] - intake, starts[:, 1] - change)
    return [courses[i] for i in np.argsort(distance, kind="stable")[:k]]


def _starts(courses: Sequence[Course]) -> np.ndarray:
    return np.array([(c[0], c[1] - c[0]) for c in courses], dtype=float).reshape(-1, 2)


def score_at(course: Course, session: int) -> float:
    """A course's score at a session number (1 = intake); after its last score, that last score."""
    return course[min(session, len(course)) - 1]


def band_at(neighbours: Sequence[Course], session: int) -> Band:
    """The 10th percentile, median and 90th percentile of the neighbours' scores at a session number
    (linear interpolation between order statistics, numpy's default)."""
    scores = np.array([score_at(course, session) for course in neighbours], dtype=float)
    low, median, high = np.percentile(scores, [LOW_PERCENTILE, 50, HIGH_PERCENTILE])
    return Band(session, float(low), float(median), float(high))


def expected_band(reference: Reference, scores: Sequence[float], session: int | None = None) -> Band | None:
    """The band a client's score is expected in at a session number (default: their latest), from the
    nearest courses to their intake and second score; None below `MIN_COURSES` or before two scores."""
    if not reference.is_active or len(scores) < 2:
        return None
    neighbours = nearest(reference.courses, scores[0], scores[1] - scores[0], starts=reference.starts)
    return band_at(neighbours, session or len(scores))


def verdict(reference: Reference, scores: Sequence[float]) -> Verdict | None:
    """The client's latest score against the band expected at its session number; None before the third
    score or while the practice has fewer than `MIN_COURSES` completed courses on the measure."""
    if len(scores) < FIRST_SESSION or (band := expected_band(reference, scores)) is None:
        return None
    return Verdict(
        band, float(scores[-1]), min(NEIGHBOURS, len(reference.courses)), len(reference.courses),
        reference.higher_is_better,
    )  # fmt: skip
