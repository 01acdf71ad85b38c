import pytest
from django.core.exceptions import ValidationError

from reciprocity.clients.codes import _contains_date, next_code, validate_client_code


@pytest.mark.parametrize("code", ["N-0007", "A1", "C.12", "X_9-Y", "2024-07", "GRP-3"])
def test_pseudonymous_codes_are_accepted(code):
    validate_client_code(code)


@pytest.mark.parametrize(
    ("code", "message"),
    [
        ("Maria", "at least one digit"),
        ("JOHNSMITH", "at least one digit"),
        ("", "1–20 letters"),
        ("-007", "1–20 letters"),
        ("N 0007", "1–20 letters"),
        ("N@0007", "1–20 letters"),
        ("A" * 21, "1–20 letters"),
        ("JS-12.03.1985", "looks like it contains a date"),
        ("JS120385", "looks like it contains a date"),
        ("1985-03-12", "looks like it contains a date"),
        ("M-19990101", "looks like it contains a date"),
    ],
)
def test_codes_that_could_carry_a_name_or_birth_date_are_refused(code, message):
    with pytest.raises(ValidationError, match=message):
        validate_client_code(code)


def test_next_code_follows_the_highest_and_skips_date_like_numbers():
    assert next_code([]) == "C-0001"
    assert next_code(["C-0001", "C-0009", "X-0100"]) == "C-0010"
    following = next_code(["C-120384"])  # C-120385 would read as 12 March 1985
    assert following > "C-120385" and not _contains_date(following)
