"""One therapist's flywheel: four stages, the links between them, alerts and the weekly insight.

Pure: it takes the frames of `insights.selectors` and returns plain data for the page (and later the
PDF). The measures it reads are named here, once: ProQOL 5 burnout and secondary traumatic stress, and
WHO-5, as the therapist's well-being. Its words (a stage's name, value, band and note, a link's sentence)
are put together when they are shown, in the reader's language (`insights.wording`).
"""

import datetime
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field

import pandas as pd
from django.utils.translation import gettext, ngettext, pgettext_lazy
from django.utils.translation import gettext_lazy as _

from reciprocity.insights import alerts as rules
from reciprocity.insights.links import Link, describe, lagged_link, monthly
from reciprocity.insights.series import trend_per_week
from reciprocity.insights.weekly import Insight, weekly_insight
from reciprocity.lib.languages import later
from reciprocity.lib.numbers import general, number, percent, signed
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
            return gettext("not enough weeks for a trend")
        if abs(self.trend) < 0.01:
            return gettext("steady")
        values = {"change": signed(self.trend, 2), "unit": self.unit}
        if self.trend > 0:
            return gettext("rising (%(change)s %(unit)s a week)") % values
        return gettext("falling (%(change)s %(unit)s a week)") % values


@dataclass(frozen=True)
class LinkView:
    """One link between two stages; its title and sentence are worded when read, so it can be remembered."""

    link: Link

    @property
    def title(self) -> str:
        return str(_link_words(self.link)[7])

    @property
    def sentence(self) -> str:
        _x, x_words, _y, y_words, unit, step, step_text, _title = _link_words(self.link)
        return describe(self.link, x_words, y_words, unit, step, step_text)


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
    band = "—" if reciprocity is None else LOW if reciprocity < 1.5 else MODERATE if reciprocity < 2.5 else HIGH
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
    trauma = _recent_mean(weekly["trauma_share"])
    return [
        Stage("reciprocity", STAGE_NAMES["reciprocity"], reciprocity, later(_value_words, "reciprocity", reciprocity),
              band, trend_per_week(weekly["reciprocity"]), weekly["reciprocity"], POINTS,
              _("Mean reciprocity index of your reflections in the last 4 weeks.")),
        Stage("wellbeing", STAGE_NAMES["wellbeing"], wellbeing, later(_value_words, "wellbeing", wellbeing),
              wellbeing_band, trend_per_week(wellbeing_series), wellbeing_series, POINTS,
              later(_wellbeing_note, burnout)),
        Stage("care", STAGE_NAMES["care"], hours, later(_value_words, "care", hours),
              "—" if hours is None else _("Above your limit") if over else _("Within your limit"),
              trend_per_week(weekly["hours"]), weekly["hours"], _("hours"),
              later(_care_note, trauma, inputs.hours_limit)),
        Stage("outcomes", STAGE_NAMES["outcomes"], improved, later(_value_words, "outcomes", improved),
              "—" if improved is None else _("At the NHS standard (67%)") if improved >= IMPROVEMENT_STANDARD
              else _("Below the NHS standard (67%)"),
              trend_per_week(weekly["client_improvement"]), weekly["client_improvement"], RELIABLE_CHANGE_UNITS,
              later(_outcomes_note, len(counted), worse)),
    ]  # fmt: skip


STAGE_NAMES = {
    "reciprocity": _("What the work gives you"),
    "wellbeing": _("Your well-being"),
    "care": _("The care you give"),
    "outcomes": _("Your clients' outcomes"),
}
SHORT_NAMES = {"outcomes": _("Client outcomes")}  # where the loop has little room
LOW = pgettext_lazy("reciprocity index", "Low")
MODERATE = pgettext_lazy("reciprocity index", "Moderate")
HIGH = pgettext_lazy("reciprocity index", "High")
POINTS = _("points")
RELIABLE_CHANGE_UNITS = _("reliable-change units")


def _value_words(stage: str, value: float | None) -> str:
    """A stage's value in words: "2.4 of 4", "WHO-5 56%", "21.5 session hours a week", "60% reliably improved"."""
    if value is None:
        return gettext("no data yet")
    if stage == "reciprocity":
        return gettext("%(value)s of 4") % {"value": number(value, 1)}
    if stage == "wellbeing":
        return gettext("WHO-5 %(value)s%%") % {"value": number(value, 0)}
    if stage == "care":
        return gettext("%(hours)s session hours a week") % {"hours": number(value, 1)}
    return gettext("%(percent)s%% reliably improved") % {"percent": percent(value)}


