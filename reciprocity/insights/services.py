import datetime
import hashlib
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from typing import TypeVar

import pandas as pd
from django.core.cache import cache
from django.db import IntegrityError, transaction
from django.utils import timezone

from reciprocity.insights import expected, figures, selectors
from reciprocity.insights.alerts import ACTION_LABELS, ClientCourse, with_expected
from reciprocity.insights.flywheel import BURNOUT, STS, WELLBEING, Flywheel, Inputs, LinkView, analysis, flywheel
from reciprocity.insights.models import AlertResponse
from reciprocity.insights.series import session_days, week_index, weekly_frame
from reciprocity.insights.weekly import Insight
from reciprocity.measures import registry
from reciprocity.measures.definitions import Scale
from reciprocity.practice.models import User
from reciprocity.therapy.dimensions import KEYS

FLYWHEEL_WEEKS = 52
T = TypeVar("T")


class _Unread:
    """A version token not read yet: the function reads it itself."""


UNREAD = _Unread()


def therapist_flywheel(
    user: User,
    *,
    now: datetime.datetime | None = None,
    weeks: int = FLYWHEEL_WEEKS,
    analyse: bool = True,
    token: "str | _Unread | None" = UNREAD,
) -> Flywheel:
    """Read one therapist's weekly and course figures (remembered until they change) and compute their flywheel
    as of now, in their zone. A page that has read the figures' version token (`figures.version`) passes it."""
    now = timezone.localtime(now or timezone.now(), user.zone)
    since = now - datetime.timedelta(weeks=weeks + 1)
    read = remembered_figures(user.pk, now, weeks, token)
    unreflected_since, unreflected_until = now - UNREFLECTED_WINDOW, now - UNREFLECTED_AFTER
    inputs = Inputs(
        weekly=read.weekly,
        session_days=read.session_days,
        own_scores={
            scale: kept for scale, scores in read.own_scores.items() if (kept := [s for s in scores if s[0] >= since])
        },
        courses=[course for course in read.courses if course.last_at >= since],
        scales=_scales(),
        hours_limit=user.weekly_hours_limit,
        unreflected_old=sum(unreflected_since <= start < unreflected_until for start in read.unreflected),
    )
    return flywheel(inputs, now=now, analyse=analyse, analyser=remembered_analysis)


# The sessions an alert counts when they are still without a reflection: of the last 8 weeks, older than 14 days.
UNREFLECTED_WINDOW, UNREFLECTED_AFTER = datetime.timedelta(weeks=8), datetime.timedelta(days=14)


def _scales() -> dict[str, Scale]:
    scales = {}
    for column in (BURNOUT, STS, WELLBEING):
        instrument_id, scale_id = column.split(".")
        try:
            scales[column] = registry.get(instrument_id).scale(scale_id)
        except (registry.UnknownInstrument, StopIteration):
            continue
    return scales


@dataclass(frozen=True)
class FiguresRead:
    """What the flywheel reads of one therapist: the weeks' figures (as the flywheel's frame, and the days with
    a session), the client courses (judged against the practice's references), their own check-in scores,
    oldest first, and when each session without a reflection started."""

    weekly: pd.DataFrame
    session_days: list[datetime.date]
    courses: list[ClientCourse]
    own_scores: dict[str, list[tuple[datetime.datetime, float]]]
    unreflected: list[datetime.datetime]


def read_figures(
    therapist: int, now: datetime.datetime, weeks: int, references: dict[str, expected.Reference]
) -> FiguresRead:
    """What the flywheel of `weeks` weeks reads on `now`'s day (on the wall clock of `now`'s zone): the weeks'
    figures, and from the start of a day the courses and own scores (`weeks` + 1 weeks back) and the sessions
    without a reflection (8 weeks back), so the same read serves the whole day and each caller keeps what is
    in its exact window."""
    index = week_index(now, weeks)
    since = _start_of_day(now - datetime.timedelta(weeks=weeks + 1))
    courses = selectors.client_courses(therapist, since)
    if references:
        courses = with_expected(courses, references, selectors.open_courses(therapist, references, since))
    rows = selectors.week_figures(therapist, index[0].date(), index[-1].date())
    return FiguresRead(
        weekly=weekly_frame(rows, KEYS, index),
        session_days=session_days(rows),
        courses=courses,
        own_scores=selectors.own_scores(therapist, BURNOUT.split(".")[0], since),
        unreflected=selectors.unreflected_starts(therapist, _start_of_day(now - UNREFLECTED_WINDOW)),
    )


