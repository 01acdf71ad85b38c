import datetime

from django.utils import timezone

from reciprocity.insights.selectors import client_courses, client_scores, outcomes_frame
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
    scores = client_scores(ana.pk, since)
    assert {s.code for s in scores} == {"N-0002"} and [s.score for s in scores] == [18, 6]
    (course,) = client_courses(ana.pk, scores)
    assert (course.first, course.last, course.direction, course.reliable_recovery) == (18, 6, "improved", True)
    frame = outcomes_frame(scores)
    assert list(frame["improvement"]) == [2.0]  # 12 points better, in units of the 6-point threshold


def test_another_therapists_clients_never_appear(ana, ben):
    phq9(ben, make_client(ben, "B-0001"), 18, 5)
    assert client_scores(ana.pk, timezone.now() - datetime.timedelta(weeks=53)) == []
