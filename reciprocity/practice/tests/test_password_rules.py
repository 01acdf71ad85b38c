import pytest
from django.contrib.auth.password_validation import validate_password
from django.core.exceptions import ValidationError

from reciprocity.practice.passwords import breached
from tests.builders import PASSWORD


@pytest.mark.parametrize(
    "password", ["Password2024", "QWERTYUIOP", "iloveyou123!", "1q2w3e4r5t", "Correct Horse Battery Staple"]
)
def test_breached_passwords_are_refused_whatever_their_case(password):
    with pytest.raises(ValidationError, match="exposed in data breaches"):
        validate_password(password)


def test_a_long_unusual_password_passes():
    validate_password("tangerine lighthouse under 7 oaks")


def test_short_passwords_are_still_refused():
    with pytest.raises(ValidationError, match="at least 10 characters"):
        validate_password("x7#kq2!")


def test_the_list_ships_inside_the_package_and_holds_djangos_list_and_patterns():
    words = breached()
    assert len(words) > 40_000
    assert {"password", "123456", "monkey2019", "dragondragon"} <= words


def test_changing_to_a_breached_password_is_refused_on_the_page(as_ana, ana):
    data = {"old_password": PASSWORD, "new_password1": "iloveyou2020", "new_password2": "iloveyou2020"}
    response = as_ana.post("/accounts/password/", data)
    assert response.status_code == 200 and "exposed in data breaches" in response.content.decode()
    ana.refresh_from_db()
    assert ana.check_password(PASSWORD)
