import datetime

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from reciprocity.therapy.models import Reflection
from tests.builders import make_client, make_reflection, make_session, ratings_post


def reflect_url(session):
    return f"/reflections/new/?session={session.pk}"


def test_therapist_reflects_on_a_session_in_one_post(as_ana, ana_session):
    data = ratings_post(3, boundaries=1) | {"session": ana_session.pk, "gave_me": "Patience.", "carry_home": ""}
    response = as_ana.post(reflect_url(ana_session), data)
    assert response.status_code == 302
    assert response["Location"] == "/"
    reflection = Reflection.objects.get(session=ana_session)
    assert reflection.ratings == ratings_post(3, boundaries=1)
    assert reflection.gave_me == "Patience."
    assert reflection.occasion == "session"
    assert reflection.occurred_at == ana_session.starts_at


def test_reflection_page_shows_seven_dimensions_with_five_choices_each(as_ana, ana_session):
    html = as_ana.get(reflect_url(ana_session)).content.decode()
    for key in ratings_post():
        assert html.count(f'name="{key}"') == 5


@pytest.mark.parametrize(
    ("change", "message"),
    [
        ({"empathy": 5}, "Empathy is rated from 0 (not touched) to 4 (strongly)."),
        ({"empathy": -1}, "Empathy is rated from 0 (not touched) to 4 (strongly)."),
        ({"empathy": "lots"}, "Empathy is rated from 0 (not touched) to 4 (strongly)."),
        ({"boundaries": ""}, "Rate boundaries from 0 (not touched) to 4 (strongly)."),
        ({"mood_after": 11}, "Mood after is a whole number from 1 to 10."),
    ],
)
def test_a_bad_rating_gets_a_plain_error_and_saves_nothing(as_ana, ana_session, change, message):
    data = ratings_post(2) | {"session": ana_session.pk} | change
    response = as_ana.post(reflect_url(ana_session), data)
    assert response.status_code == 422
    assert message in response.content.decode()
    assert "Nothing was saved" in response.content.decode()
    assert not Reflection.objects.exists()


def test_a_session_of_someone_else_in_the_form_is_refused_in_plain_words(as_ana, ben):
    bens_session = make_session(make_client(ben, "B-0001"))
    response = as_ana.post("/reflections/new/", ratings_post(2) | {"session": bens_session.pk})
    assert response.status_code == 422
    assert "That session is not one of yours" in response.content.decode()
    assert not Reflection.objects.exists()


def test_opening_the_reflection_of_someone_elses_session_is_404(client, ben, ana_session):
    client.force_login(ben)
    assert client.get(reflect_url(ana_session)).status_code == 404
    assert client.post(reflect_url(ana_session), ratings_post() | {"session": ana_session.pk}).status_code == 404
    assert not Reflection.objects.exists()


@pytest.mark.parametrize("raw", ["abc", "%C2%B2", "-1", "1e3", "99999999999999999999999", ""])
def test_a_malformed_session_parameter_is_404_not_a_crash(as_ana, raw):
    assert as_ana.get(f"/reflections/new/?session={raw}").status_code == 404


@pytest.mark.parametrize("when", ["0001-01-01T00:00", "9999-12-31T23:59"])
def test_an_impossible_year_is_refused_in_plain_words(as_ana, when):
    response = as_ana.post("/reflections/new/", ratings_post(3) | {"occasion": "training", "occurred_at": when})
    assert response.status_code == 422
    assert "Enter a date between 1900 and 2100." in response.content.decode()


def test_saving_a_reflection_reads_its_session_with_its_client_and_reflection_once(as_ana, ana_session):
    with CaptureQueriesContext(connection) as queries:
        response = as_ana.post(reflect_url(ana_session), ratings_post(3) | {"session": ana_session.pk})
    assert response.status_code == 302
    sql = [q["sql"] for q in queries]
    saved = next(i for i, text in enumerate(sql) if text.startswith('INSERT INTO "therapy_reflection"'))
    read_from = [text.split(" FROM ")[1].split()[0].strip('"') for text in sql[:saved] if text.startswith("SELECT")]
    # Before the reflection is saved: the session from the address (with its client and any reflection, in
    # one query) and the form's check of it; nothing else of the session, its client or its reflection.
    assert read_from.count("therapy_session") == 2
    assert {"clients_client", "therapy_reflection"}.isdisjoint(read_from)


