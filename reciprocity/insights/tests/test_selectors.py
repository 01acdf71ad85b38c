import datetime

from django.utils import timezone

from reciprocity.insights.models import WeekFigures
from reciprocity.insights.selectors import client_courses
from reciprocity.measures import registry
from reciprocity.measures.services import record_administration
from tests.builders import make_client


def phq9(therapist, client_obj, total_of_nine, days_ago):
    per_item = dict.fromkeys(map(str, range(1, 10)), 0)
    for item in list(per_item)[: total_of_nine // 3]:
        per_item[item] = 3
    return record_administration(
        therapist=therapist, instrument=registry.get("phq9"), answers=per_item, client=client_obj,
        completed_at=timezone.now() - datetime.timedelta(days=days_ago),
    )  # fmt: skip


def test_only_clients_with_a_recent_score_count_and_their_first_score_is_kept(ana):
    old, current = make_client(ana, "N-0001"), make_client(ana, "N-0002")
    phq9(ana, old, 18, 800)
    phq9(ana, old, 9, 700)
    phq9(ana, current, 18, 500)  # the first score, before the window
    phq9(ana, current, 6, 10)
    since = timezone.now() - datetime.timedelta(weeks=53)
    (course,) = client_courses(ana.pk, since)
    assert (course.code, course.scores) == ("N-0002", 2)
    assert (course.first, course.last, course.direction, course.reliable_recovery) == (18, 6, "improved", True)
    # The week of each score but a course's first holds the improvement since the first score.
    improvements = sorted(WeekFigures.objects.filter(therapist=ana).exclude(client_improvement=None)
                          .values_list("client_improvement", flat=True))  # fmt: skip
    assert improvements == [1.5, 2.0]  # 9 and 12 points better, in units of PHQ-9's 6-point threshold


def test_another_therapists_clients_never_appear(ana, ben):
    phq9(ben, make_client(ben, "B-0001"), 18, 5)
    assert client_courses(ana.pk, timezone.now() - datetime.timedelta(weeks=53)) == []
