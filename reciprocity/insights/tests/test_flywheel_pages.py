import datetime

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone
from django.utils.formats import date_format

from reciprocity.insights.models import AlertResponse
from reciprocity.insights.selectors import fulfilling_reflections
from reciprocity.measures import registry
from reciprocity.measures.services import record_administration
from reciprocity.practice.models import Role
from tests.builders import make_reflection, make_session, make_user, sign_in


def record_high_burnout(therapist):
    """A ProQOL check-in whose burnout scale scores 50 of 50 (reverse-scored items answered 1)."""
    proqol = registry.get("proqol5")
    burnout = proqol.scale("burnout").items
    answers = {item.id: (5 if item.id in burnout and not item.reverse else 1) for item in proqol.items}
    record_administration(therapist=therapist, instrument=proqol, answers=answers)


def test_a_therapist_with_no_data_sees_not_enough_data_and_no_nan(as_ana):
    html = as_ana.get("/dashboard/flywheel/").content.decode()
    assert "Not enough data yet" in html and "no data yet" in html
    assert "nan" not in html.lower().replace("finance", "")


def test_a_high_burnout_checkin_raises_an_alert_that_an_action_answers(as_ana, ana):
    record_high_burnout(ana)
    html = as_ana.get("/dashboard/flywheel/").content.decode()
    assert "Burnout is high" in html and "Rule: Burnout at or above its cut score of 42" in html
    key = html.split('name="key" value="')[1].split('"')[0]
    response = as_ana.post("/dashboard/flywheel/alerts/", {"key": key, "action": "day_off"})
    assert response.status_code == 302
    assert AlertResponse.objects.get().action == "day_off"
    assert "Burnout is high" not in as_ana.get("/dashboard/flywheel/").content.decode()


@pytest.mark.parametrize("page", ["/", "/dashboard/flywheel/"])
def test_answering_an_alert_returns_to_the_page_it_was_answered_on(as_ana, ana, page):
    record_high_burnout(ana)
    html = as_ana.get(page).content.decode()
    assert '<form method="post" action="/dashboard/flywheel/alerts/"' in html
    key = html.split('name="key" value="')[1].split('"')[0]
    back = html.split('name="back" value="')[1].split('"')[0]
    response = as_ana.post("/dashboard/flywheel/alerts/", {"key": key, "action": "supervision", "back": back})
    assert response.status_code == 302 and response["Location"] == page


@pytest.mark.parametrize("back", ["https://elsewhere.example/", "//elsewhere.example/", "javascript:alert(1)", ""])
def test_an_alert_answer_never_sends_anyone_off_the_site(as_ana, ana, back):
    record_high_burnout(ana)
    html = as_ana.get("/dashboard/flywheel/").content.decode()
    key = html.split('name="key" value="')[1].split('"')[0]
    response = as_ana.post("/dashboard/flywheel/alerts/", {"key": key, "action": "supervision", "back": back})
    assert response.status_code == 302 and response["Location"] == "/dashboard/flywheel/"


def test_a_burnout_alert_brings_back_why_i_do_this_on_today(as_ana, ana, ana_client):
    make_reflection(make_session(ana_client), ratings={"fulfillment": 4}, gave_me="Her first calm week in a year.")
    record_high_burnout(ana)
    html = as_ana.get("/").content.decode()
    assert "Why you do this" in html and "Her first calm week in a year." in html


def test_why_i_do_this_reads_only_the_words_it_shows_and_their_date(ana, ana_client):
    session = make_session(ana_client)
    make_reflection(session, ratings={"fulfillment": 4}, gave_me="Steady hands.", carry_home="Not for Today.")
    with CaptureQueriesContext(connection) as queries:
        (found,) = fulfilling_reflections(ana.pk)
    (sql,) = [q["sql"] for q in queries]
    assert '"carry_home"' not in sql and "clients_client" not in sql  # nothing else decrypted or joined
    assert (found.gave_me, found.occurred_at) == ("Steady hands.", session.starts_at)


