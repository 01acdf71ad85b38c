"""Reminders are chosen on the settings page; the page says when no e-mail address means no digest."""

import datetime

from reciprocity.practice.models import Role
from reciprocity.reminders.models import ReminderSettings
from reciprocity.reminders.tests.conftest import opt_in
from reciprocity.sharing import services as sharing
from tests.builders import make_user, sign_in

CHOICES = {"wants_daily": "on", "send_at": "06:45", "quiet_days": ["5", "6"]}


def test_the_settings_page_shows_the_reminders_off(as_ana):
    html = as_ana.get("/accounts/settings/").content.decode()
    assert "Reminders by e-mail" in html and 'action="/reminders/"' in html
    assert 'name="wants_daily"' in html and 'name="wants_daily" checked' not in html


def test_without_an_address_the_page_says_no_digest_can_be_sent(as_ana, ana):
    assert ana.email == ""
    assert "You have no e-mail address" in as_ana.get("/accounts/settings/").content.decode()
    ana.email = "ana@example.org"
    ana.save()
    assert "You have no e-mail address" not in as_ana.get("/accounts/settings/").content.decode()


def test_choosing_a_daily_digest(as_ana, ana):
    response = as_ana.post("/reminders/", CHOICES)
    assert response.status_code == 302 and response["Location"] == "/accounts/settings/#reminders"
    reminder = ReminderSettings.objects.get(user=ana)
    assert reminder.wants_daily and reminder.send_at == datetime.time(6, 45) and reminder.quiet_days == [5, 6]
    html = as_ana.get("/accounts/settings/").content.decode()
    assert 'value="06:45"' in html and "Europe/Lisbon" in html.replace("_", " ")


def test_bad_input_gets_a_clear_message(as_ana, ana):
    response = as_ana.post("/reminders/", {"wants_daily": "on", "send_at": "25:99", "quiet_days": ["9"]})
    assert response.status_code == 422
    html = response.content.decode()
    assert "Enter a time such as 07:00." in html and "Choose days of the week from the list." in html
    every_day = {"wants_daily": "on", "send_at": "07:00", "quiet_days": [str(d) for d in range(7)]}
    assert "no digest would ever come" in as_ana.post("/reminders/", every_day).content.decode()
    assert not ReminderSettings.objects.filter(user=ana).exists()


def test_the_supervision_digest_is_offered_to_supervisors_only(client, as_ana, ana, north):
    assert 'name="wants_supervision"' not in as_ana.get("/accounts/settings/").content.decode()
    sol = make_user("sol", practice=north, role=Role.SUPERVISOR)
    sharing.accept(sharing.invite(ana, sol), sol)
    sign_in(client, sol)
    assert 'name="wants_supervision"' in client.get("/accounts/settings/").content.decode()
    client.post("/reminders/", {"wants_supervision": "on", "send_at": "07:00"})
    reminder = ReminderSettings.objects.get(user=sol)
    assert reminder.wants_supervision and reminder.supervision_since is not None and not reminder.wants_daily


def test_turning_reminders_off(as_ana, ana):
    opt_in(ana)
    as_ana.post("/reminders/", {"send_at": "07:00"})
    assert not ReminderSettings.objects.get(user=ana).wants_any


def test_signed_out_visitors_are_sent_to_sign_in(client):
    response = client.get("/reminders/")
    assert response.status_code == 302 and "/accounts/login/" in response["Location"]