def _start_of_day(moment: datetime.datetime) -> datetime.datetime:
    return moment.replace(hour=0, minute=0, second=0, microsecond=0)


FIGURES_VERSION = 2  # part of the cache key: change it when the figures are read or kept differently


def remembered_figures(
    therapist: int, now: datetime.datetime, weeks: int, token: "str | _Unread | None" = UNREAD
) -> FiguresRead:
    """`read_figures`, remembered (`remembered`) until the therapist's figures change or the day does; the key
    also holds the practice's references' key, the day and its zone, and the weeks."""
    if isinstance(token, _Unread):
        token = figures.version(therapist)
    references_key, references = practice_references(therapist, token)
    return remembered(
        therapist, token, f"figures:{now.date()}:{now.tzinfo}:{weeks}:{references_key}",
        lambda: read_figures(therapist, now, weeks, references),
    )  # fmt: skip


# A write gives new keys at once; the lifetime only bounds how long what was remembered stays in a process's
# memory after nothing can read it any more, such as an erased account's figures in the web workers (their
# caches are their own: an erasure run elsewhere cannot empty them). A read afresh once an hour costs Today
# and the flywheel one full read per therapist an hour.
FIGURES_SECONDS = 3600


def remembered(therapist: int, token: str | None, key: str, read: Callable[[], T]) -> T:
    """`read()`, kept in the cache under the therapist's figures' version token and `key` until the token changes.

    Every write to the therapist's sessions (their techniques included), reflections, questionnaires, clients,
    techniques or answers to alerts gives them a new token in its own transaction (`figures.touch`,
    insights/signals.py), so what was read before it is never found again; techniques added in bulk
    (`Term.seed_defaults`) do not, as no session has them yet. Before a therapist's first such write there
    is no token and `read` runs each time. Keep only figures, codes, times, scores and the therapist's own
    names for their techniques here: never a reflection's, a note's or a client's words.
    """
    if token is None:
        return read()
    return cache.get_or_set(
        f"remembered:{FIGURES_VERSION}:{therapist}:{token}:{key}", read, timeout=FIGURES_SECONDS
    )  # fmt: skip


def team_recent(therapists: Iterable[int], today: datetime.date, weeks: int) -> pd.DataFrame:
    """`selectors.team_recent`, remembered until one of the therapists' figures changes or the week does.

    The key holds every therapist's version token; while one of them has none, the figures are read each time.
    """
    therapists = sorted(set(therapists))
    tokens = figures.versions(therapists)
    if len(tokens) < len(therapists):
        return selectors.team_recent(therapists, today, weeks)
    monday = today - datetime.timedelta(days=today.weekday())
    digest = hashlib.blake2b(repr((therapists, [tokens[t] for t in therapists])).encode(), digest_size=16)
    key = f"team-recent:{FIGURES_VERSION}:{digest.hexdigest()}:{monday}:{weeks}"
    return cache.get_or_set(key, lambda: selectors.team_recent(therapists, today, weeks), timeout=FIGURES_SECONDS)


REFERENCE_VERSION = 1  # part of the cache key: change it when the reference is read or kept differently
REFERENCE_SECONDS = 3600


def practice_references(therapist: int, token: str | None = None) -> tuple[str, dict[str, expected.Reference]]:
    """The expected-response reference of each measure on which the therapist's practice has enough completed
    courses, read once and remembered in the cache, with the cache key that names them ("" when none).

    The key holds the practice's therapists and, per measure, the count, summed scores and latest score of
    its completed courses (an aggregate over the practice's course figures, itself remembered for a minute,
    as it costs tens of milliseconds in a large practice and Today and the flywheel are opened all day): a
    course that ends, reopens or gains or loses a score gives a new key within a minute. A score changed in
    place keeps the key, so the reference is also read again at least once an hour. The value is score
    sequences only, with nobody's identity. Given the therapist's figures' version token, who is in their
    practice is remembered for a minute too, beside that token, which no other database ever has.
    """
    therapists = _practice_of(therapist, token)
    versions = {
        instrument: version
        for instrument, version in _course_versions(therapists).items()
        if version[0] >= expected.MIN_COURSES
    }
    if not versions:
        return "", {}
    digest = hashlib.blake2b(repr((therapists, sorted(versions.items()))).encode(), digest_size=16)
    key = f"expected-reference:{REFERENCE_VERSION}:{digest.hexdigest()}"
    return key, cache.get_or_set(key, lambda: _references(therapists, versions), timeout=REFERENCE_SECONDS)


