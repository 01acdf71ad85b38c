import pytest

from reciprocity.insights.alerts import ClientCourse, client_alerts, with_expected
from reciprocity.insights.expected import (
    MIN_COURSES,
    NEIGHBOURS,
    Reference,
    band_at,
    expected_band,
    nearest,
    reference_of,
    score_at,
    verdict,
)


def improvers(n: int = MIN_COURSES) -> Reference:
    """`n` courses from intake 20 falling 2 points a score, their ends spread from 8 to 12 (session 2 at 18)."""
    return reference_of([(20, 18, 16 + i % 5, 14 + i % 5, 12 + i % 5) for i in range(n)])


def test_a_completed_course_needs_four_scores():
    reference = reference_of([(10, 9, 8), (10, 9, 8, 7)])
    assert reference.courses == ((10.0, 9.0, 8.0, 7.0),)


def test_the_nearest_courses_are_those_with_the_closest_intake_and_early_change():
    courses = [(20, 20, 20, 20), (10, 8, 6, 4), (11, 9, 7, 5), (10, 15, 15, 15)]
    assert nearest(courses, intake=10, change=-2, k=2) == [(10, 8, 6, 4), (11, 9, 7, 5)]


def test_nearest_keeps_the_reference_order_on_ties():
    courses = [(9, 9, 0, 0), (11, 11, 1, 1), (10, 10, 2, 2)]
    assert nearest(courses, intake=10, change=0, k=2) == [(10, 10, 2, 2), (9, 9, 0, 0)]


def test_a_course_that_ended_keeps_its_last_score():
    assert score_at((10, 8, 6, 4), 2) == 8 and score_at((10, 8, 6, 4), 9) == 4


def test_the_band_is_the_10th_to_90th_percentile_of_the_neighbours_at_that_session():
    neighbours = [(0, 0, float(i), 0) for i in range(11)]  # session 3 scores 0..10
    band = band_at(neighbours, 3)
    assert (band.low, band.median, band.high) == (1.0, 5.0, 9.0)


def test_no_band_below_thirty_completed_courses_or_before_a_second_score():
    assert expected_band(improvers(MIN_COURSES - 1), [20, 18, 16]) is None
    assert expected_band(improvers(), [20]) is None
    assert expected_band(improvers(), [20, 18]).session == 2


def test_no_verdict_before_the_third_score():
    assert verdict(improvers(), [20, 18]) is None
    assert verdict(improvers(), [20, 18, 30]).band.session == 3


@pytest.mark.parametrize(("latest", "off"), [(15.9, False), (16.0, False), (16.1, True), (27, True), (0, False)])
def test_only_a_score_above_the_band_is_off_track_when_lower_is_better(latest, off):
    found = verdict(improvers(), [20, 18, 16, 16, latest])  # session 5: the neighbours' 12..16, 90th = 16
    assert found.band.high == 16 and found.is_off_track is off
    assert found.neighbours == NEIGHBOURS and found.reference == MIN_COURSES


@pytest.mark.parametrize(("latest", "off"), [(11.9, True), (12.0, False), (20, False)])
def test_only_a_score_below_the_band_is_off_track_when_higher_is_better(latest, off):
    reference = Reference(improvers().courses, higher_is_better=True)
    found = verdict(reference, [20, 18, 16, 16, latest])  # 10th percentile at session 5 = 12
    assert found.band.low == 12 and found.is_off_track is off and found.edge == ("below", 10, 12)


def course(code: str = "N-0007", **fields) -> ClientCourse:
    fields = {"sessions": 5, "scores": 5, "direction": "no_reliable_change", "measure": "PHQ-9",
              "instrument": "phq9", "first": 20, "last": 25} | fields  # fmt: skip
    return ClientCourse(code=code, **fields)


def test_the_alert_names_the_expected_response_method_with_its_figures():
    courses = with_expected([course()], {"phq9": improvers(42)}, {("N-0007", "phq9"): [20, 18, 16, 17, 25]})
    (alert,) = client_alerts(courses)
    assert alert.kind == "client_off_track" and alert.client_code == "N-0007"
    assert alert.rule == (
        "Expected-response band from the 20 most similar of 42 completed PHQ-9 courses in your practice: "
        "latest PHQ-9 25 is above the 90th percentile (16) at score 5"
    )
    assert alert.actions == ("review_client", "supervision", "dismiss")


def test_an_on_track_course_raises_nothing_even_without_reliable_change_after_eight_sessions():
    flat = course(sessions=9, last=16)
    courses = with_expected([flat], {"phq9": improvers()}, {("N-0007", "phq9"): [20, 18, 16, 16, 16]})
    assert courses[0].has_reference and not courses[0].expected.is_off_track
    assert client_alerts(courses) == []


def test_below_thirty_courses_the_fixed_rule_flags_and_says_so():
    courses = with_expected(
        [course(direction="deteriorated")], {"phq9": improvers(MIN_COURSES - 1)}, {("N-0007", "phq9"): [20, 25]}
    )
    (alert,) = client_alerts(courses)
    assert not courses[0].has_reference and alert.kind == "client_deteriorated"
    assert alert.rule.startswith("Fixed rule (your practice has fewer than 30 completed courses on the measure)")


def test_a_measure_without_a_reference_keeps_the_fixed_rule_beside_one_with_it():
    own = [course(), course(measure="GAD-7", instrument="gad7", direction="deteriorated")]
    courses = with_expected(own, {"phq9": improvers()}, {("N-0007", "phq9"): [20, 18, 16, 16, 16]})
    (alert,) = client_alerts(courses)
    assert alert.kind == "client_deteriorated" and alert.title == "N-0007 is reliably worse on GAD-7"


def test_an_ended_client_raises_nothing():
    courses = with_expected([course(ended=True)], {"phq9": improvers()}, {("N-0007", "phq9"): [20, 18, 16, 17, 25]})
    assert client_alerts(courses) == []
