import datetime
import re
from io import StringIO

import pytest
from django.core.management import call_command
from django.test import override_settings

from reciprocity.clients.models import Client
from reciprocity.demo.builder import DEMO_PRACTICE, build_demo
from reciprocity.practice.models import Membership, User
from reciprocity.therapy.models import Reflection, Session
from tests.builders import world_rolled_back

NOW = datetime.datetime(2026, 11, 26, 13, 0, tzinfo=datetime.UTC)  # a Thursday afternoon


@pytest.fixture(scope="module")
def built(django_db_setup, django_db_blocker):
    """The demo practice, built once for this module and rolled back after it (each test rolls back its own)."""
    fast = override_settings(PASSWORD_HASHERS=["django.contrib.auth.hashers.MD5PasswordHasher"])
    with django_db_blocker.unblock(), fast, world_rolled_back():
        yield build_demo(password="demo-password", seed=7, now=NOW, index=False)


@pytest.fixture
def demo(built, db):
    return built


def _mean_index(username, start_days, end_days):
    reflections = Reflection.objects.filter(
        author__username=username,
        occurred_at__gte=NOW - datetime.timedelta(days=start_days),
        occurred_at__lt=NOW - datetime.timedelta(days=end_days),
    )
    values = [r.reciprocity_index for r in reflections]
    assert len(values) >= 20, f"too few reflections for {username} to compare"
    return sum(values) / len(values)


def test_demo_creates_a_practice_of_five_with_a_year_of_work(demo):
    roles = dict(Membership.objects.filter(practice__name=DEMO_PRACTICE).values_list("user__username", "role"))
    assert roles == {
        "alex": "therapist",
        "sam": "therapist",
        "robin": "therapist",
        "kim": "supervisor",
        "jo": "director",
    }
    for name in ("alex", "sam", "robin"):
        sessions = Session.objects.filter(client__therapist__username=name)
        first = sessions.order_by("starts_at").first().starts_at
        assert NOW - first > datetime.timedelta(days=350)
        assert sessions.count() > 600
        assert Reflection.objects.filter(author__username=name, session__isnull=True).exists()
    assert User.objects.get(username="sam").check_password("demo-password")


def test_the_three_arcs_tell_different_stories(demo):
    # thriving: rises; sliding: falls; recovering: dips around month four, then climbs back.
    assert _mean_index("alex", 56, 0) > _mean_index("alex", 365, 300)
    assert _mean_index("sam", 56, 0) < _mean_index("sam", 365, 300) - 0.5
    assert _mean_index("robin", 290, 220) < _mean_index("robin", 56, 0) - 0.5
    assert _mean_index("alex", 56, 0) > _mean_index("sam", 56, 0) + 1

    # the one sliding towards burnout carries more load and reflects less
    def late(name):
        return Session.objects.filter(
            client__therapist__username=name, starts_at__gte=NOW - datetime.timedelta(days=56)
        )

    def reflected_share(name):
        return late(name).filter(reflection__isnull=False).count() / late(name).count()

    assert reflected_share("sam") < reflected_share("alex") - 0.25


def test_no_sentence_is_repeated_anywhere_in_the_demo(demo):
    sentences = []
    for gave_me, carry_home in Reflection.objects.values_list("gave_me", "carry_home"):
        sentences += [s for s in re.split(r"(?<=[.!?])\s+", f"{gave_me} {carry_home}".strip()) if s]
    assert len(sentences) > 1500
    assert len(sentences) == len(set(sentences))


def test_today_has_sessions_waiting_for_a_reflection(demo):
    """As of the moment the demo was built (NOW): a page read a week later would find the week gone by."""
    from django.template.loader import render_to_string

    from reciprocity.therapy.selectors import today_overview

    waiting = today_overview(User.objects.get(username="sam"), now=NOW).waiting
    html = render_to_string("therapy/session_items.html", {"sessions": waiting, "show_client": True})
    assert waiting and "Reflect on the session with" in html


def test_running_it_twice_adds_nothing_and_the_same_seed_gives_the_same_data(demo):
    def fingerprint():
        # Sorted whole: two reflections of one person at one moment have no order in the database.
        return sorted(Reflection.objects.values_list("author__username", "occurred_at", "empathy", "boundaries",
                                                     "gave_me"))  # fmt: skip

    before = (Client.objects.count(), Session.objects.count(), fingerprint())
    assert build_demo(password="demo-password", seed=7, now=NOW, index=False).created is False
    assert (Client.objects.count(), Session.objects.count(), fingerprint()) == before
    User.objects.all().delete()
    Membership.objects.all().delete()
    from reciprocity.practice.models import Practice

    Practice.objects.all().delete()
    assert build_demo(password="demo-password", seed=7, now=NOW, index=False).created is True
    assert fingerprint() == before[2]


def test_the_command_prints_the_logins(demo):
    # On the demo built for this module: building and indexing it again would take a minute, and the
    # browser tests' site runs the command on an empty database.
    out = StringIO()
    call_command("demo", "--password", "a-demo-pass", stdout=out)
    text = out.getvalue()
    assert "already exists; nothing added (passwords set to the one given)" in text
    assert "http://127.0.0.1:8000/" in text and "password: a-demo-pass" in text
    for name in ("alex", "sam", "robin", "kim", "jo"):
        assert f"  {name} " in text


def test_a_second_run_keeps_changed_passwords_unless_one_is_given(demo):
    sam = User.objects.get(username="sam")
    sam.set_password("my own new password")
    sam.save()
    call_command("demo", stdout=StringIO())
    sam.refresh_from_db()
    assert sam.check_password("my own new password")
    call_command("demo", "--password", "reset-to-this", stdout=StringIO())
    sam.refresh_from_db()
    assert sam.check_password("reset-to-this")


def test_demo_measures_tell_the_same_stories(demo):
    from reciprocity.measures.models import Administration
    from reciprocity.measures.selectors import client_progress

    def burnout(name):
        own = Administration.objects.filter(therapist__username=name, instrument_id="proqol5").order_by("completed_at")
        return [a.scale_scores["burnout"]["score"] for a in own]

    assert len(burnout("sam")) >= 12
    assert sum(burnout("sam")[-3:]) / 3 > sum(burnout("sam")[:3]) / 3 + 6
    flags = Administration.objects.with_open_flags()
    assert [(a.therapist.username, a.instrument_id) for a in flags] == [("sam", "phq9")]
    for name in ("alex", "sam", "robin"):
        directions = {
            t.change.direction
            for c in Client.objects.filter(therapist__username=name)
            for t in client_progress(c)
            if t.change and t.instrument.id == "phq9"
        }
        assert {"improved", "deteriorated"} <= directions, name
