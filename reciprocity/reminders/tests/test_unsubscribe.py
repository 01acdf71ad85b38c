"""The link in every digest turns it off without signing in; a link that is not ours changes nothing."""

from reciprocity.reminders.contents import unsubscribe_token
from reciprocity.reminders.models import ReminderSettings
from reciprocity.reminders.tests.conftest import opt_in


def _url(token: str) -> str:
    return f"/reminders/unsubscribe/{token}/"


def test_the_link_asks_first_so_a_link_checker_unsubscribes_no_one(client, ana):
    opt_in(ana)
    response = client.get(_url(unsubscribe_token(ana, "daily")))
    assert response.status_code == 200 and "Stop these e-mails" in response.content.decode()
    assert ReminderSettings.objects.get(user=ana).wants_daily


def test_one_click_turns_the_digest_off_without_signing_in(client, ana):
    opt_in(ana, wants_supervision=True)
    response = client.post(_url(unsubscribe_token(ana, "daily")), {"List-Unsubscribe": "One-Click"})
    assert response.status_code == 200 and "is off" in response.content.decode()
    reminder = ReminderSettings.objects.get(user=ana)
    assert not reminder.wants_daily and reminder.wants_supervision  # only the kind the link names


def test_the_post_of_a_mail_client_needs_no_csrf_token(ana):
    from django.test import Client

    opt_in(ana)
    strict = Client(enforce_csrf_checks=True)
    response = strict.post(_url(unsubscribe_token(ana, "daily")), "List-Unsubscribe=One-Click",
                           content_type="application/x-www-form-urlencoded")  # fmt: skip
    assert response.status_code == 200 and not ReminderSettings.objects.get(user=ana).wants_daily


def test_a_tampered_link_is_refused_with_a_page_that_says_what_to_do(client, ana, ben):
    opt_in(ben)
    token = unsubscribe_token(ana, "daily")
    # Ben's id under the signature of Ana's link:
    forged = unsubscribe_token(ben, "daily").split(":", 1)[0] + ":" + token.split(":", 1)[1]
    for bad in (forged, token[:-2] + "xx", "not-a-token"):
        response = client.post(_url(bad))
        assert response.status_code == 400, bad
        assert "This link does not work" in response.content.decode() and "Traceback" not in response.content.decode()
    assert ReminderSettings.objects.get(user=ben).wants_daily


def test_a_signed_in_colleague_cannot_use_the_link_to_reach_anything_else(client, ana, ben):
    opt_in(ana)
    client.force_login(ben)
    response = client.get(_url(unsubscribe_token(ana, "daily")))
    assert "N-0007" not in response.content.decode() and "ana@example.org" not in response.content.decode()
