"""Alerts: when the wheel runs backwards. Pure rules over the therapist's series and scores; each alert
carries its rule in words, a stable key (so an answered alert stays answered) and the actions it offers.
"""

import datetime
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field, replace

import pandas as pd
from django.utils.translation import gettext_lazy as _

from reciprocity.insights.expected import MIN_COURSES, Reference, Verdict, verdict
from reciprocity.measures.change import classify_change
from reciprocity.measures.definitions import Scale

REFLECT, DAY_OFF, SUPERVISION, REVIEW_CLIENT, DISMISS = "reflect", "day_off", "supervision", "review_client", "dismiss"
ACTION_LABELS = {
    REFLECT: _("Reflect on it"),
    DAY_OFF: _("Plan a day off"),
    SUPERVISION: _("Bring it to supervision"),
    REVIEW_CLIENT: _("Review the client"),
    DISMISS: _("Dismiss"),
}
DAYS_WITHOUT_A_DAY_OFF = 12
UNREFLECTED_AFTER_DAYS, UNREFLECTED_COUNT = 14, 8
NO_CHANGE_AFTER_SESSIONS = 8


@dataclass(frozen=True)
class Alert:
    key: str
    kind: str
    title: str
    explanation: str
    rule: str
    actions: tuple[str, ...] = (REFLECT, SUPERVISION, DISMISS)
    client_code: str | None = None

    @property
    def is_about_a_client(self) -> bool:
        return self.client_code is not None

    @property
    def is_burnout(self) -> bool:
        return self.kind in {"burnout_high", "burnout_rising", "sts_with_trauma"}


@dataclass(frozen=True)
class ScaleHistory:
    """One check-in scale's scores, oldest first, with its definition (cut-off and reliability)."""

    scale: Scale
    label: str
    scores: list[tuple[datetime.datetime, float]] = field(default_factory=list)


@dataclass(frozen=True)
class ClientCourse:
    """One client on one measure: the first and latest score and the change between them."""

    code: str
    sessions: int
    scores: int
    direction: str | None  # improved / deteriorated / no_reliable_change; None before a second score
    measure: str
    first: float = 0.0
    last: float = 0.0
    reliable_recovery: bool = False
    first_at: datetime.datetime | None = None
    ended: bool = False
    instrument: str = ""
    # True when the practice has enough completed courses on the measure for the expected-response method,
    # which then judges this course instead of the fixed rule; `expected` is its verdict (from the third score).
    has_reference: bool = False
    expected: Verdict | None = None


def wellbeing_alerts(burnout: ScaleHistory, sts: ScaleHistory, trauma_share: pd.Series) -> list[Alert]:
    """Burnout or secondary traumatic stress at or above its cut score, a reliable rise, STS rising with trauma."""
    alerts = []
    for history in (burnout, sts):
        if not history.scores or history.scale.cutoff is None:
            continue
        when, latest = history.scores[-1]
        cut = history.scale.cutoff.value
        if latest >= cut:
            alerts.append(Alert(
                key=f"high:{history.scale.id}:{when:%Y-%m-%d}", kind="burnout_high",
                title=f"{history.label} is high",
                explanation=f"Your latest {history.label.lower()} score is {latest:g} (cut score {cut:g}).",
                rule=f"{history.label} at or above its cut score of {cut:g} (see the instrument's page for the source)",
                actions=(REFLECT, DAY_OFF, SUPERVISION, DISMISS),
            ))  # fmt: skip
        if len(history.scores) >= 2 and history.scale.reliability is not None:
            change = classify_change(history.scale, history.scores[-2][1], latest)
            if change.direction == "deteriorated":
                alerts.append(Alert(
                    key=f"rise:{history.scale.id}:{when:%Y-%m-%d}", kind="burnout_rising",
                    title=f"{history.label} rose reliably",
                    explanation=f"{history.label} went from {change.pre:g} to {latest:g} since your previous check-in.",
                    rule=f"a rise of at least {change.threshold:.1f} points ({change.rule})",
                    actions=(REFLECT, DAY_OFF, SUPERVISION, DISMISS),
                ))  # fmt: skip
    if len(sts.scores) >= 2 and len(trauma_share.dropna()) >= 8:
        (_, before), (when, after) = sts.scores[-2], sts.scores[-1]
        recent, earlier = trauma_share.iloc[-4:].mean(), trauma_share.iloc[-8:-4].mean()
        if after > before and recent - earlier >= 0.1:
            alerts.append(Alert(
                key=f"sts-trauma:{when:%Y-%m-%d}", kind="sts_with_trauma",
                title="Secondary traumatic stress is rising with your trauma load",
                explanation=(f"{sts.label} rose from {before:g} to {after:g} while the share of your sessions with "
                             f"trauma material went from {earlier:.0%} to {recent:.0%}."),
                rule="STS above the previous check-in and trauma share up 10 points (last 4 weeks vs the 4 before)",
                actions=(REFLECT, SUPERVISION, DAY_OFF, DISMISS),
            ))  # fmt: skip
    return alerts


