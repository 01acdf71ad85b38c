"""A form sent twice with its submission id (a draft written offline and sent again) saves one row (docs/offline.md)."""

import uuid

import pytest
from django.db import IntegrityError

from reciprocity.therapy.models import Reflection, Session
from reciprocity.therapy.services import record_session, write_reflection
from reciprocity.therapy.tests.test_log_session import session_post
from tests.builders import make_client, make_session, ratings_post, sign_in
from tests.test_api import bearer


def free_standing(submission_id, **overrides):
    data = {"occasion": "supervision", "occurred_at": "2026-03-10T09:00", "gave_me": "Steadier."}
    return ratings_post(3) | data | {"submission_id": str(submission_id)} | overrides


def test_a_reflection_sent_twice_with_one_id_is_saved_once(as_ana):
    sent = uuid.uuid4()
    first = as_ana.post("/reflections/new/", free_standing(sent))
    again = as_ana.post("/reflections/new/", free_standing(sent))
    reflection = Reflection.objects.get()
    assert reflection.submission_id == sent
    assert first.status_code == again.status_code == 302
    assert first["Location"] == again["Location"] == reflection.get_absolute_url()


def test_a_reflection_on_a_session_sent_twice_is_saved_once_and_answered_as_the_first_time(as_ana, ana_session):
    sent = uuid.uuid4()
    data = ratings_post(2) | {"session": ana_session.pk, "submission_id": str(sent)}
    url = f"/reflections/new/?session={ana_session.pk}"
    first, again = as_ana.post(url, data), as_ana.post(url, data)
    assert first.status_code == again.status_code == 302
    assert again["Location"] == "/"
    assert Reflection.objects.get().session == ana_session


def test_two_reflections_with_different_ids_are_two(as_ana):
    as_ana.post("/reflections/new/", free_standing(uuid.uuid4()))
    as_ana.post("/reflections/new/", free_standing(uuid.uuid4()))
    assert Reflection.objects.count() == 2


def test_without_an_id_the_form_works_as_before(as_ana):
    data = free_standing("")
    as_ana.post("/reflections/new/", data)
    as_ana.post("/reflections/new/", data)
    assert Reflection.objects.count() == 2
    assert set(Reflection.objects.values_list("submission_id", flat=True)) == {None}


def test_a_broken_id_is_refused_and_saves_nothing(as_ana):
    response = as_ana.post("/reflections/new/", free_standing("not-an-id"))
    assert response.status_code == 422
    assert not Reflection.objects.exists()


def test_another_therapists_id_is_theirs_alone(client, ana, ben):
    sent = uuid.uuid4()
    sign_in(client, ana).post("/reflections/new/", free_standing(sent, gave_me="Ana's."))
    response = sign_in(client, ben).post("/reflections/new/", free_standing(sent, gave_me="Ben's."))
    bens = Reflection.objects.get(author=ben)
    assert response["Location"] == bens.get_absolute_url()  # Ben is never sent to Ana's reflection
    assert bens.gave_me == "Ben's."
    assert Reflection.objects.get(author=ana).gave_me == "Ana's."


def test_the_service_returns_the_first_reflection_for_a_repeated_id(ana):
    sent = uuid.uuid4()
    first = write_reflection(author=ana, ratings=ratings_post(1), occasion="training", submission_id=sent)
    again = write_reflection(author=ana, ratings=ratings_post(4), occasion="training", submission_id=sent)
    assert again.pk == first.pk and Reflection.objects.get().empathy == 1


def test_the_database_refuses_a_second_reflection_with_the_same_id(ana):
    sent = uuid.uuid4()
    write_reflection(author=ana, ratings=ratings_post(1), occasion="training", submission_id=sent)
    duplicate = Reflection(author=ana, occasion="training", submission_id=sent)
    duplicate.set_ratings(ratings_post(2))
    with pytest.raises(IntegrityError):
        duplicate.save()


def test_a_session_sent_twice_with_one_id_is_saved_once(as_ana, ana_client):
    data = session_post(ana_client, submission_id=str(uuid.uuid4()))
    first, again = as_ana.post("/sessions/new/", data), as_ana.post("/sessions/new/", data)
    session = Session.objects.get()
    assert first["Location"] == again["Location"] == session.get_absolute_url()


def test_another_therapists_session_id_is_theirs_alone(client, ana, ben, ana_client):
    sent = uuid.uuid4()
    sign_in(client, ana).post("/sessions/new/", session_post(ana_client, submission_id=str(sent)))
    bens_client = make_client(ben, "B-0001")
    response = sign_in(client, ben).post("/sessions/new/", session_post(bens_client, submission_id=str(sent)))
    assert response["Location"] == Session.objects.get(client=bens_client).get_absolute_url()
    assert Session.objects.count() == 2


def test_the_session_service_returns_the_first_session_for_a_repeated_id(ana, ana_client):
    sent = uuid.uuid4()
    first = record_session(therapist=ana, client=ana_client, starts_at=make_session(ana_client).starts_at,
                           submission_id=sent)  # fmt: skip
    again = record_session(therapist=ana, client=ana_client, starts_at=first.starts_at, submission_id=sent)
    assert again.pk == first.pk


def test_editing_a_reflection_ignores_an_id(as_ana, ana):
    reflection = write_reflection(author=ana, ratings=ratings_post(1), occasion="training")
    response = as_ana.post(f"/reflections/{reflection.pk}/edit/", free_standing(uuid.uuid4()))
    reflection.refresh_from_db()
    assert response.status_code == 302 and reflection.submission_id is None and reflection.empathy == 3


def test_the_api_saves_a_reflection_sent_twice_once(client, ana):
    headers = bearer(ana)
    body = {"occasion": "training", "ratings": ratings_post(2), "submission_id": str(uuid.uuid4())}
    first = client.post("/api/v1/reflections", body, content_type="application/json", headers=headers)
    again = client.post("/api/v1/reflections", body, content_type="application/json", headers=headers)
    assert (first.status_code, again.status_code) == (201, 200)
    assert first.json()["id"] == again.json()["id"] == Reflection.objects.get().pk


def test_the_api_saves_a_session_sent_twice_once(client, ana, ana_client):
    headers = bearer(ana)
    body = {"client": ana_client.code, "starts_at": "2026-03-10T09:00:00Z", "submission_id": str(uuid.uuid4())}
    first = client.post("/api/v1/sessions", body, content_type="application/json", headers=headers)
    again = client.post("/api/v1/sessions", body, content_type="application/json", headers=headers)
    assert (first.status_code, again.status_code) == (201, 200)
    assert Session.objects.count() == 1
