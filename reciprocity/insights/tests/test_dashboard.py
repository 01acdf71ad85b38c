import datetime

from django.utils import timezone

from tests.builders import make_reflection, make_session


def test_dashboard_shows_the_profile_of_recent_weeks_against_the_baseline(as_ana, ana_client):
    now = timezone.now()
    for days in (1, 3, 5):
        make_reflection(make_session(ana_client, starts_at=now - datetime.timedelta(days=days)), ratings={"empathy": 4})
    for days in (40, 50, 60):
        make_reflection(make_session(ana_client, starts_at=now - datetime.timedelta(days=days)), ratings={"empathy": 1})
    response = as_ana.get("/dashboard/")
    assert response.status_code == 200
    rows = {r["dimension"].key: r for r in response.context["rows"]}
    assert rows["empathy"]["summary"].recent == 4.0 and rows["empathy"]["summary"].baseline == 1.0
    assert rows["empathy"]["summary"].change == 3.0 and rows["boundaries"]["summary"].change == 0.0
    html = response.content.decode()
    assert "<svg" in html and "+3.0 (higher)" in html
    assert "Not enough data yet" not in html


def test_dashboard_says_when_there_is_not_enough_data(as_ana, ana_reflection):
    html = as_ana.get("/dashboard/").content.decode()
    assert "Not enough data yet" in html


def test_dashboard_counts_only_ones_own_reflections(client, ben, ana_reflection):
    client.force_login(ben)
    response = client.get("/dashboard/")
    assert response.context["profile"].n_recent == 0
