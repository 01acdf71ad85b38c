"""Alerts: when the wheel runs backwards. Pure rules over the therapist's series and scores; each alert
carries a stable key (so an answered alert stays answered), its kind, the figures it found and the actions
it offers. Its title, explanation and rule are put into words when they are read (`Alert.title` …), in the
reader's language: an alert holds no words of its own.
"""

from __future__ import annotations

import datetime
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field, replace
from typing import TYPE_CHECKING

from django.utils.translation import get_language, gettext, ngettext
from django.utils.translation import gettext_lazy as _

from reciprocity.insights.expected import MIN_COURSES, Reference, Verdict, verdict
from reciprocity.insights.wording import and_list
from reciprocity.lib.numbers import general, number, percent
from reciprocity.measures.change import classify_change, reliable_change_threshold
from reciprocity.measures.definitions import Scale

if TYPE_CHECKING:  # pandas only in annotations: the models import this module, and commands need not load pandas
    import pandas as pd

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
    facts: dict = field(default_factory=dict, hash=False)  # the figures and names the words of this kind need
    actions: tuple[str, ...] = (REFLECT, SUPERVISION, DISMISS)
    client_code: str | None = None
    # Its words by language, written once each: a page asks for the title, the explanation and the rule.
    _said: dict = field(default_factory=dict, init=False, repr=False, compare=False, hash=False)

    @property
    def title(self) -> str:
        return self._words()[0]

    @property
    def explanation(self) -> str:
        return self._words()[1]

    @property
    def rule(self) -> str:
        return self._words()[2]

    @property
    def rule_line(self) -> str:
        """The rule as the pages print it under the alert: "Rule: …."."""
        return gettext("Rule: %(rule)s.") % {"rule": self.rule}

    def _words(self) -> tuple[str, str, str]:
        language = get_language()
        if language not in self._said:
            self._said[language] = _words(self)
        return self._said[language]

    @property
    def choices(self) -> list[tuple[str, str]]:
        """Its actions, each with its label: what the buttons say."""
        return [(action, ACTION_LABELS[action]) for action in self.actions]

    @property
    def is_about_a_client(self) -> bool:
        return self.client_code is not None

    @property
    def is_burnout(self) -> bool:
        return self.kind in {"burnout_high", "burnout_rising", "sts_with_trauma"}


