import datetime

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from scipy import stats

from reciprocity.measures import registry
from reciprocity.measures.services import record_administration
from reciprocity.repertoire.helps import (
    MOOD_AFTER,
    WELLBEING,
    compare,
    daily_means,
    days_after,
    welch_interval,
    what_helps,
)
from reciprocity.repertoire.selectors import repertoire_of, what_helps_me
from reciprocity.repertoire.services import add_item, log_trial
from tests.builders import make_reflection, sign_in

DAY0 = datetime.date(2025, 3, 3)
TRIES = [DAY0 + datetime.timedelta(days=14 * k) for k in range(5)]  # a fortnight apart: windows never touch


def _on(day: datetime.date, after: int) -> datetime.date:
    return day + datetime.timedelta(days=after)


# Mood after, hand-computed: after-try days 7, 8, 9, 8, 8 (mean 8.0, variance 0.5), other days 4, 5, 3, 4, 4
# (mean 4.0, variance 0.5). Difference +4.0; standard error √(0.5/5 + 0.5/5) = √0.2 = 0.4472; Welch degrees of
# freedom 0.2² / (2 × 0.1² / 4) = 8; t(0.975, 8) = 2.3060, so the interval is 4.0 ± 1.0313.
MOOD_AFTER_TRIES, MOOD_OTHER_DAYS = [7, 8, 9, 8, 8], [4, 5, 3, 4, 4]


def _strong_mood() -> dict[datetime.date, float]:
    after = {day: value for day, value in zip(TRIES, MOOD_AFTER_TRIES, strict=True)}
    other = {_on(day, 7): value for day, value in zip(TRIES, MOOD_OTHER_DAYS, strict=True)}
    return after | other


def test_a_strong_difference_has_the_hand_computed_mean_and_an_interval_that_excludes_zero():
    found = compare(TRIES, _strong_mood(), MOOD_AFTER)
    assert (found.after_days, found.other_days) == (5, 5)
    assert found.difference == pytest.approx(4.0)
    assert found.low == pytest.approx(4.0 - 2.306004 * 0.2**0.5, abs=1e-4)
    assert found.high == pytest.approx(4.0 + 2.306004 * 0.2**0.5, abs=1e-4)
    assert found.low > 0 and found.verdict == "higher after tries"


def test_the_same_difference_the_other_way_reads_lower():
    swapped = {day: 12 - value for day, value in _strong_mood().items()}
    found = compare(TRIES, swapped, MOOD_AFTER)
    assert found.difference == pytest.approx(-4.0)
    assert found.high < 0 and found.verdict == "lower after tries"


def test_noise_gives_an_interval_that_includes_zero():
    after = dict(zip(TRIES, [5, 7, 4, 6, 6], strict=True))  # mean 5.6
    other = {_on(day, 7): value for day, value in zip(TRIES, [6, 4, 5, 7, 5], strict=True)}  # mean 5.4
    found = compare(TRIES, after | other, MOOD_AFTER)
    assert found.difference == pytest.approx(0.2)
    assert found.low < 0 < found.high and found.verdict == "no clear difference"


def test_the_interval_is_welchs_as_scipy_computes_it():
    after, other = [3.0, 7.5, 6.0, 9.0], [2.0, 4.5, 3.0, 6.0, 1.0, 5.5]
    difference, low, high = welch_interval(after, other)
    expected = stats.ttest_ind(after, other, equal_var=False).confidence_interval(0.95)
    assert (low, high) == pytest.approx((expected.low, expected.high))
    assert difference == pytest.approx(sum(after) / 4 - sum(other) / 6)


def test_a_day_counts_as_after_a_try_up_to_the_end_of_its_window():
    assert days_after([DAY0], MOOD_AFTER.window_days) == {_on(DAY0, n) for n in range(4)}  # the day and 3 after
    assert _on(DAY0, 6) in days_after([DAY0], WELLBEING.window_days)
    assert _on(DAY0, 7) not in days_after([DAY0], WELLBEING.window_days)


def test_several_values_on_a_day_count_as_one_day_at_their_mean():
    assert daily_means([(DAY0, 4), (DAY0, 8), (_on(DAY0, 1), 5)]) == {DAY0: 6.0, _on(DAY0, 1): 5.0}


def test_four_tries_are_not_enough_data_and_five_are_compared():
    four = what_helps(TRIES[:4], {MOOD_AFTER.key: _strong_mood()})
    assert four.tries == 4 and not four.has_enough_tries and four.comparisons == ()
    five = what_helps(TRIES, {MOOD_AFTER.key: _strong_mood()})
    assert five.has_enough_tries
    by_key = {c.outcome.key: c for c in five.comparisons}
    assert by_key[MOOD_AFTER.key].verdict == "higher after tries"
    assert by_key[WELLBEING.key].verdict == "not enough data"  # no check-ins at all


def test_fewer_than_three_days_on_either_side_is_not_enough_data():
    two_other_days = {day: v for day, v in _strong_mood().items() if day in TRIES or day <= _on(TRIES[1], 7)}
    found = compare(TRIES, two_other_days, MOOD_AFTER)
    assert (found.after_days, found.other_days) == (5, 2)
    assert not found.is_estimated and found.verdict == "not enough data"


def test_no_variation_on_either_side_is_not_enough_data_rather_than_a_certain_difference():
    flat = {day: 8 for day in TRIES} | {_on(day, 7): 4 for day in TRIES}
    assert compare(TRIES, flat, MOOD_AFTER).verdict == "not enough data"


