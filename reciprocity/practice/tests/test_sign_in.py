import importlib

import pytest
from django.contrib.auth import get_user_model
from django.core.management import CommandError, call_command

from reciprocity.practice.models import Membership
from tests.builders import PASSWORD


def test_a_therapist_signs_in_and_lands_on_today(client, ana):
    response = client.post("/accounts/login/", {"username": "ana", "password": PASSWORD}, follow=True)
    assert response.redirect_chain[-1][0] == "/"
    assert "Today" in response.content.decode()


def test_a_wrong_password_is_refused_without_saying_which_part_was_wrong(client, ana):
    response = client.post("/accounts/login/", {"username": "ana", "password": "nope"})
    assert response.status_code == 200
    assert "That user name and password do not match." in response.content.decode()
    assert "_auth_user_id" not in client.session


def test_signing_out_needs_a_post_and_ends_the_session(as_ana):
    assert as_ana.post("/accounts/logout/").status_code == 302
    assert as_ana.get("/").status_code == 302


def test_changing_the_password(as_ana, ana):
    data = {
        "old_password": PASSWORD,
        "new_password1": "a new long passphrase",
        "new_password2": "a new long passphrase",
    }
    assert as_ana.post("/accounts/password/", data).status_code == 302
    ana.refresh_from_db()
    assert ana.check_password("a new long passphrase")


def test_a_weak_new_password_is_refused(as_ana, ana):
    data = {"old_password": PASSWORD, "new_password1": "12345678", "new_password2": "12345678"}
    response = as_ana.post("/accounts/password/", data)
    assert response.status_code == 200 and "too short" in response.content.decode()
    ana.refresh_from_db()
    assert ana.check_password(PASSWORD)


def test_passwords_are_hashed_with_argon2_outside_the_tests():
    settings_module = importlib.import_module("reciprocity.config.settings")
    assert settings_module.PASSWORD_HASHERS[0] == "django.contrib.auth.hashers.Argon2PasswordHasher"


def test_the_time_zone_is_a_setting_of_ones_own(as_ana, ana):
    response = as_ana.post("/accounts/settings/", {"first_name": "Ana", "last_name": "A", "time_zone": "Asia/Tokyo"})
    assert response.status_code == 302
    ana.refresh_from_db()
    assert ana.time_zone == "Asia/Tokyo"
    response = as_ana.post("/accounts/settings/", {"first_name": "Ana", "last_name": "A", "time_zone": "Mars/Olympus"})
    assert response.status_code == 422 and "Choose a time zone from the list." in response.content.decode()


def test_a_solo_therapist_gets_a_practice_of_their_own(db):
    call_command("createuser", "solo", "--name", "Sol Oh", "--password-stdin", stdin=_stdin("long enough pass"))
    user = get_user_model().objects.get(username="solo")
    membership = Membership.objects.get(user=user)
    assert (membership.role, membership.practice.name) == ("therapist", "Sol Oh's practice")
    assert user.check_password("long enough pass")


def test_createuser_joins_a_named_practice_with_a_role(db):
    call_command("createuser", "sup", "--role", "supervisor", "--practice", "North", "--password-stdin",
                 stdin=_stdin("long enough pass"))  # fmt: skip
    assert Membership.objects.get(user__username="sup").role == "supervisor"


@pytest.mark.parametrize(
    ("args", "password", "message"),
    [
        (["--time-zone", "Nowhere/Town"], "long enough pass", "is not a time zone we know"),
        ([], "short", "too short"),
        ([], "", "The password is empty."),
    ],
)
def test_createuser_refuses_bad_input_and_writes_nothing(db, args, password, message):
    with pytest.raises(CommandError, match=message) as error:
        call_command("createuser", "x", *args, "--practice", "Ghost", "--password-stdin", stdin=_stdin(password))
    assert error.value.returncode == 2
    assert not get_user_model().objects.filter(username="x").exists()
    assert not Membership.objects.exists()
    from reciprocity.practice.models import Practice

    assert not Practice.objects.filter(name="Ghost").exists()


def test_createuser_refuses_a_taken_name(ana):
    with pytest.raises(CommandError, match="already exists"):
        call_command("createuser", "ana", "--password-stdin", stdin=_stdin("long enough pass"))


def _stdin(text):
    import io

    return io.StringIO(text + "\n")


def test_new_users_start_in_the_deployments_time_zone(settings, db):
    from tests.builders import make_user

    settings.TIME_ZONE = "Europe/Vienna"
    assert make_user("viennese").time_zone == "Europe/Vienna"
    assert make_user("tokyoite", time_zone="Asia/Tokyo").time_zone == "Asia/Tokyo"


def test_createuser_without_a_terminal_says_how_to_give_the_password(db, monkeypatch):
    def no_terminal(prompt: str = "") -> str:
        raise EOFError  # what getpass raises when standard input is closed and there is no terminal

    monkeypatch.setattr("getpass.getpass", no_terminal)
    with pytest.raises(CommandError, match="use --password-stdin") as error:
        call_command("createuser", "x")
    assert error.value.returncode == 2 and not get_user_model().objects.filter(username="x").exists()
