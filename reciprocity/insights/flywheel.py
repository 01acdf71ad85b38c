"""One therapist's flywheel: four stages, the links between them, alerts and the weekly insight.

Pure: it takes the frames of `insights.selectors` and returns plain data for the page (and later the
PDF). The measures it reads are named here, once: ProQOL 5 burnout and secondary traumatic stress, and
WHO-5, as the therapist's well-being.
"""

import datetime
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field

import pandas as pd

from reciprocity.insights import alerts as rules
from reciprocity.insights.links import Link, describe, lagged_link, monthly
from reciprocity.insights.series import trend_per_week
from reciprocity.insights.weekly import Insight, weekly_insight
from reciprocity.measures.definitions import Scale
from reciprocity.measures.own_scales import BURNOUT, STS, WELLBEING

RECENT_WEEKS = 4
OUTCOME_AFTER_WEEKS = 12  # an episode counts once it has ended or its first score is this old
# NHS Talking Therapies' national standard: at least two in three finished courses reliably improve.
IMPROVEMENT_STANDARD = 2 / 3


@dataclass(frozen=True)
class Stage:
    key: str
    name: str
    value: float | None
    value_text: str
    band: str
    trend: float | None  # units per week over the last 8 weeks
    series: pd.Series
    unit: str
    note: str = ""

    @property
    def trend_text(self) -> str:
        if self.trend is None:
            return "not enough weeks for a trend"
        if abs(self.trend) < 0.01:
            return "steady"
        return f"{'rising' if self.trend > 0 else 'falling'} ({self.trend:+.2f} {self.unit} a week)"


@dataclass(frozen=True)
class LinkView:
    link: Link
    sentence: str
    title: str


@dataclass(frozen=True)
class Flywheel:
    weekly: pd.DataFrame
    stages: list[Stage]
    links: list[LinkView]
    alerts: list[rules.Alert]
    insight: Insight
    courses: list[rules.ClientCourse] = field(default_factory=list)

    @property
    def has_burnout_alert(self) -> bool:
        return any(a.is_burnout for a in self.alerts)


@dataclass(frozen=True)
class Inputs:
    weekly: pd.DataFrame  # series.weekly_frame of the window, one row per week (the current one last)
    session_days: list[datetime.date]  # days with a session, on the therapist's wall clock
    own_scores: dict[str, list[tuple[datetime.datetime, float]]]  # BURNOUT, STS -> their scores, oldest first
    courses: list[rules.ClientCourse]
    scales: dict[str, Scale]  # BURNOUT, STS, WELLBEING -> their definitions
    hours_limit: int | None
    unreflected_old: int


def _recent_mean(series: pd.Series, weeks: int = RECENT_WEEKS) -> float | None:
    value = series.iloc[-weeks:].mean()
    return None if pd.isna(value) else float(value)


def _latest(series: pd.Series) -> float | None:
    present = series.dropna()
    return float(present.iloc[-1]) if len(present) else None


def _column(weekly: pd.DataFrame, name: str) -> pd.Series:
    return weekly[name] if name in weekly else pd.Series(float("nan"), index=weekly.index)


def stages(weekly: pd.DataFrame, inputs: Inputs, now: datetime.datetime) -> list[Stage]:
    """Reciprocity → well-being → the care given → client outcomes, each with its value, band and trend."""
    reciprocity = _recent_mean(weekly["reciprocity"])
    band = "—" if reciprocity is None else "Low" if reciprocity < 1.5 else "Moderate" if reciprocity < 2.5 else "High"
    wellbeing_series = _column(weekly, WELLBEING)
    wellbeing = _latest(wellbeing_series)
    scale = inputs.scales.get(WELLBEING)
    wellbeing_band = "—" if wellbeing is None or scale is None else _band(scale, wellbeing)
    burnout = _latest(_column(weekly, BURNOUT))
    hours = _recent_mean(weekly["hours"])
    over = inputs.hours_limit is not None and hours is not None and hours > inputs.hours_limit
    counted = _per_client([c for c in inputs.courses if c.direction and (c.ended or _old_enough(c, now))])
    improved = sum(d == "improved" for d in counted.values()) / len(counted) if counted else None
    worse = sum(d == "deteriorated" for d in counted.values())
    return [
        Stage("reciprocity", "What the work gives you", reciprocity, _fmt(reciprocity, "{:.1f} of 4"), band,
              trend_per_week(weekly["reciprocity"]), weekly["reciprocity"], "points",
              "Mean reciprocity index of your reflections in the last 4 weeks."),
        Stage("wellbeing", "Your well-being", wellbeing, _fmt(wellbeing, "WHO-5 {:.0f}%"), wellbeing_band,
              trend_per_week(wellbeing_series), wellbeing_series, "points",
              f"Latest WHO-5 check-in{'' if burnout is None else f'; ProQOL burnout {burnout:g}'}."),
        Stage("care", "The care you give", hours, _fmt(hours, "{:.1f} session hours a week"),
              "—" if hours is None else "Above your limit" if over else "Within your limit",
              trend_per_week(weekly["hours"]), weekly["hours"], "hours",
              f"Mean of the last 4 weeks; trauma material in {_fmt(_recent_mean(weekly['trauma_share']), '{:.0%}')} "
              f"of sessions; your limit is {inputs.hours_limit or 'not set'}."),
        Stage("outcomes", "Your clients' outcomes", improved, _fmt(improved, "{:.0%} reliably improved"),
              "—" if improved is None else "At the NHS standard (67%)" if improved >= IMPROVEMENT_STANDARD
              else "Below the NHS standard (67%)",
              trend_per_week(weekly["client_improvement"]), weekly["client_improvement"], "reliable-change units",
              f"Of {len(counted)} clients with a score in the last year whose work ended or began at least "
              f"{OUTCOME_AFTER_WEEKS} weeks ago; {worse} reliably worse."),
    ]  # fmt: skip


