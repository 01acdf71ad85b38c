import datetime
import hashlib

import pandas as pd
from django.core.cache import cache
from django.db import IntegrityError, transaction
from django.utils import timezone

from reciprocity.insights import expected, selectors
from reciprocity.insights.alerts import ACTION_LABELS, with_expected
from reciprocity.insights.flywheel import BURNOUT, STS, WELLBEING, Flywheel, Inputs, LinkView, analysis, flywheel
from reciprocity.insights.models import AlertResponse
from reciprocity.insights.series import session_days, week_index, weekly_frame
from reciprocity.insights.weekly import Insight
from reciprocity.measures import registry
from reciprocity.practice.models import User
from reciprocity.therapy.dimensions import KEYS

FLYWHEEL_WEEKS = 52


def therapist_flywheel(
    user: User, *, now: datetime.datetime | None = None, weeks: int = FLYWHEEL_WEEKS, analyse: bool = True
) -> Flywheel:
    """Read one therapist's weekly figures (a few queries) and compute their flywheel as of now, in their zone."""
    now = timezone.localtime(now or timezone.now(), user.zone)
    since = now - datetime.timedelta(weeks=weeks + 1)
    scales = {}
    for column in (BURNOUT, STS, WELLBEING):
        instrument_id, scale_id = column.split(".")
        try:
            scales[column] = registry.get(instrument_id).scale(scale_id)
        except (registry.UnknownInstrument, StopIteration):
            continue
    index = week_index(now, weeks)
    figures = selectors.week_figures(user.pk, index[0].date(), index[-1].date())
    courses = selectors.client_courses(user.pk, since)
    if references := practice_references(user.pk):
        courses = with_expected(courses, references, selectors.open_courses(user.pk, references, since))
    inputs = Inputs(
        weekly=weekly_frame(figures, KEYS, index),
        session_days=session_days(figures),
        own_scores=selectors.own_scores(user.pk, BURNOUT.split(".")[0], since),
        courses=courses,
        scales=scales,
        hours_limit=user.weekly_hours_limit,
        unreflected_old=selectors.unreflected_older_than(user.pk, 14, now),
    )
    return flywheel(inputs, now=now, analyse=analyse, analyser=remembered_analysis)


REFERENCE_VERSION = 1  # part of the cache key: change it when the reference is read or kept differently
REFERENCE_SECONDS = 3600


def practice_references(therapist: int) -> dict[str, expected.Reference]:
    """The expected-response reference of each measure on which the therapist's practice has enough completed
    courses, read once and remembered in the cache.

    The key holds the practice's therapists and, per measure, the count, summed scores and latest score of
    its completed courses (an aggregate over the practice's course figures, itself remembered for a minute,
    as it costs tens of milliseconds in a large practice and Today and the flywheel are opened all day): a
    course that ends, reopens or gains or loses a score gives a new key within a minute. A score changed in
    place keeps the key, so the reference is also read again at least once an hour. The value is score
    sequences only, with nobody's identity.
    """
    therapists = selectors.practice_therapists(therapist)
    versions = {
        instrument: version
        for instrument, version in _course_versions(therapists).items()
        if version[0] >= expected.MIN_COURSES
    }
    if not versions:
        return {}
    digest = hashlib.blake2b(repr((therapists, sorted(versions.items()))).encode(), digest_size=16)
    key = f"expected-reference:{REFERENCE_VERSION}:{digest.hexdigest()}"
    found = cache.get(key)
    if found is None:
        courses = selectors.completed_courses(therapists, versions)
        found = {
            instrument: expected.reference_of(
                sequences, higher_is_better=registry.get(instrument).primary_scale.higher_is_better
            )
            for instrument, sequences in courses.items()
        }
        for reference in found.values():
            reference.starts  # noqa: B018 - made now, so the cache keeps the neighbour search's array too
        cache.set(key, found, timeout=REFERENCE_SECONDS)
    return found


VERSIONS_SECONDS = 60


def _course_versions(therapists: list[int]) -> dict[str, tuple[int, int, str]]:
    """The practice's completed-course versions per measure, computed at most once a minute per practice."""
    key = "expected-versions:" + hashlib.blake2b(repr(therapists).encode(), digest_size=16).hexdigest()
    found = cache.get(key)
    if found is None:
        found = selectors.completed_course_versions(therapists)
        cache.set(key, found, timeout=VERSIONS_SECONDS)
    return found


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
    found = cache.get(key)
    if found is None:
        found = analysis(complete)
        cache.set(key, found, timeout=7 * 24 * 3600)
    return found


def open_alerts(user: User, result: Flywheel) -> list:
    """The alerts the therapist has neither acted on nor dismissed."""
    answered = set(AlertResponse.objects.owned_by(user).values_list("alert_key", flat=True))
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
            return AlertResponse.objects.create(therapist=user, alert_key=alert_key, action=action)
    except IntegrityError:
        return AlertResponse.objects.get(therapist=user, alert_key=alert_key)


def why_i_do_this(user: User, result: Flywheel) -> dict:
    """The therapist's own most fulfilling reflections and their clients' recoveries (of the flywheel's last
    year), to resurface in a hard time."""
    courses = result.courses
    milestones = [c for c in courses if c.reliable_recovery][:3]
    return {"reflections": selectors.fulfilling_reflections(user.pk), "milestones": milestones}
