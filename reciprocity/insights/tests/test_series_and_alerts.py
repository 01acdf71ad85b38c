import datetime
import zoneinfo

import pandas as pd
import pytest

from reciprocity.insights.alerts import ClientCourse, ScaleHistory, boundary_alerts, client_alerts, wellbeing_alerts
from reciprocity.insights.figures import SessionRow, summarise_week
from reciprocity.insights.practice import percentile_in_team, team_figures
from reciprocity.insights.series import trend_per_week, week_index, weekly_frame
from reciprocity.insights.weekly import weekly_insight
from reciprocity.measures import registry
from reciprocity.therapy.dimensions import KEYS

LISBON = zoneinfo.ZoneInfo("Europe/Lisbon")
NOW = datetime.datetime(2026, 3, 26, 12, 0, tzinfo=LISBON)  # a Thursday


def at(day, hour, minute=0):
    return datetime.datetime(2026, 3, day, hour, minute, tzinfo=LISBON)


def test_load_of_a_hand_made_week():
    week = summarise_week(
        [
            SessionRow(at(23, 9), 50, True, 8, 5, 5, True),
            SessionRow(at(23, 10), 50, False, 4, 7, 3, False),  # starts 10 minutes after the first ends
            SessionRow(at(25, 14), 60, False, 6, None, None, True),
        ],
        at(22, 8, 50), [], [], [], LISBON,
    )  # fmt: skip
    frame = weekly_frame([{"week": datetime.date(2026, 3, 23), **week}], KEYS, week_index(NOW, 2))
    row = frame.loc[pd.Timestamp("2026-03-23")]
    assert (row["sessions"], row["hours"], row["back_to_back"], row["days_off"]) == (3, pytest.approx(160 / 60), 1, 5)
    assert row["trauma_share"] == pytest.approx(1 / 3) and row["load"] == pytest.approx(6)
    assert row["reflected_share"] == pytest.approx(2 / 3) and row["calm"] == pytest.approx(6)


def test_back_to_back_counts_across_the_edge_of_a_week():
    sunday_late = at(22, 23, 0)  # ends 23:50; Monday's first session starts 10 minutes later
    week = summarise_week([SessionRow(at(23, 0, 0), 50, False, None, None, None, False)],
                          sunday_late + datetime.timedelta(minutes=50), [], [], [], LISBON)  # fmt: skip
    assert week["back_to_back"] == 1 and week["session_days"] == 0b1


def test_an_empty_history_gives_zeros_where_zero_is_true_and_gaps_elsewhere():
    assert summarise_week([], None, [], [], [], LISBON) is None
    frame = weekly_frame([], KEYS, week_index(NOW, 3))
    assert list(frame["sessions"]) == [0, 0, 0] and list(frame["days_off"]) == [7, 7, 7]
    assert frame["load"].isna().all() and frame["reciprocity"].isna().all()


def test_trend_needs_four_weeks_and_is_zero_for_a_flat_line():
    index = week_index(NOW, 8)
    assert trend_per_week(pd.Series([1.0, 2.0, 3.0] + [None] * 5, index=index)) is None
    assert trend_per_week(pd.Series([2.0] * 8, index=index)) == 0.0
    assert trend_per_week(pd.Series(range(8), index=index, dtype=float)) == pytest.approx(1.0)


def proqol(scale_id):
    return registry.get("proqol5").scale(scale_id)


def history(scale_id, *scores):
    start = datetime.datetime(2026, 1, 1, tzinfo=LISBON)
    return ScaleHistory(
        proqol(scale_id), scale_id, [(start + datetime.timedelta(days=30 * i), s) for i, s in enumerate(scores)]
    )


def test_burnout_at_the_cut_score_and_a_reliable_rise_raise_alerts():
    trauma = pd.Series([0.2] * 8)
    kinds = {
        a.kind for a in wellbeing_alerts(history("burnout", 30, 42), history("secondary_traumatic_stress", 20), trauma)
    }
    assert kinds == {"burnout_high", "burnout_rising"}
    assert wellbeing_alerts(history("burnout", 30, 33), history("secondary_traumatic_stress", 20), trauma) == []


def test_sts_rising_with_trauma_load():
    trauma = pd.Series([0.1] * 4 + [0.4] * 4)
    alerts = wellbeing_alerts(history("burnout", 20), history("secondary_traumatic_stress", 20, 24), trauma)
    assert [a.kind for a in alerts] == ["sts_with_trauma"]
    assert "10%" in alerts[0].explanation and "40%" in alerts[0].explanation


def test_boundary_alerts():
    weekly = pd.DataFrame({"hours": [20.0, 31.0, 5.0]}, index=week_index(NOW, 3))
    days = [NOW.date() - datetime.timedelta(days=d) for d in range(13)]
    kinds = {a.kind for a in boundary_alerts(weekly, days, today=NOW.date(), hours_limit=30, unreflected_old=9)}
    assert kinds == {"hours", "no_day_off", "unreflected"}
    assert boundary_alerts(weekly, days[:11], today=NOW.date(), hours_limit=None, unreflected_old=2) == []


