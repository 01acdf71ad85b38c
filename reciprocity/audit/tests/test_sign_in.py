"""Sign-in, failed sign-in and sign-out go through the real pages and leave one event each."""

from django.urls import reverse

from reciprocity.audit.models import Action, Event
from tests.builders import PASSWORD


def test_signing_in_is_recorded_with_the_address(client, ana):
    response = client.post(reverse("practice:login"), {"username": "ana", "password": PASSWORD})
    assert response.status_code == 302
    event = Event.objects.get(action=Action.SIGN_IN)
    assert (event.actor, event.subject, event.address, event.what) == (ana, ana, "127.0.0.1", "signed in")


def test_a_wrong_password_is_recorded_for_the_account_without_an_actor(client, ana):
    response = client.post(reverse("practice:login"), {"username": "ana", "password": "not it"})
    assert response.status_code == 200
    event = Event.objects.get(action=Action.SIGN_IN_FAILED)
    assert event.subject == ana and event.actor is None and event.address == "127.0.0.1"
    assert "not it" not in event.what and not Event.objects.filter(action=Action.SIGN_IN).exists()


def test_a_wrong_password_under_the_name_in_other_capitals_is_still_the_accounts(client, ana):
    client.post(reverse("practice:login"), {"username": " ANA ", "password": "not it"})
    assert Event.objects.get(action=Action.SIGN_IN_FAILED).subject == ana


def test_an_unknown_name_is_recorded_for_nobody_and_the_name_is_not_kept(client, ana):
    client.post(reverse("practice:login"), {"username": "mallory", "password": "guess"})
    event = Event.objects.get(action=Action.SIGN_IN_FAILED)
    assert event.subject is None and event.actor is None
    assert "mallory" not in event.what
    assert not Event.objects.about(ana).exists()


def test_signing_out_is_recorded(client, ana):
    client.post(reverse("practice:login"), {"username": "ana", "password": PASSWORD})
    assert client.post(reverse("practice:logout")).status_code == 302
    event = Event.objects.get(action=Action.SIGN_OUT)
    assert event.actor == ana and event.subject == ana