def test_a_session_reflects_only_once(as_ana, ana_reflection):
    session = ana_reflection.session
    with CaptureQueriesContext(connection) as queries:
        response = as_ana.get(reflect_url(session))
    assert not any('"carry_home"' in q["sql"] for q in queries)  # found to redirect, its words not read
    assert response.status_code == 302
    assert response["Location"] == f"/reflections/{ana_reflection.pk}/edit/"
    response = as_ana.post("/reflections/new/", ratings_post(4) | {"session": session.pk})
    assert response.status_code == 422
    assert Reflection.objects.get().empathy == 2


def test_an_upcoming_session_cannot_be_reflected_on_yet(as_ana, ana_client):
    later = make_session(ana_client, starts_at=timezone.now() + datetime.timedelta(hours=3))
    response = as_ana.post(reflect_url(later), ratings_post(2) | {"session": later.pk})
    assert response.status_code == 422
    assert "has not happened yet" in response.content.decode()
    assert not Reflection.objects.exists()


def test_a_free_standing_reflection_names_its_occasion(as_ana, ana):
    data = ratings_post(3) | {"occasion": "supervision", "occurred_at": "2026-03-02T18:30", "gave_me": "Seen."}
    response = as_ana.post("/reflections/new/", data)
    reflection = Reflection.objects.get()
    assert response.status_code == 302 and response["Location"] == f"/reflections/{reflection.pk}/"
    assert reflection.session is None and reflection.occasion == "supervision" and reflection.author == ana
    # Ana works in Lisbon: 18:30 there in March (WET, UTC+0) is 18:30 UTC.
    assert reflection.occurred_at == datetime.datetime(2026, 3, 2, 18, 30, tzinfo=datetime.UTC)


def test_a_free_standing_reflection_cannot_be_in_the_future(as_ana):
    future = (timezone.now() + datetime.timedelta(days=2)).strftime("%Y-%m-%dT%H:%M")
    response = as_ana.post("/reflections/new/", ratings_post(3) | {"occasion": "training", "occurred_at": future})
    assert response.status_code == 422
    assert not Reflection.objects.exists()


def test_a_malformed_date_is_explained(as_ana):
    response = as_ana.post("/reflections/new/", ratings_post(3) | {"occasion": "training", "occurred_at": "31/02/26"})
    assert response.status_code == 422
    assert "Enter a date and time as YYYY-MM-DD HH:MM" in response.content.decode()


def test_editing_keeps_the_session_and_changes_the_ratings(as_ana, ana, ana_reflection):
    original = ana_reflection.session
    other = make_session(make_client(ana, "N-0100"))
    data = ratings_post(4) | {"gave_me": "More than I thought.", "session": other.pk}
    response = as_ana.post(f"/reflections/{ana_reflection.pk}/edit/", data)
    assert response.status_code == 302
    ana_reflection.refresh_from_db()
    assert ana_reflection.ratings == ratings_post(4)
    assert ana_reflection.gave_me == "More than I thought."
    assert ana_reflection.session == original


def test_deleting_a_reflection_needs_a_post(as_ana, ana_reflection):
    assert as_ana.get(f"/reflections/{ana_reflection.pk}/delete/").status_code == 200
    assert Reflection.objects.exists()
    assert as_ana.post(f"/reflections/{ana_reflection.pk}/delete/").status_code == 302
    assert not Reflection.objects.exists()


def test_reflection_index_is_the_mean_of_the_seven_ratings(ana_session):
    reflection = make_reflection(ana_session, ratings={"empathy": 4, "boundaries": 0})
    assert reflection.reciprocity_index == pytest.approx((4 + 0 + 2 * 5) / 7)