@dataclass(frozen=True)
class ScaleHistory:
    """One check-in scale's scores, oldest first, with its definition (cut-off and reliability), and what to
    call it: `label` to begin a sentence or stand alone, `inside` within one (by default the label in lower case).
    """

    scale: Scale
    label: str
    scores: list[tuple[datetime.datetime, float]] = field(default_factory=list)
    inside: str = ""


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
    last_at: datetime.datetime | None = None
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
        named = {"label": history.label, "inside": history.inside or history.label.lower()}
        if latest >= cut:
            alerts.append(Alert(
                key=f"high:{history.scale.id}:{when:%Y-%m-%d}", kind="burnout_high",
                facts={**named, "latest": latest, "cut": cut},
                actions=(REFLECT, DAY_OFF, SUPERVISION, DISMISS),
            ))  # fmt: skip
        if len(history.scores) >= 2 and history.scale.reliability is not None:
            change = classify_change(history.scale, history.scores[-2][1], latest)
            if change.direction == "deteriorated":
                alerts.append(Alert(
                    key=f"rise:{history.scale.id}:{when:%Y-%m-%d}", kind="burnout_rising",
                    facts={**named, "before": change.pre, "latest": latest, "threshold": change.threshold,
                           "scale": history.scale},
                    actions=(REFLECT, DAY_OFF, SUPERVISION, DISMISS),
                ))  # fmt: skip
    if len(sts.scores) >= 2 and len(trauma_share.dropna()) >= 8:
        (_, before), (when, after) = sts.scores[-2], sts.scores[-1]
        recent, earlier = trauma_share.iloc[-4:].mean(), trauma_share.iloc[-8:-4].mean()
        if after > before and recent - earlier >= 0.1:
            alerts.append(Alert(
                key=f"sts-trauma:{when:%Y-%m-%d}", kind="sts_with_trauma",
                facts={"label": sts.label, "before": before, "after": after, "earlier": float(earlier),
                       "recent": float(recent)},
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
            key=f"hours:{week:%Y-%m-%d}", kind="hours",
            facts={"hours": float(weekly.at[week, "hours"]), "limit": hours_limit},
            actions=(DAY_OFF, REFLECT, DISMISS),
        ))  # fmt: skip
    streak = _working_streak(session_days, today)
    if streak >= DAYS_WITHOUT_A_DAY_OFF:
        alerts.append(Alert(
            key=f"streak:{today - datetime.timedelta(days=streak - 1):%Y-%m-%d}", kind="no_day_off",
            facts={"days": streak}, actions=(DAY_OFF, DISMISS),
        ))  # fmt: skip
    if unreflected_old >= UNREFLECTED_COUNT:
        alerts.append(Alert(
            key=f"unreflected:{today:%G-W%V}", kind="unreflected",
            facts={"sessions": unreflected_old}, actions=(REFLECT, DISMISS),
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
    return Alert(
        key=f"client-expected:{code}:{sum(c.scores for c in own)}", kind="client_off_track",
        facts={"code": code, "measures": [c.measure for c in off], "measure": course.measure, "latest": found.latest,
               "session": found.band.session, "neighbours": found.neighbours, "reference": found.reference,
               "side": side, "percentile": percentile, "edge": round(edge, 1)},
        actions=(REVIEW_CLIENT, SUPERVISION, DISMISS), client_code=code,
    )  # fmt: skip


def _fixed_rule_alert(code: str, own: list[ClientCourse]) -> Alert | None:
    own = [c for c in own if c.direction is not None]
    if not own:
        return None
    worse = [c.measure for c in own if c.direction == "deteriorated"]
    scores = sum(c.scores for c in own)
    if worse:
        return Alert(
            key=f"client-worse:{code}:{scores}", kind="client_deteriorated",
            facts={"code": code, "measures": worse},
            actions=(REVIEW_CLIENT, SUPERVISION, DISMISS), client_code=code,
        )  # fmt: skip
    if all(c.direction == "no_reliable_change" for c in own) and own[0].sessions >= NO_CHANGE_AFTER_SESSIONS:
        return Alert(
            key=f"client-flat:{code}:{scores}", kind="client_no_change",
            facts={"code": code, "measures": [c.measure for c in own], "sessions": own[0].sessions},
            actions=(REVIEW_CLIENT, SUPERVISION, DISMISS), client_code=code,
        )  # fmt: skip
    return None


def _words(alert: Alert) -> tuple[str, str, str]:
    """The alert's title, explanation and rule, in the active language, from its kind and figures."""
    f = alert.facts
    if alert.kind in {"burnout_high", "burnout_rising", "sts_with_trauma"}:
        return _wellbeing_words(alert.kind, f)
    if alert.kind in {"hours", "no_day_off", "unreflected"}:
        return _boundary_words(alert.kind, f)
    measures = and_list(f["measures"])
    if alert.kind == "client_off_track":
        values = {"code": f["code"], "measures": measures, "measure": f["measure"], "score": general(f["latest"]),
                  "session": f["session"], "neighbours": f["neighbours"], "reference": f["reference"],
                  "percentile": f["percentile"], "edge": general(f["edge"])}  # fmt: skip
        rule = (
            gettext(
                "Expected-response band from the %(neighbours)s most similar of %(reference)s completed "
                "%(measure)s courses in your practice: latest %(measure)s %(score)s is above the "
                "%(percentile)sth percentile (%(edge)s) at score %(session)s"
            )
            if f["side"] == "above"
            else gettext(
                "Expected-response band from the %(neighbours)s most similar of %(reference)s completed "
                "%(measure)s courses in your practice: latest %(measure)s %(score)s is below the "
                "%(percentile)sth percentile (%(edge)s) at score %(session)s"
            )
        )
        return (
            gettext("%(code)s is off the expected course on %(measures)s") % values,
            gettext(
                "%(code)s's latest %(measure)s, %(score)s at score %(session)s, is worse than 9 in 10 of the "
                "clients in your practice who started like them were at that point."
            )
            % values,
            rule % values,
        )
    if alert.kind == "client_deteriorated":
        values = {"code": f["code"], "measures": measures, "courses": MIN_COURSES}
        return (
            gettext("%(code)s is reliably worse on %(measures)s") % values,
            gettext("%(code)s's latest %(measures)s is reliably worse than their first.") % values,
            gettext(
                "Fixed rule (your practice has fewer than %(courses)s completed courses on the measure): reliable "
                "deterioration from the first score (the measure's reliable-change rule)"
            )
            % values,
        )
    values = {"code": f["code"], "measures": measures, "sessions": f["sessions"], "courses": MIN_COURSES,
              "least": NO_CHANGE_AFTER_SESSIONS}  # fmt: skip
    return (
        ngettext(
            "No reliable change for %(code)s after %(sessions)s session",
            "No reliable change for %(code)s after %(sessions)s sessions",
            f["sessions"],
        )
        % values,
        gettext("%(code)s's %(measures)s has not changed reliably since the first score.") % values,
        gettext(
            "Fixed rule (your practice has fewer than %(courses)s completed courses on the measure): %(least)s or "
            "more sessions and no reliable change on any measure"
        )
        % values,
    )


def _wellbeing_words(kind: str, f: dict) -> tuple[str, str, str]:
    if kind == "burnout_high":
        values = {"scale": f["label"], "inside": f["inside"], "score": general(f["latest"]), "cut": general(f["cut"])}
        return (
            gettext("%(scale)s is high") % values,
            gettext("Your latest %(inside)s score is %(score)s (cut score %(cut)s).") % values,
            gettext("%(scale)s at or above its cut score of %(cut)s (see the instrument's page for the source)")
            % values,
        )
    if kind == "burnout_rising":
        method = reliable_change_threshold(f["scale"])[1]
        values = {"scale": f["label"], "before": general(f["before"]), "score": general(f["latest"]),
                  "threshold": number(f["threshold"], 1), "method": method}  # fmt: skip
        return (
            gettext("%(scale)s rose reliably") % values,
            gettext("%(scale)s went from %(before)s to %(score)s since your previous check-in.") % values,
            gettext("a rise of at least %(threshold)s points (%(method)s)") % values,
        )
    values = {"scale": f["label"], "before": general(f["before"]), "after": general(f["after"]),
              "earlier": percent(f["earlier"]), "recent": percent(f["recent"])}  # fmt: skip
    return (
        gettext("Secondary traumatic stress is rising with your trauma load"),
        gettext(
            "%(scale)s rose from %(before)s to %(after)s while the share of your sessions with trauma material "
            "went from %(earlier)s%% to %(recent)s%%."
        )
        % values,
        gettext("STS above the previous check-in and trauma share up 10 points (last 4 weeks vs the 4 before)"),
    )


def _boundary_words(kind: str, f: dict) -> tuple[str, str, str]:
    if kind == "hours":
        values = {"hours": number(f["hours"], 1), "limit": f["limit"]}
        return (
            gettext("More hours than your own limit"),
            gettext("Last week had %(hours)s session hours; your own limit is %(limit)s.") % values,
            gettext("session hours in the last complete week above the weekly limit in your settings"),
        )
    if kind == "no_day_off":
        values = {"days": f["days"], "least": DAYS_WITHOUT_A_DAY_OFF}
        return (
            ngettext("%(days)s day in a row with sessions", "%(days)s days in a row with sessions", f["days"]) % values,
            ngettext(
                "You have had sessions every day for %(days)s day.",
                "You have had sessions every day for %(days)s days.",
                f["days"],
            )
            % values,
            gettext("%(least)s or more consecutive days with at least one session") % values,
        )
    values = {"sessions": f["sessions"], "days": UNREFLECTED_AFTER_DAYS, "least": UNREFLECTED_COUNT}
    return (
        ngettext(
            "%(sessions)s session left without a reflection",
            "%(sessions)s sessions left without a reflection",
            f["sessions"],
        )
        % values,
        ngettext(
            "%(sessions)s session older than %(days)s days has no reflection.",
            "%(sessions)s sessions older than %(days)s days have no reflection.",
            f["sessions"],
        )
        % values,
        gettext("%(least)s or more sessions older than %(days)s days without a reflection") % values,
    )
