"""Whatever the hour the demo is built, each therapist's Today has a session waiting for a reflection."""

import datetime

import pytest

from reciprocity.demo.builder import build_demo
from reciprocity.practice.models import User
from reciprocity.therapy.selectors import today_overview

EARLY_THURSDAY = datetime.datetime(2026, 12, 3, 7, 50, tzinfo=datetime.UTC)  # before the day's first session
EARLY_MONDAY = datetime.datetime(2026, 11, 30, 5, 50, tzinfo=datetime.UTC)  # after a weekend without sessions
LATE_MONDAY = datetime.datetime(2026, 11, 30, 22, 50, tzinfo=datetime.UTC)


@pytest.mark.parametrize("now", [EARLY_THURSDAY, EARLY_MONDAY, LATE_MONDAY])
def test_every_therapist_has_a_session_to_reflect_on_at_any_hour_the_demo_is_built(db, now):
    build_demo(password="demo-password", seed=7, now=now, index=False)
    for username in ("alex", "sam", "robin"):
        overview = today_overview(User.objects.get(username=username), now=now)
        assert overview.unreflected_count >= 1, username
