import datetime

import pytest
from django.utils import timezone

from reciprocity.therapy.models import Reflection, Session, Technique
from tests.builders import make_client, make_session


def session_post(client_obj, **overrides):
    data = {
        "client": client_obj.pk,
        "starts_at": "2026-03-10T09:00",
        "duration_minutes": 50,
        "format": "individual",
        "mode": "video",
        "emotional_load": 6,
        "worked_with_trauma": "on",
        "arrival_calm": 7,
        "arrival_tiredness": "",
    }
    return {k: v for k, v in (data | overrides).items() if v is not None}


def test_therapist_logs_a_session_with_techniques(as_ana, ana, ana_client):
    emdr = Technique.objects.get(therapist=ana, name="EMDR")
    response = as_ana.post("/sessions/new/", session_post(ana_client, techniques=[emdr.pk]))
    session = Session.objects.get()
    assert response.status_code == 302 and response["Location"] == f"/sessions/{session.pk}/"
    assert session.client == ana_client
    assert list(session.techniques.all()) == [emdr]
    assert (session.mode, session.emotional_load, session.worked_with_trauma) == ("video", 6, True)
    assert (session.arrival_calm, session.arrival_tiredness) == (7, None)


def test_session_time_is_read_in_the_therapists_zone_and_stored_in_utc(as_ana, ana_client):
    # Ana is in Lisbon: 09:00 in July (WEST, UTC+1) is 08:00 UTC.
    as_ana.post("/sessions/new/", session_post(ana_client, starts_at="2026-07-10T09:00"))
    assert Session.objects.get().starts_at == datetime.datetime(2026, 7, 10, 8, 0, tzinfo=datetime.UTC)


def test_session_time_is_shown_in_the_therapists_zone(as_ana, ana_client):
    session = make_session(ana_client, starts_at=datetime.datetime(2026, 7, 10, 8, 0, tzinfo=datetime.UTC))
    html = as_ana.get(f"/sessions/{session.pk}/").content.decode()
    assert "10 July 2026, 09:00" in html


@pytest.mark.parametrize(
    ("change", "message"),
    [
        ({"emotional_load": 11}, "Emotional load is a whole number from 0 to 10."),
        ({"emotional_load": -1}, "Emotional load is a whole number from 0 to 10."),
        ({"arrival_calm": "calm"}, "Calm on arrival is a whole number from 0 to 10."),
        ({"duration_minutes": 2}, "A session lasts at least 5 minutes."),
        ({"duration_minutes": 1000}, "A session lasts at most 480 minutes"),
        ({"starts_at": "2026-13-45T99:00"}, "Enter a date and time as YYYY-MM-DD HH:MM"),
        ({"starts_at": ""}, "This field is required."),
        ({"format": "circus"}, "Select a valid choice."),
        ({"client": 999999}, "Choose one of your own clients."),
        ({"client": "x"}, "Choose one of your own clients."),
        ({"techniques": [999999]}, "Choose one of your own techniques."),
        ({"techniques": ["99999999999999999999"]}, "Choose one of your own techniques."),
        ({"techniques": ["²"]}, "Choose one of your own techniques."),
        ({"client": "99999999999999999999"}, "Choose one of your own clients."),
        ({"starts_at": "9999-12-31T23:59"}, "Enter a date between 1900 and 2100."),
        ({"starts_at": "0001-01-01T00:00"}, "Enter a date between 1900 and 2100."),
    ],
)
def test_bad_session_input_gets_a_plain_error_and_saves_nothing(as_ana, ana_client, change, message):
    response = as_ana.post("/sessions/new/", session_post(ana_client, **change))
    assert response.status_code == 422
    assert message in response.content.decode()
    assert not Session.objects.exists()


def test_a_colleagues_client_cannot_be_used(as_ana, ben):
    bens_client = make_client(ben, "B-0001")
    response = as_ana.post("/sessions/new/", session_post(bens_client))
    assert response.status_code == 422
    assert "Choose one of your own clients." in response.content.decode()
    assert not Session.objects.exists()