# The page, from the database: Ana's own rows only.


def _noon(day: datetime.date) -> datetime.datetime:
    return datetime.datetime.combine(day, datetime.time(12), tzinfo=datetime.UTC)


def _who5(therapist, day: datetime.date, answers: list[int]) -> None:
    who5 = registry.get("who5")
    record_administration(therapist=therapist, instrument=who5, completed_at=_noon(day),
                          answers={item.id: a for item, a in zip(who5.items, answers, strict=True)})  # fmt: skip


def _tried(owner, title: str, days: list[datetime.date]):
    item = add_item(owner=owner, title=title)
    for day in days:
        log_trial(item, by=owner, tried_on=day, situation="A long day.", helped=4)
    return item


def _ana_world(ana) -> None:
    """Mood after as in the hand-computed case (+4.0), and WHO-5 at 80 % two days after each try, 40 % nine
    days after (80, 76, 84, 80, 80 against 40, 36, 44, 40, 40: +40.0 points)."""
    for day, mood in _strong_mood().items():
        make_reflection(author=ana, occurred_at=_noon(day), mood_after=mood)
    for day, high, low in zip(TRIES, [4, 3, 5, 4, 4], [2, 1, 3, 2, 2], strict=True):
        _who5(ana, _on(day, 2), [4, 4, 4, 4, high])
        _who5(ana, _on(day, 9), [2, 2, 2, 2, low])


def _section(html: str) -> str:
    start = html.index('<section id="what-helps"')
    return html[start : html.index("</section>", start)]


def test_the_owner_sees_what_went_with_their_tries_with_intervals_and_units(ana, as_ana):
    _tried(ana, "Paced breathing", TRIES)
    _ana_world(ana)
    section = _section(as_ana.get(reverse("repertoire:index")).content.decode())
    assert "What helps me" in section and "<caption" in section
    assert "+4.0 points" in section and "+40.0 points" in section
    assert "Higher after tries" in section and "5 after tries, 5 other" in section
    assert "Welch t interval" in section and "observational" in section


def test_the_section_never_speaks_of_causes(ana, as_ana):
    _tried(ana, "Paced breathing", TRIES)
    _tried(ana, "Values card", TRIES[:2])
    _ana_world(ana)
    section = _section(as_ana.get(reverse("repertoire:index")).content.decode()).lower()
    assert "cause" not in section and "because" not in section


def test_four_tries_show_not_enough_data_and_the_fifth_shows_the_figures(ana, as_ana):
    item = _tried(ana, "Paced breathing", TRIES[:4])
    _ana_world(ana)
    section = _section(as_ana.get(reverse("repertoire:index")).content.decode())
    assert "tried 4 times" in section and "Not enough data: this needs at least 5 tries" in section
    assert "<table" not in section  # listed, not a table row as wide as six columns (a phone cut it off)
    assert "points" not in section.split("How this is worked out")[0]
    log_trial(item, by=ana, tried_on=TRIES[4], situation="Again.", helped=3)
    section = _section(as_ana.get(reverse("repertoire:index")).content.decode())
    assert "tried 5 times" in section and "+4.0 points" in section


def test_another_therapists_rows_never_change_the_result(ana, ben, as_ana):
    _tried(ana, "Paced breathing", TRIES)
    _ana_world(ana)
    before = what_helps_me(ana, repertoire_of(ana).tried)
    _tried(ben, "Bens cold shower", [_on(day, 7) for day in TRIES])
    for day in TRIES:  # the opposite picture, on the very same days
        make_reflection(author=ben, occurred_at=_noon(day), mood_after=1)
        make_reflection(author=ben, occurred_at=_noon(_on(day, 7)), mood_after=10)
        _who5(ben, _on(day, 2), [0, 0, 0, 0, 0])
        _who5(ben, _on(day, 9), [5, 5, 5, 5, 5])
    after = what_helps_me(ana, repertoire_of(ana).tried)
    assert [row.helps for row in after] == [row.helps for row in before]
    assert after[0].helps.comparisons[1].difference == pytest.approx(4.0)
    section = _section(as_ana.get(reverse("repertoire:index")).content.decode())
    assert "Bens cold shower" not in section and "+4.0 points" in section


def test_an_outsider_sees_only_their_own_items_in_the_section(ana, ben, client):
    _tried(ana, "Paced breathing", TRIES)
    _tried(ben, "Bens cold shower", TRIES)
    section = _section(sign_in(client, ben).get(reverse("repertoire:index")).content.decode())
    assert "Bens cold shower" in section and "Paced breathing" not in section


def test_nothing_tried_shows_no_section(ana, as_ana):
    add_item(owner=ana, title="Values card")
    assert 'id="what-helps"' not in as_ana.get(reverse("repertoire:index")).content.decode()


def test_the_page_reads_a_fixed_number_of_queries_whatever_the_number_of_items(
    ana, as_ana, django_assert_max_num_queries
):
    _ana_world(ana)
    _tried(ana, "Item 0", TRIES)
    with CaptureQueriesContext(connection) as one:
        as_ana.get(reverse("repertoire:index"))
    for n in range(1, 6):
        _tried(ana, f"Item {n}", TRIES)
    with django_assert_max_num_queries(8), CaptureQueriesContext(connection) as six:  # two of them for this section
        assert "Item 5" in as_ana.get(reverse("repertoire:index")).content.decode()
    assert len(six) == len(one)