def _per_client(courses: Sequence[rules.ClientCourse]) -> dict[str, str]:
    """One outcome per client, as NHS Talking Therapies count it over PHQ-9 and GAD-7 together: reliably
    improved when a measure improved and none deteriorated; deteriorated when any did."""
    directions: dict[str, set[str]] = {}
    for course in courses:
        directions.setdefault(course.code, set()).add(course.direction or "")
    return {
        code: "deteriorated" if "deteriorated" in found else "improved" if "improved" in found else "no_reliable_change"
        for code, found in directions.items()
    }


def _old_enough(course: rules.ClientCourse, now: datetime.datetime) -> bool:
    return course.first_at is not None and now - course.first_at >= datetime.timedelta(weeks=OUTCOME_AFTER_WEEKS)


def _band(scale: Scale, value: float) -> str:
    from reciprocity.measures.scoring import band_of

    return band_of(scale, value).label


def _fmt(value: float | None, pattern: str) -> str:
    return "no data yet" if value is None else pattern.format(value)


LINKS = (  # (x column, x words, y column, y words, y unit, step of x, the step in words, title)
    ("reciprocity", "reciprocity", BURNOUT, "burnout (ProQOL)", "points", 1, "point of reciprocity",
     "Reciprocity → burnout"),
    ("reciprocity", "reciprocity", WELLBEING, "well-being (WHO-5)", "points", 1, "point of reciprocity",
     "Reciprocity → well-being"),
    (WELLBEING, "well-being (WHO-5)", "client_improvement", "client improvement", "reliable-change units", 10,
     "10 WHO-5 points", "Well-being → client outcomes"),
    ("hours", "session hours", "reciprocity", "reciprocity", "points", 5, "5 more session hours a week",
     "Load → reciprocity"),
    ("client_improvement", "client improvement", "reciprocity", "reciprocity", "points", 1,
     "reliable-change unit of client improvement", "Client outcomes → reciprocity"),
)  # fmt: skip


def links(weekly: pd.DataFrame) -> list[LinkView]:
    months = monthly(weekly)
    views = []
    for x, x_words, y, y_words, unit, step, step_text, title in LINKS:
        link = lagged_link(_column(months, x), _column(months, y), x_name=x, y_name=y)
        views.append(LinkView(link, describe(link, x_words, y_words, unit, step, step_text), title))
    return views


Analysis = Callable[[pd.DataFrame], tuple[list[LinkView], Insight]]


def analysis(complete: pd.DataFrame) -> tuple[list[LinkView], Insight]:
    """The links between the stages and the weekly insight, from the complete weeks alone."""
    return links(complete), weekly_insight(complete)


def flywheel(
    inputs: Inputs, *, now: datetime.datetime, analyse: bool = True, analyser: Analysis = analysis
) -> Flywheel:
    """Everything the flywheel page shows, for one therapist, as of `now` (in their time zone).

    With `analyse` off (Today needs only the alerts) the links and the weekly insight are skipped. The
    analysis reads the complete weeks only, so a caller may remember it for the same weeks (`analyser`).
    """
    weekly = inputs.weekly
    alerts = []
    if BURNOUT in inputs.scales and STS in inputs.scales:
        alerts += rules.wellbeing_alerts(
            rules.ScaleHistory(inputs.scales[BURNOUT], "Burnout", inputs.own_scores.get(BURNOUT, [])),
            rules.ScaleHistory(inputs.scales[STS], "Secondary traumatic stress", inputs.own_scores.get(STS, [])),
            weekly["trauma_share"],
        )
    alerts += rules.boundary_alerts(
        weekly, [d for d in inputs.session_days if d <= now.date()], today=now.date(),
        hours_limit=inputs.hours_limit, unreflected_old=inputs.unreflected_old,
    )  # fmt: skip
    alerts += rules.client_alerts(inputs.courses)
    if not analyse:
        return Flywheel(weekly, [], [], alerts, Insight(""), inputs.courses)
    # The current week is not over: its hours would read low and its future days as days off.
    complete = weekly.iloc[:-1]
    found_links, insight = analyser(complete)
    return Flywheel(weekly, stages(complete, inputs, now), found_links, alerts, insight, inputs.courses)