def boundary_alerts(
    weekly: pd.DataFrame, session_days: Sequence[datetime.date], *, today: datetime.date,
    hours_limit: int | None, unreflected_old: int,
) -> list[Alert]:  # fmt: skip
    """Hours above the therapist's own limit, too many days without a day off, reflections left undone."""
    alerts = []
    week = weekly.index[-2] if len(weekly) >= 2 else None  # the last complete week
    if hours_limit and week is not None and weekly.at[week, "hours"] > hours_limit:
        alerts.append(Alert(
            key=f"hours:{week:%Y-%m-%d}", kind="hours", title="More hours than your own limit",
            explanation=f"Last week had {weekly.at[week, 'hours']:.1f} session hours; your own limit is {hours_limit}.",
            rule="session hours in the last complete week above the weekly limit in your settings",
            actions=(DAY_OFF, REFLECT, DISMISS),
        ))  # fmt: skip
    streak = _working_streak(session_days, today)
    if streak >= DAYS_WITHOUT_A_DAY_OFF:
        alerts.append(Alert(
            key=f"streak:{today - datetime.timedelta(days=streak - 1):%Y-%m-%d}", kind="no_day_off",
            title=f"{streak} days in a row with sessions",
            explanation=f"You have had sessions every day for {streak} days.",
            rule=f"{DAYS_WITHOUT_A_DAY_OFF} or more consecutive days with at least one session",
            actions=(DAY_OFF, DISMISS),
        ))  # fmt: skip
    if unreflected_old >= UNREFLECTED_COUNT:
        alerts.append(Alert(
            key=f"unreflected:{today:%G-W%V}", kind="unreflected",
            title=f"{unreflected_old} sessions left without a reflection",
            explanation=f"{unreflected_old} sessions older than {UNREFLECTED_AFTER_DAYS} days have no reflection.",
            rule=f"{UNREFLECTED_COUNT} or more sessions older than {UNREFLECTED_AFTER_DAYS} days without a reflection",
            actions=(REFLECT, DISMISS),
        ))  # fmt: skip
    return alerts


def _working_streak(session_days: Sequence[datetime.date], today: datetime.date) -> int:
    days = set(session_days)
    day = today if today in days else today - datetime.timedelta(days=1)
    streak = 0
    while day in days:
        streak += 1
        day -= datetime.timedelta(days=1)
    return streak


def with_expected(
    courses: Sequence[ClientCourse], references: Mapping[str, Reference], scores: Mapping[tuple[str, str], list[float]]
) -> list[ClientCourse]:
    """The courses, each judged by the expected-response method where the practice's reference on its measure
    is active: `references` by measure id, `scores` each open course's scores in order by (code, measure id)."""
    judged = []
    for course in courses:
        reference = references.get(course.instrument)
        if reference is None or not reference.is_active:
            judged.append(course)
            continue
        found = verdict(reference, scores.get((course.code, course.instrument), []))
        judged.append(replace(course, has_reference=True, expected=found))
    return judged


def client_alerts(courses: Sequence[ClientCourse]) -> list[Alert]:
    """Clients still in therapy who are not on track, one alert per client.

    On a measure where the practice has `MIN_COURSES` completed courses, the expected-response band judges
    (`insights/expected.py`): the latest score outside it on the worse side, from the third score on. On the
    others the fixed rule: reliable deterioration, or no reliable change on any measure after eight sessions.
    """
    by_client: dict[str, list[ClientCourse]] = {}
    for course in courses:
        if not course.ended and (course.direction is not None or course.has_reference):
            by_client.setdefault(course.code, []).append(course)
    alerts = []
    for code, own in sorted(by_client.items()):
        if alert := _expected_alert(code, own) or _fixed_rule_alert(code, [c for c in own if not c.has_reference]):
            alerts.append(alert)
    return alerts


def _expected_alert(code: str, own: list[ClientCourse]) -> Alert | None:
    off = [c for c in own if c.expected is not None and c.expected.is_off_track]
    if not off:
        return None
    course, found = off[0], off[0].expected
    assert found is not None
    side, percentile, edge = found.edge
    session = found.band.session
    measures = " and ".join(c.measure for c in off)
    return Alert(
        key=f"client-expected:{code}:{sum(c.scores for c in own)}", kind="client_off_track",
        title=f"{code} is off the expected course on {measures}",
        explanation=(f"{code}'s latest {course.measure}, {found.latest:g} at score {session}, is worse than 9 in 10 "
                     f"of the clients in your practice who started like them were at that point."),
        rule=(f"Expected-response band from the {found.neighbours} most similar of {found.reference} completed "
              f"{course.measure} courses in your practice: latest {course.measure} {found.latest:g} is {side} "
              f"the {percentile}th percentile ({round(edge, 1):g}) at score {session}"),
        actions=(REVIEW_CLIENT, SUPERVISION, DISMISS), client_code=code,
    )  # fmt: skip


FIXED_RULE = f"Fixed rule (your practice has fewer than {MIN_COURSES} completed courses on the measure)"


def _fixed_rule_alert(code: str, own: list[ClientCourse]) -> Alert | None:
    own = [c for c in own if c.direction is not None]
    if not own:
        return None
    worse = [c.measure for c in own if c.direction == "deteriorated"]
    scores = sum(c.scores for c in own)
    if worse:
        return Alert(
            key=f"client-worse:{code}:{scores}", kind="client_deteriorated",
            title=f"{code} is reliably worse on {' and '.join(worse)}",
            explanation=f"{code}'s latest {' and '.join(worse)} is reliably worse than their first.",
            rule=f"{FIXED_RULE}: reliable deterioration from the first score (the measure's reliable-change rule)",
            actions=(REVIEW_CLIENT, SUPERVISION, DISMISS), client_code=code,
        )  # fmt: skip
    if all(c.direction == "no_reliable_change" for c in own) and own[0].sessions >= NO_CHANGE_AFTER_SESSIONS:
        measures = " and ".join(c.measure for c in own)
        return Alert(
            key=f"client-flat:{code}:{scores}", kind="client_no_change",
            title=f"No reliable change for {code} after {own[0].sessions} sessions",
            explanation=f"{code}'s {measures} has not changed reliably since the first score.",
            rule=f"{FIXED_RULE}: {NO_CHANGE_AFTER_SESSIONS} or more sessions and no reliable change on any measure",
            actions=(REVIEW_CLIENT, SUPERVISION, DISMISS), client_code=code,
        )  # fmt: skip
    return None