def test_a_colleagues_technique_cannot_be_used(as_ana, ana_client, ben):
    bens_emdr = Technique.objects.get(therapist=ben, name="EMDR")
    response = as_ana.post("/sessions/new/", session_post(ana_client, techniques=[bens_emdr.pk]))
    assert response.status_code == 422
    assert not Session.objects.exists()


def test_the_form_offers_only_own_active_clients(as_ana, ana, ben):
    make_client(ana, "N-0001")
    make_client(ana, "N-0002", ended_on=datetime.date(2026, 2, 1))
    make_client(ben, "B-0003")
    html = as_ana.get("/sessions/new/").content.decode()
    assert "N-0001" in html and "N-0002" not in html and "B-0003" not in html


def test_editing_a_session_moves_its_reflection_time_too(as_ana, ana_reflection):
    session = ana_reflection.session
    response = as_ana.post(f"/sessions/{session.pk}/edit/", session_post(session.client, starts_at="2026-01-05T10:00"))
    assert response.status_code == 302
    ana_reflection.refresh_from_db()
    assert ana_reflection.occurred_at == datetime.datetime(2026, 1, 5, 10, 0, tzinfo=datetime.UTC)


def test_deleting_a_session_deletes_its_reflection(as_ana, ana_reflection):
    session = ana_reflection.session
    assert "Its reflection will be deleted too" in as_ana.get(f"/sessions/{session.pk}/delete/").content.decode()
    assert Session.objects.exists()
    assert as_ana.post(f"/sessions/{session.pk}/delete/").status_code == 302
    assert not Session.objects.exists() and not Reflection.objects.exists()


def test_session_log_lists_newest_first_with_a_fixed_number_of_queries(
    as_ana, ana_client, django_assert_max_num_queries
):
    now = timezone.now()
    for hours in range(30):
        make_session(ana_client, starts_at=now - datetime.timedelta(hours=hours + 1))
    with django_assert_max_num_queries(8):
        response = as_ana.get("/sessions/")
    sessions = list(response.context["page"].object_list)
    assert len(sessions) == 25
    assert sessions == sorted(sessions, key=lambda s: s.starts_at, reverse=True)


def test_the_session_log_page_two_comes_as_a_fragment_to_htmx(as_ana, ana_client):
    for hours in range(30):
        make_session(ana_client, starts_at=timezone.now() - datetime.timedelta(hours=hours + 1))
    response = as_ana.get("/sessions/?page=2", headers={"HX-Request": "true"})
    html = response.content.decode()
    assert response.status_code == 200
    assert html.lstrip().startswith('<div id="sessions">') and "<html" not in html


def test_a_reflected_session_cannot_move_into_the_future(as_ana, ana_reflection):
    session = ana_reflection.session
    future = (timezone.now() + datetime.timedelta(days=3)).strftime("%Y-%m-%dT%H:%M")
    response = as_ana.post(f"/sessions/{session.pk}/edit/", session_post(session.client, starts_at=future))
    assert response.status_code == 422
    assert "cannot move into the future" in response.content.decode()
    ana_reflection.refresh_from_db()
    assert ana_reflection.occurred_at < timezone.now()


def test_a_nul_byte_in_the_client_parameter_is_harmless(as_ana, ana_client):
    response = as_ana.get("/sessions/new/?client=%00")
    assert response.status_code == 200


def test_the_services_refuse_another_therapists_client(ana_session, ben):
    from reciprocity.lib.ownership import NotYours
    from reciprocity.therapy.services import record_session, update_session

    bens_client = make_client(ben, "B-0001")
    with pytest.raises(NotYours):
        update_session(ana_session, client=bens_client)
    ana_session.refresh_from_db()
    assert ana_session.client.therapist != ben
    with pytest.raises(NotYours):
        record_session(therapist=ana_session.client.therapist, client=bens_client, starts_at=timezone.now())
    assert Session.objects.count() == 1