def test_client_alerts_are_one_per_client_and_skip_ended_clients():
    courses = [
        ClientCourse("N-0001", 10, 3, "deteriorated", "PHQ-9"),
        ClientCourse("N-0001", 10, 3, "no_reliable_change", "GAD-7"),
        ClientCourse("N-0002", 9, 3, "no_reliable_change", "PHQ-9"),
        ClientCourse("N-0003", 5, 2, "no_reliable_change", "PHQ-9"),  # too few sessions to judge
        ClientCourse("N-0004", 20, 4, "deteriorated", "PHQ-9", ended=True),
    ]
    alerts = client_alerts(courses)
    assert [(a.client_code, a.kind) for a in alerts] == [
        ("N-0001", "client_deteriorated"),
        ("N-0002", "client_no_change"),
    ]


def test_the_weekly_insight_finds_a_planted_difference_and_states_its_interval():
    index = week_index(NOW, 24)
    good = [3.0, 3.2] * 6
    hard = [1.0, 1.2] * 6
    weekly = pd.DataFrame({
        "reciprocity": good + hard,
        "sessions": [15.0, 16.0] * 6 + [24.0, 25.0] * 6,
        **{c: [1.0] * 24 for c in ("trauma_share", "back_to_back", "days_off", "calm", "tired", "supervision")},
    }, index=index)  # fmt: skip
    insight = weekly_insight(weekly)
    assert insight.factor == "sessions" and insight.difference == pytest.approx(-9.0)
    assert "95% interval" in insight.sentence and "fewer" in insight.sentence and "does not show" in insight.sentence


def test_the_weekly_insight_says_so_when_data_is_short_or_flat():
    index = week_index(NOW, 4)
    assert weekly_insight(pd.DataFrame({"reciprocity": [None] * 4}, index=index)).sentence.startswith("Not enough data")
    flat = pd.DataFrame({"reciprocity": [1.0, 3.0] * 8, "sessions": [10.0] * 16}, index=week_index(NOW, 16))
    for column in ("trauma_share", "back_to_back", "days_off", "calm", "tired", "supervision"):
        flat[column] = 1.0
    assert weekly_insight(flat).sentence.startswith("Nothing stands out yet")


def team(n, consented):
    return pd.DataFrame({"name": [f"T{i}" for i in range(n)], "consented": consented, "reciprocity": range(n)})


def test_team_figures_never_let_a_non_consenting_colleague_be_worked_out():
    # four named colleagues and one who did not consent: a median would give the fifth one away
    hidden = team_figures(team(5, [True, True, True, True, False]), {"reciprocity": "Reciprocity"})[0]
    assert not hidden.is_shown and set(hidden.individual) == {"T0", "T1", "T2", "T3"}
    assert team_figures(team(4, [True] * 4), {"reciprocity": "Reciprocity"})[0].median == 1.5
    five = team_figures(team(5, [False] * 5), {"reciprocity": "Reciprocity"})[0]
    assert five.median == 2.0 and five.low_quartile is None and five.individual == {}
    ten = team_figures(team(10, [False] * 10), {"reciprocity": "Reciprocity"})[0]
    assert ten.low_quartile == 2.25 and ten.high_quartile == 6.75
    mixed = team_figures(team(9, [True] * 4 + [False] * 5), {"reciprocity": "Reciprocity"})[0]
    assert mixed.is_shown and len(mixed.individual) == 4
    assert percentile_in_team(3.0, pd.Series(range(4), dtype=float)) is None
    assert percentile_in_team(3.0, pd.Series(range(5), dtype=float)) == 0.8


@pytest.mark.engine_independent  # no database: the PostgreSQL pass leaves it out
def test_pure_noise_rarely_produces_a_weekly_insight():
    import numpy as np

    from reciprocity.insights.weekly import FACTORS

    reported = 0
    for seed in range(150):
        rng = np.random.default_rng(seed)
        data = {"reciprocity": rng.normal(2, 0.5, 40)} | {c: rng.normal(5, 2, 40) for c in FACTORS}
        reported += weekly_insight(pd.DataFrame(data, index=week_index(NOW, 40)), seed=seed).factor is not None
    assert reported / 150 <= 0.12


def test_no_change_is_an_alert_from_the_eighth_session_on():
    assert client_alerts([ClientCourse("N-0007", 7, 2, "no_reliable_change", "PHQ-9")]) == []
    assert [a.kind for a in client_alerts([ClientCourse("N-0008", 8, 2, "no_reliable_change", "PHQ-9")])] == [
        "client_no_change"
    ]
