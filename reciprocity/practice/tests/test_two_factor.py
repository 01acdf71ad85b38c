import re
import time

import pyotp
import pytest
from django.db import connection
from django.test import Client

from reciprocity.practice import twofactor
from reciprocity.practice.models import Practice, RecoveryCode, Role, TwoFactor
from tests.builders import PASSWORD, make_user, sign_in


def code(user, steps_ahead=0):
    secret = TwoFactor.objects.get(user=user).secret
    return pyotp.TOTP(secret).at(time.time() + steps_ahead * 30)


def enrol(client, user):
    """Set up two-factor through the page, as a person would; returns the recovery codes shown."""
    page = client.get("/accounts/two-factor/").content.decode()
    secret = re.search(r'<code class="secret">([A-Z2-7]+)</code>', page).group(1)
    response = client.post("/accounts/two-factor/", {"action": "confirm", "code": pyotp.TOTP(secret).now()})
    assert response.status_code == 200 and "Two-factor sign-in is on." in response.content.decode()
    return re.findall(r"<li><code>([a-z0-9-]+)</code></li>", response.content.decode())


def password_step(client, username):
    return client.post("/accounts/login/", {"username": username, "password": PASSWORD, "next": "/clients/"})


@pytest.fixture
def kim(north, ana):
    return make_user("kim", practice=north, role=Role.SUPERVISOR, full_name="Kim Adler")


def test_enrolment_shows_a_qr_code_inline_and_the_key_and_needs_a_code_before_it_is_on(as_ana, ana):
    page = as_ana.get("/accounts/two-factor/").content.decode()
    assert '<svg role="img" aria-label="QR code' in page and "<img" not in page.split("<main")[1]
    assert re.search(r'<code class="secret">[A-Z2-7]{32}</code>', page)
    wrong = as_ana.post("/accounts/two-factor/", {"action": "confirm", "code": "000000"})
    assert wrong.status_code == 422 and "That code does not match." in wrong.content.decode()
    assert not twofactor.is_enabled(ana)
    codes = enrol(as_ana, ana)
    assert twofactor.is_enabled(ana) and len(codes) == 10 == len(set(codes))
    assert RecoveryCode.objects.filter(user=ana).count() == 10
    stored = set(RecoveryCode.objects.values_list("code_hash", flat=True))
    assert not stored & set(codes)  # only hashes are kept
    assert "recovery codes, shown only now" not in as_ana.get("/accounts/two-factor/").content.decode()


def test_the_secret_is_encrypted_in_the_database(as_ana, ana):
    enrol(as_ana, ana)
    secret = TwoFactor.objects.get(user=ana).secret
    with connection.cursor() as cursor:
        cursor.execute("SELECT secret FROM practice_twofactor")
        (stored,) = cursor.fetchone()
    assert secret not in stored and stored.startswith("enc1:")


def test_sign_in_with_two_factor_needs_the_code_before_any_page(client, ana):
    enrol(sign_in(client, ana), ana)
    client.post("/accounts/logout/")
    response = password_step(client, "ana")
    assert response.status_code == 302 and response["Location"] == "/accounts/login/code/"
    assert "_auth_user_id" not in client.session  # not signed in yet
    assert client.get("/clients/").status_code == 302
    wrong = client.post("/accounts/login/code/", {"code": "123456"})
    assert wrong.status_code == 422 and "That code does not match" in wrong.content.decode()
    response = client.post("/accounts/login/code/", {"code": code(ana, steps_ahead=1)})
    assert response.status_code == 302 and response["Location"] == "/clients/"
    assert client.get("/clients/").status_code == 200


def test_a_code_cannot_be_used_twice(client, ana):
    enrol(sign_in(client, ana), ana)
    client.post("/accounts/logout/")
    current = code(ana, steps_ahead=1)
    password_step(client, "ana")
    assert client.post("/accounts/login/code/", {"code": current}).status_code == 302
    client.post("/accounts/logout/")
    password_step(client, "ana")
    replay = client.post("/accounts/login/code/", {"code": current})
    assert replay.status_code == 422 and "already used" in replay.content.decode()
    assert "_auth_user_id" not in client.session


def test_a_recovery_code_signs_in_once(client, ana):
    codes = enrol(sign_in(client, ana), ana)
    client.post("/accounts/logout/")
    password_step(client, "ana")
    assert client.post("/accounts/login/code/", {"code": codes[0].upper()}).status_code == 302
    client.post("/accounts/logout/")
    password_step(client, "ana")
    assert client.post("/accounts/login/code/", {"code": codes[0]}).status_code == 422
    assert twofactor.recovery_codes_left(ana) == 9


def test_wrong_codes_count_towards_the_lock(client, ana):
    enrol(sign_in(client, ana), ana)
    client.post("/accounts/logout/")
    password_step(client, "ana")
    answers = [client.post("/accounts/login/code/", {"code": "000000"}).status_code for _ in range(5)]
    assert answers == [422, 422, 422, 422, 429]
    assert password_step(client, "ana").status_code == 429


def test_the_code_step_needs_the_password_step_first(client, ana):
    response = client.post("/accounts/login/code/", {"code": "123456"})
    assert response.status_code == 302 and response["Location"] == "/accounts/login/"


