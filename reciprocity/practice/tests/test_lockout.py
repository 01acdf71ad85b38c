import datetime

import pytest
from django.contrib.auth.signals import user_login_failed
from django.utils import timezone

from reciprocity.practice import throttle
from reciprocity.practice.models import FailedSignIn, SignInThrottle
from tests.builders import PASSWORD, sign_in

LOGIN = "/accounts/login/"


def attempt(client, username="ana", password="wrong password", address="10.0.0.1"):  # noqa: S107
    return client.post(LOGIN, {"username": username, "password": password}, REMOTE_ADDR=address)


@pytest.fixture
def failures():
    seen = []

    def listener(sender, credentials, request=None, **kwargs):
        seen.append(credentials.get("username"))

    user_login_failed.connect(listener)
    yield seen
    user_login_failed.disconnect(listener)


def test_five_wrong_passwords_lock_the_account_with_a_429_even_for_the_right_password(client, ana, failures):
    for _ in range(4):
        assert attempt(client).status_code == 200
    fifth = attempt(client)
    assert fifth.status_code == 429
    assert "Too many failed sign-ins; try again in 15 minutes." in fifth.content.decode()
    refused = attempt(client, password=PASSWORD, address="10.0.0.2")  # another address, right password
    assert refused.status_code == 429 and int(refused["Retry-After"]) == 15 * 60
    assert "_auth_user_id" not in client.session
    assert failures == ["ana"] * 6  # every refusal tells the audit trail, the locked one included
    assert list(FailedSignIn.objects.values_list("reason", flat=True)).count("locked") == 1


def test_an_unknown_account_is_locked_the_same_way_so_nothing_tells_them_apart(client, ana):
    for name in ("ana", "nobody"):
        answers = [attempt(client, username=name, address=f"10.0.1.{i}") for i in range(6)]
        assert [a.status_code for a in answers] == [200, 200, 200, 200, 429, 429]
        assert "try again in 15 minutes" in answers[-1].content.decode()


def test_the_account_counter_ignores_case_so_ana_and_ANA_are_one_account(client, ana):
    for name in ("ana", "ANA", "Ana", " ana", "aNa"):
        attempt(client, username=name)
    assert attempt(client, password=PASSWORD).status_code == 429


def test_a_successful_sign_in_clears_the_accounts_counter(client, ana):
    for _ in range(4):
        attempt(client)
    assert attempt(client, password=PASSWORD).status_code == 302
    client.post("/accounts/logout/")
    for _ in range(4):
        assert attempt(client).status_code == 200  # four more are allowed again


def test_twenty_failures_from_one_address_lock_that_address_for_every_account(client, ana, ben):
    for i in range(19):
        assert attempt(client, username=f"guess{i}").status_code == 200
    assert attempt(client, username="guess19").status_code == 429
    assert attempt(client, username="ben", password=PASSWORD).status_code == 429
    assert attempt(client, username="ben", password=PASSWORD, address="10.9.9.9").status_code == 302


def test_each_lock_in_a_row_lasts_twice_as_long(client, ana):
    minutes = []
    for _ in range(3):
        for _ in range(5):
            response = attempt(client)
        minutes.append(int(response["Retry-After"]) // 60)
        SignInThrottle.objects.filter(kind="account").update(
            locked_until=timezone.now() - datetime.timedelta(seconds=1)
        )
    assert minutes == [15, 30, 60]
    assert attempt(client, password=PASSWORD).status_code == 302  # once the lock has passed, the owner gets in


def test_a_lock_is_forgotten_a_day_after_it_ended(ana):
    for _ in range(5):
        throttle.record_failure("ana", None)
    SignInThrottle.objects.update(locked_until=timezone.now() - datetime.timedelta(days=1, minutes=1))
    for _ in range(4):
        assert throttle.record_failure("ana", None) is None
    assert throttle.record_failure("ana", None).minutes == 15


def test_failures_older_than_the_window_do_not_count(ana):
    for _ in range(4):
        throttle.record_failure("ana", "10.0.0.1")
    SignInThrottle.objects.update(window_started_at=timezone.now() - datetime.timedelta(minutes=16))
    assert throttle.record_failure("ana", "10.0.0.1") is None


def test_the_address_comes_from_the_trusted_proxy_only_when_one_is_configured(rf, settings):
    request = rf.get("/", REMOTE_ADDR="127.0.0.1", HTTP_X_FORWARDED_FOR="6.6.6.6, 203.0.113.9")
    assert throttle.client_address(request) == "127.0.0.1"
    settings.TRUSTED_PROXIES = 1
    assert throttle.client_address(request) == "203.0.113.9"  # the address our proxy saw, not one the client wrote


def test_the_settings_page_shows_recent_failed_sign_ins_of_ones_own_account_only(client, ana, ben):
    attempt(client, username="ana", address="192.0.2.7")
    attempt(client, username="ben", address="192.0.2.8")
    html = sign_in(client, ana).get("/accounts/settings/").content.decode()
    assert "Security" in html and "/accounts/two-factor/" in html and "/accounts/password/" in html
    assert "Wrong password · from 192.0.2.7" in html and "192.0.2.8" not in html


def test_old_failures_and_spent_counters_are_forgotten(ana):
    throttle.record_failure("ana", "10.0.0.1")
    long_ago = timezone.now() - datetime.timedelta(days=91)
    FailedSignIn.objects.update(at=long_ago)
    SignInThrottle.objects.update(window_started_at=long_ago)
    throttle.record_failure("someone", None)
    assert list(FailedSignIn.objects.values_list("username", flat=True)) == ["someone"]
    assert list(SignInThrottle.objects.values_list("key", flat=True)) == ["someone"]


def test_the_admin_signs_in_through_the_sites_page_with_its_back_off(client, db):
    response = client.get("/admin/login/?next=/admin/")
    assert response.status_code == 302 and response["Location"] == "/accounts/login/?next=/admin/"
