import datetime

import pytest
from django.core.cache import cache
from django.utils import timezone

from reciprocity.insights import figures, selectors
from reciprocity.insights.services import practice_references, therapist_flywheel
from reciprocity.measures import registry
from reciprocity.measures.models import Administration
from reciprocity.measures.services import scored_administration
from reciprocity.practice.models import User
from tests.builders import make_client, sign_in


@pytest.fixture(autouse=True)
def _empty_cache():
    cache.clear()
    yield
    cache.clear()


def phq9_answers(total: int) -> dict[str, int]:
    """PHQ-9 answers that sum to `total`, item 9 (the risk item) left at 0 up to 24."""
    answers, left = {}, total
    for item in [str(i) for i in range(1, 9)] + ["9"]:
        answers[item] = min(3, left)
        left -= answers[item]
    return answers


def add_courses(therapist: User, prefix: str, courses: list[list[int]], *, ended: bool = True) -> None:
    """One client per course, a PHQ-9 a week apart ending last week, written in bulk with the figures rebuilt."""
    phq9, start = registry.get("phq9"), timezone.now() - datetime.timedelta(weeks=20)
    rows = []
    for number, scores in enumerate(courses, 1):
        ended_on = start.date() + datetime.timedelta(weeks=len(scores)) if ended else None
        client = make_client(therapist, f"{prefix}-{number:04d}", started_on=start.date(), ended_on=ended_on)
        rows += [
            scored_administration(therapist=therapist, instrument=phq9, answers=phq9_answers(score), client=client,
                                  completed_at=start + datetime.timedelta(weeks=week))
            for week, score in enumerate(scores)
        ]  # fmt: skip
    Administration.objects.bulk_create(rows)
    figures.rebuild(therapist.pk)


IMPROVERS = [[20, 18, 16, 14, 12 + i % 3] for i in range(30)]


def test_the_practice_is_everyone_who_shares_one_with_the_therapist(ana, ben, cara):
    assert selectors.practice_therapists(ana.pk) == sorted([ana.pk, ben.pk])
    assert selectors.practice_therapists(cara.pk) == [cara.pk]


def test_completed_courses_are_the_practices_ended_courses_of_four_scores_or_more(ana, ben, cara):
    add_courses(ana, "N", [[20, 18, 16, 14]])
    add_courses(ben, "B", [[21, 19, 17, 15, 13], [9, 9, 9]])  # the second has three scores only
    add_courses(ben, "C", [[25, 25, 25, 25]], ended=False)
    add_courses(cara, "S", [[5, 5, 5, 5]])
    found = selectors.completed_courses(selectors.practice_therapists(ana.pk), ["phq9"])
    assert sorted(found["phq9"]) == [[20, 18, 16, 14], [21, 19, 17, 15, 13]]
    assert selectors.completed_course_versions([ana.pk, ben.pk])["phq9"][:2] == (2, 9)
    assert selectors.completed_courses([cara.pk], ["phq9"]) == {"phq9": [[5, 5, 5, 5]]}


def test_another_practices_courses_never_make_the_reference(ana, cara):
    add_courses(cara, "S", IMPROVERS)
    assert practice_references(cara.pk)[1]["phq9"].is_active
    assert practice_references(ana.pk)[1] == {}


def test_the_reference_is_read_again_when_a_course_ends(ana, ben, django_assert_num_queries):
    add_courses(ben, "B", IMPROVERS[:29])
    assert practice_references(ana.pk)[1] == {}
    add_courses(ben, "C", IMPROVERS[:1])
    assert practice_references(ana.pk)[1] == {}  # the versions are remembered for a minute
    cache.clear()  # a minute later the versions are read again (here the reference too)
    assert len(practice_references(ana.pk)[1]["phq9"].courses) == 30
    with django_assert_num_queries(1):  # the practice; the versions and the courses come from the cache
        assert len(practice_references(ana.pk)[1]["phq9"].courses) == 30


def test_open_courses_are_the_therapists_own_clients_still_in_therapy(ana, ben):
    add_courses(ana, "N", [[20, 22, 24]], ended=False)
    add_courses(ana, "E", [[20, 22, 24, 26]])
    add_courses(ben, "B", [[20, 22, 24]], ended=False)
    since = timezone.now() - datetime.timedelta(weeks=52)
    assert selectors.open_courses(ana.pk, ["phq9"], since) == {("N-0001", "phq9"): [20, 22, 24]}


def planted_practice(ana: User, ben: User) -> None:
    """Ben's 30 ended courses of improvers, and Ana's client N-0001 getting worse after improving like them."""
    add_courses(ben, "B", IMPROVERS)
    add_courses(ana, "N", [[20, 18, 21, 24]], ended=False)


def test_the_flywheel_shows_the_expected_response_flag_and_nothing_of_a_colleagues_clients(as_ana, ana, ben):
    planted_practice(ana, ben)
    html = as_ana.get("/dashboard/flywheel/").content.decode()
    assert "N-0001 is off the expected course on PHQ-9" in html
    assert "Expected-response band from the 20 most similar of 30 completed PHQ-9 courses in your practice" in html
    assert "Review the client" in html
    assert '<form method="post" action="/dashboard/flywheel/alerts/" class="row">' in html  # where it is answered
    assert "B-00" not in html  # no code of Ben's clients


def test_a_colleagues_courses_shape_the_band_but_his_own_page_never_shows_anas_clients(client, ana, ben):
    planted_practice(ana, ben)
    html = sign_in(client, ben).get("/dashboard/flywheel/").content.decode()
    assert "N-0001" not in html and "off the expected course" not in html


def test_today_counts_the_flagged_client(as_ana, ana, ben):
    planted_practice(ana, ben)
    alerts = therapist_flywheel(ana, analyse=False).alerts
    assert [a.kind for a in alerts if a.is_about_a_client] == ["client_off_track"]
    assert "1 client not on track" in as_ana.get("/").content.decode()


def test_below_thirty_courses_the_page_says_the_fixed_rule_flagged(as_ana, ana, ben):
    add_courses(ben, "B", IMPROVERS[:29])
    add_courses(ana, "N", [[10, 16, 21, 24]], ended=False)
    html = as_ana.get("/dashboard/flywheel/").content.decode()
    assert "N-0001 is reliably worse on PHQ-9" in html
    assert "Fixed rule (your practice has fewer than 30 completed courses on the measure)" in html