def test_regenerating_recovery_codes_replaces_the_old_ones(as_ana, ana):
    old = enrol(as_ana, ana)
    response = as_ana.post("/accounts/two-factor/", {"action": "regenerate"})
    new = re.findall(r"<li><code>([a-z0-9-]+)</code></li>", response.content.decode())
    assert len(new) == 10 and not set(new) & set(old)
    assert not twofactor.verify(ana, old[0]) and twofactor.verify(ana, new[0])


def test_turning_it_off_needs_the_password_and_a_code(as_ana, ana):
    enrol(as_ana, ana)
    bad = as_ana.post("/accounts/two-factor/", {"action": "disable", "password": "nope", "code": code(ana, 1)})
    assert bad.status_code == 422 and "That is not your password." in bad.content.decode()
    bad = as_ana.post("/accounts/two-factor/", {"action": "disable", "password": PASSWORD, "code": "000000"})
    assert bad.status_code == 422 and twofactor.is_enabled(ana)
    good = as_ana.post("/accounts/two-factor/", {"action": "disable", "password": PASSWORD, "code": code(ana, 1)})
    assert good.status_code == 302 and not twofactor.is_enabled(ana)
    assert not RecoveryCode.objects.filter(user=ana).exists()


def test_a_supervisor_in_a_shared_practice_must_enrol_before_reaching_anything(client, kim):
    response = client.post("/accounts/login/", {"username": "kim", "password": PASSWORD}, follow=True)
    assert response.redirect_chain[-1][0] == "/accounts/two-factor/"
    assert "Your role needs two-factor sign-in." in response.content.decode()
    for url in ("/", "/supervision/", "/accounts/settings/", "/accounts/tokens/"):
        assert client.get(url)["Location"] == "/accounts/two-factor/", url
    assert client.get("/api/v1/clients", headers={"Accept": "application/json"}).status_code == 403
    enrol(client, kim)
    assert client.get("/supervision/").status_code == 200
    assert "cannot be turned off" in client.get("/accounts/two-factor/").content.decode()


def test_an_enrolled_director_goes_through_password_then_code_then_the_page(client, north, ana):
    dee = make_user("dee", practice=north, role=Role.DIRECTOR)
    enrol(sign_in(client, dee), dee)
    client.post("/accounts/logout/")
    step = client.post("/accounts/login/", {"username": "dee", "password": PASSWORD, "next": "/dashboard/practice/"})
    assert step["Location"] == "/accounts/login/code/"
    done = client.post("/accounts/login/code/", {"code": code(dee, 1)}, follow=True)
    assert done.redirect_chain[-1][0] == "/dashboard/practice/" and done.status_code == 200


def test_a_director_alone_in_a_solo_practice_is_not_forced(client, db):
    solo = make_user("solo", practice=Practice.objects.create(name="Solo"), role=Role.DIRECTOR)
    assert not twofactor.is_required(solo)
    client.force_login(solo)
    assert client.get("/accounts/settings/").status_code == 200


def test_a_session_without_a_checked_code_is_signed_out_once_two_factor_is_on(client, ana):
    other_device = Client()
    other_device.force_login(ana)  # a session begun before two-factor was switched on
    assert other_device.get("/clients/").status_code == 200
    enrol(sign_in(client, ana), ana)
    response = other_device.get("/clients/")
    assert response.status_code == 302 and response["Location"].startswith("/accounts/login/")
    assert client.get("/clients/").status_code == 200  # the session that checked a code stays


def test_api_tokens_need_no_second_factor(client, kim):
    from reciprocity.practice import tokens

    _, raw = tokens.create_token(user=kim, name="script")
    assert client.get("/api/v1/clients", headers={"Authorization": f"Bearer {raw}"}).status_code == 200


def test_a_session_without_a_checked_code_cannot_make_new_recovery_codes(client, ana):
    other_device = Client()
    other_device.force_login(ana)  # a session begun before two-factor was switched on
    codes = enrol(sign_in(client, ana), ana)
    response = other_device.post("/accounts/two-factor/", {"action": "regenerate"})
    assert response.status_code == 302 and response["Location"].startswith("/accounts/login/")
    assert twofactor.verify(ana, codes[0])  # the owner's codes still work


def test_the_standing_asked_on_every_request_agrees_with_the_two_questions_it_answers(db):
    from django.utils import timezone

    shared, solo = Practice.objects.create(name="Shared"), Practice.objects.create(name="Solo")
    people = [
        make_user("t1", practice=shared),
        make_user("s1", practice=shared, role=Role.SUPERVISOR),
        make_user("d1", practice=shared, role=Role.DIRECTOR),
        make_user("d2", practice=solo, role=Role.DIRECTOR),  # alone in the practice
        make_user("n1"),  # in no practice
    ]
    TwoFactor.objects.create(user=people[0], secret="A" * 32, confirmed_at=timezone.now())
    TwoFactor.objects.create(user=people[1], secret="B" * 32)  # set up but never confirmed
    TwoFactor.objects.create(user=people[3], secret="C" * 32, confirmed_at=timezone.now())
    found = {p.username: twofactor.standing(p) for p in people}
    assert found == {p.username: (twofactor.is_required(p), twofactor.is_enabled(p)) for p in people}
    assert found == {"t1": (False, True), "s1": (True, False), "d1": (True, False), "d2": (False, True),
                     "n1": (False, False)}  # fmt: skip
