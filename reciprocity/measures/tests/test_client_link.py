import datetime

import pytest
from django.utils import timezone

from reciprocity.measures import registry
from reciprocity.measures.models import Administration, ClientLink, hash_token
from reciprocity.measures.services import create_client_link


def phq9_post(values):
    return {f"item_{n}": v for n, v in enumerate(values, start=1) if v is not None}


@pytest.fixture
def link_and_token(ana, ana_client):
    return create_client_link(therapist=ana, client=ana_client, instrument=registry.get("phq9"))


def test_the_therapist_makes_a_link_that_is_shown_once_and_stored_hashed(as_ana, ana_client):
    response = as_ana.post(f"/measures/clients/{ana_client.code}/links/", {"instrument": "phq9"})
    html = response.content.decode()
    token = html.split("/q/")[1].split("/")[0]
    link = ClientLink.objects.get()
    assert link.token_hash == hash_token(token) and token not in link.token_hash
    assert len(token) >= 40
    assert (
        timezone.now() + datetime.timedelta(hours=71) < link.expires_at < timezone.now() + datetime.timedelta(hours=73)
    )


def test_the_client_sees_the_questionnaire_and_nothing_about_anyone(client, link_and_token):
    link, token = link_and_token
    response = client.get(f"/q/{token}/")
    html = response.content.decode()
    assert response.status_code == 200
    assert "Little interest or pleasure in doing things" in html
    for secret in (
        link.client.code,
        "Ana Alves",
        "North clinic",
        "Reflections",
        "Sign out",
    ):  # no short word a token could hold
        assert secret not in html
    assert response["Cache-Control"] == "no-store" and response["Referrer-Policy"] == "same-origin"


def test_the_link_works_once_then_is_gone(client, link_and_token):
    _, token = link_and_token
    response = client.post(f"/q/{token}/", phq9_post([1] * 9))
    assert response.status_code == 200 and "Thank you" in response.content.decode()
    answered = Administration.objects.get()
    assert (answered.source, answered.total, answered.band) == ("client_link", 9, "Mild")
    assert client.get(f"/q/{token}/").status_code == 410
    assert client.post(f"/q/{token}/", phq9_post([0] * 9)).status_code == 410
    assert Administration.objects.count() == 1


def test_an_expired_link_is_gone(client, link_and_token):
    link, token = link_and_token
    ClientLink.objects.filter(pk=link.pk).update(expires_at=timezone.now() - datetime.timedelta(seconds=1))
    assert client.get(f"/q/{token}/").status_code == 410
    assert client.post(f"/q/{token}/", phq9_post([1] * 9)).status_code == 410
    assert not Administration.objects.exists()


def test_an_unknown_token_is_not_found(client, link_and_token):
    assert client.get("/q/not-a-real-token/").status_code == 404


@pytest.mark.parametrize(
    ("values", "message"),
    [
        ([1] * 8 + [7], "Item 9: choose one of the answers shown."),
        ([1] * 6 + [None] * 3, "at most 2 may be unanswered"),
    ],
)
def test_bad_client_answers_are_refused_and_the_link_stays_open(client, link_and_token, values, message):
    _, token = link_and_token
    response = client.post(f"/q/{token}/", phq9_post(values))
    assert response.status_code == 422 and message in response.content.decode()
    assert not Administration.objects.exists()
    assert client.get(f"/q/{token}/").status_code == 200


def test_item_9_shows_the_client_where_to_find_help_and_flags_the_therapist_until_acknowledged(
    client, as_ana, link_and_token
):
    link, token = link_and_token
    response = client.post(f"/q/{token}/", phq9_post([0] * 8 + [2]))
    assert "Samaritans" in response.content.decode()
    administration = Administration.objects.get()
    assert administration.flags == ["self_harm_thoughts"]
    today = as_ana.get("/").content.decode()
    assert f"Risk flag for {link.client.code}" in today
    assert "Risk flag" in as_ana.get(link.client.get_absolute_url()).content.decode()
    assert as_ana.post(f"/measures/answers/{administration.pk}/acknowledge/").status_code == 302
    administration.refresh_from_db()
    assert administration.flags_acknowledged_at is not None
    assert "Risk flag for" not in as_ana.get("/").content.decode()


def test_a_colleague_cannot_make_a_link_for_anas_client(client, ben, ana_client):
    client.force_login(ben)
    assert client.post(f"/measures/clients/{ana_client.code}/links/", {"instrument": "phq9"}).status_code == 404
    assert not ClientLink.objects.exists()


def test_a_link_for_an_unknown_instrument_is_refused(as_ana, ana_client):
    response = as_ana.post(f"/measures/clients/{ana_client.code}/links/", {"instrument": "nope"})
    assert response.status_code == 302 and not ClientLink.objects.exists()