def _wellbeing_note(burnout: float | None) -> str:
    if burnout is None:
        return gettext("Latest WHO-5 check-in.")
    return gettext("Latest WHO-5 check-in; ProQOL burnout %(burnout)s.") % {"burnout": general(burnout)}


def _care_note(trauma_share: float | None, hours_limit: int | None) -> str:
    return gettext(
        "Mean of the last 4 weeks; trauma material in %(share)s of sessions; your limit is %(limit)s."
    ) % {
        "share": gettext("no data yet") if trauma_share is None else gettext("%(percent)s%%") % {
            "percent": percent(trauma_share)
        },
        "limit": hours_limit or gettext("not set"),
    }  # fmt: skip


def _outcomes_note(clients: int, worse: int) -> str:
    return ngettext(
        "Of %(clients)s client with a score in the last year whose work ended or began at least %(weeks)s weeks "
        "ago; %(worse)s reliably worse.",
        "Of %(clients)s clients with a score in the last year whose work ended or began at least %(weeks)s weeks "
        "ago; %(worse)s reliably worse.",
        clients,
    ) % {"clients": clients, "weeks": OUTCOME_AFTER_WEEKS, "worse": worse}


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


RECIPROCITY_WORDS, WELLBEING_WORDS, IMPROVEMENT_WORDS = (
    _("reciprocity"),
    _("well-being (WHO-5)"),
    _("client improvement"),
)
PER_POINT_OF_RECIPROCITY = _("point of reciprocity")
LINKS = (  # (x column, x words, y column, y words, y unit, step of x, the step in words, title)
    ("reciprocity", RECIPROCITY_WORDS, BURNOUT, _("burnout (ProQOL)"), POINTS, 1, PER_POINT_OF_RECIPROCITY,
     _("Reciprocity → burnout")),
    ("reciprocity", RECIPROCITY_WORDS, WELLBEING, WELLBEING_WORDS, POINTS, 1, PER_POINT_OF_RECIPROCITY,
     _("Reciprocity → well-being")),
    (WELLBEING, WELLBEING_WORDS, "client_improvement", IMPROVEMENT_WORDS, RELIABLE_CHANGE_UNITS, 10,
     _("10 WHO-5 points"), _("Well-being → client outcomes")),
    ("hours", _("session hours"), "reciprocity", RECIPROCITY_WORDS, POINTS, 5, _("5 more session hours a week"),
     _("Load → reciprocity")),
    ("client_improvement", IMPROVEMENT_WORDS, "reciprocity", RECIPROCITY_WORDS, POINTS, 1,
     _("reliable-change unit of client improvement"), _("Client outcomes → reciprocity")),
)  # fmt: skip


def _link_words(link: Link) -> tuple:
    """The row of LINKS that `link` was estimated for."""
    return next(row for row in LINKS if (row[0], row[2]) == (link.x, link.y))


def links(weekly: pd.DataFrame) -> list[LinkView]:
    """Each link of LINKS estimated over the months of these weeks: figures only, worded when shown."""
    months = monthly(weekly)
    return [
        LinkView(lagged_link(_column(months, x), _column(months, y), x_name=x, y_name=y))
        for x, _x_words, y, *_rest in LINKS
    ]


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
            rules.ScaleHistory(inputs.scales[BURNOUT], _("Burnout"), inputs.own_scores.get(BURNOUT, []),
                               pgettext_lazy("within a sentence", "burnout")),
            rules.ScaleHistory(inputs.scales[STS], _("Secondary traumatic stress"), inputs.own_scores.get(STS, []),
                               pgettext_lazy("within a sentence", "secondary traumatic stress")),
            weekly["trauma_share"],
        )  # fmt: skip
    alerts += rules.boundary_alerts(
        weekly, [d for d in inputs.session_days if d <= now.date()], today=now.date(),
        hours_limit=inputs.hours_limit, unreflected_old=inputs.unreflected_old,
    )  # fmt: skip
    alerts += rules.client_alerts(inputs.courses)
    if not analyse:
        return Flywheel(weekly, [], [], alerts, Insight(), inputs.courses)
    # The current week is not over: its hours would read low and its future days as days off.
    complete = weekly.iloc[:-1]
    found_links, insight = analyser(complete)
    return Flywheel(weekly, stages(complete, inputs, now), found_links, alerts, insight, inputs.courses)