def test_an_unknown_action_is_refused_without_recording(as_ana, ana):
    record_high_burnout(ana)
    html = as_ana.get("/dashboard/flywheel/").content.decode()
    key = html.split('name="key" value="')[1].split('"')[0]
    response = as_ana.post("/dashboard/flywheel/alerts/", {"key": key, "action": "explode"}, follow=True)
    assert "not one this alert offers" in response.content.decode()
    assert not AlertResponse.objects.exists()


def test_only_a_director_sees_the_practice_view(as_ana, client, north):
    assert as_ana.get("/dashboard/practice/").status_code == 403
    director = make_user("dee", practice=north, role=Role.DIRECTOR)
    sign_in(client, director)
    assert client.get("/dashboard/practice/").status_code == 200


@pytest.fixture
def team_of(north):
    def build(n, consented):
        people = [make_user(f"teammate{i}", practice=north) for i in range(n)]
        for person, yes in zip(people, consented, strict=True):
            person.shows_in_practice_view = yes
            person.save()
            session = make_session(make_user_client(person), starts_at=timezone.now() - datetime.timedelta(days=10))
            make_reflection(session, ratings={"empathy": 4}, gave_me=f"Private words of {person.username}.")
        director = make_user("dee", practice=north, role=Role.DIRECTOR)
        return director

    return build


def make_user_client(person):
    from tests.builders import make_client

    return make_client(person)


def test_a_small_team_that_has_not_all_consented_shows_no_figures(client, team_of):
    sign_in(client, team_of(3, [True, True, False]))
    html = client.get("/dashboard/practice/").content.decode()
    assert "Hidden: it would describe fewer than 5 colleagues" in html
    assert "Private words" not in html


def test_five_therapists_show_as_a_team_without_names(client, team_of, north):
    sign_in(client, team_of(5, [False] * 5))
    html = client.get("/dashboard/practice/").content.decode()
    assert "Hidden" not in html.split("Reciprocity index")[1].split("</tr>")[0]
    assert "teammate" not in html and "Private words" not in html  # no name a random token could contain


def test_a_tampered_client_code_in_an_alert_answer_is_harmless(as_ana):
    response = as_ana.post("/dashboard/flywheel/alerts/", {"key": "client-flat:x", "action": "review_client",
                                                          "client": "../../x y"})  # fmt: skip
    assert response.status_code == 302 and response["Location"] == "/dashboard/flywheel/"


def test_a_stage_chart_of_negative_values_stays_on_the_chart():
    import pandas as pd

    from reciprocity.insights.flywheel import Stage
    from reciprocity.insights.views import _DayLabels, _stage_chart

    series = pd.Series([-1.1, -1.0], index=pd.to_datetime(["2026-03-02", "2026-03-09"]))
    svg = _stage_chart(Stage("outcomes", "Outcomes", -1.0, "", "", None, series, "units"), _DayLabels("d M"))
    assert "<svg" in svg and "nan" not in svg and "inf" not in svg


def test_each_stage_lists_its_weekly_values_in_a_table_escaped(as_ana, ana, ana_client):
    from reciprocity.insights.templatetags.flywheel import table_rows

    assert table_rows([("3 Mar", "<b>2.5</b>"), ("10 Mar", "3")]) == (
        "<tr><td>3 Mar</td><td>&lt;b&gt;2.5&lt;/b&gt;</td></tr><tr><td>10 Mar</td><td>3</td></tr>"
    )
    make_reflection(make_session(ana_client, starts_at=timezone.now() - datetime.timedelta(weeks=2)))
    page = as_ana.get("/dashboard/flywheel/").content.decode()
    day = timezone.localdate(timezone.now(), ana.zone) - datetime.timedelta(weeks=2)
    monday = day - datetime.timedelta(days=day.weekday())
    assert f"<tr><td>{date_format(monday, 'd M Y')}</td><td>2.00</td></tr>" in page  # reciprocity 2 of 4