def _references(therapists: list[int], instruments: Iterable[str]) -> dict[str, expected.Reference]:
    found = {
        instrument: expected.reference_of(
            sequences, higher_is_better=registry.get(instrument).primary_scale.higher_is_better
        )
        for instrument, sequences in selectors.completed_courses(therapists, instruments).items()
    }
    for reference in found.values():
        reference.starts  # noqa: B018 - made now, so the cache keeps the neighbour search's array too
    return found


VERSIONS_SECONDS = 60


def _practice_of(therapist: int, token: str | None) -> list[int]:
    """`selectors.practice_therapists`, remembered for a minute when the therapist has a version token."""
    if token is None:
        return selectors.practice_therapists(therapist)
    key = f"practice-of:{therapist}:{token}"
    return cache.get_or_set(key, lambda: selectors.practice_therapists(therapist), timeout=VERSIONS_SECONDS)


def _course_versions(therapists: list[int]) -> dict[str, tuple[int, int, str]]:
    """The practice's completed-course versions per measure, computed at most once a minute per practice."""
    key = "expected-versions:" + hashlib.blake2b(repr(therapists).encode(), digest_size=16).hexdigest()
    return cache.get_or_set(key, lambda: selectors.completed_course_versions(therapists), timeout=VERSIONS_SECONDS)


ANALYSIS_VERSION = 3  # part of the cache key: change it when links or the weekly insight compute differently


def remembered_analysis(complete: pd.DataFrame) -> tuple[list[LinkView], Insight]:
    """The flywheel's analysis of these complete weeks, computed once and remembered in the cache.

    It is a pure function of the weeks' figures, so the key is a digest of them (values, weeks and column
    names): a write to a past week gives new figures and a new key; a write in the current week, which the
    analysis leaves out, changes nothing. Nobody's identity is in the key or the value, and no words either:
    the value is figures and codes, worded when a page reads them, in that reader's language.
    """
    digest = hashlib.blake2b(digest_size=16)
    digest.update(pd.util.hash_pandas_object(complete, index=True).to_numpy().tobytes())
    digest.update("\0".join(map(str, complete.columns)).encode())
    key = f"flywheel-analysis:{ANALYSIS_VERSION}:{digest.hexdigest()}"
    return cache.get_or_set(key, lambda: analysis(complete), timeout=7 * 24 * 3600)


def answered_alerts(user: User) -> frozenset[str]:
    """The keys of the alerts the therapist has acted on or dismissed."""
    return frozenset(AlertResponse.objects.owned_by(user).values_list("alert_key", flat=True))


def open_alerts(user: User, result: Flywheel, answered: frozenset[str] | None = None) -> list:
    """The alerts the therapist has neither acted on nor dismissed (`answered`, when already read)."""
    answered = answered_alerts(user) if answered is None else answered
    return [alert for alert in result.alerts if alert.key not in answered]


class UnknownAction(ValueError):
    """Not one of the actions an alert offers."""


@transaction.atomic
def respond_to_alert(user: User, alert_key: str, action: str) -> AlertResponse:
    """Record what the therapist did about an alert; answering twice keeps the first answer."""
    if action not in ACTION_LABELS or not alert_key or len(alert_key) > 120:
        raise UnknownAction(action)
    try:
        with transaction.atomic():
            response = AlertResponse.objects.create(therapist=user, alert_key=alert_key, action=action)
    except IntegrityError:
        return AlertResponse.objects.get(therapist=user, alert_key=alert_key)
    figures.touch(user.pk)  # what Today remembers of the answered alerts is out of date
    return response


def why_i_do_this(user: User, result: Flywheel) -> dict:
    """The therapist's own most fulfilling reflections and their clients' recoveries (of the flywheel's last
    year), to resurface in a hard time."""
    courses = result.courses
    milestones = [c for c in courses if c.reliable_recovery][:3]
    return {"reflections": selectors.fulfilling_reflections(user.pk), "milestones": milestones}
