"""A password rule: refuse passwords known from breaches, checked offline against a list in the package.

breached-passwords.txt.gz holds 45,351 lower-case passwords: Django's own common-passwords list (the
20,000 most common passwords found in breaches, compiled by Royce Williams) plus the patterns people
build from them: each of its 300 most common plain words followed by a year from 1960 to 2030 or by
1, 12, 123, 1234, 12345, 123456, !, 1!, 12!, 123!, @123, #1, 01, 007, 69 or 99, each word doubled,
keyboard walks (qwertyuiop, 1q2w3e4r5t, …) and one character repeated 10 to 16 times. Nothing is
looked up on the network.
"""

import functools
import gzip
from pathlib import Path
from typing import Any

from django.core.exceptions import ValidationError
from django.utils.translation import gettext

LIST = Path(__file__).with_name("breached-passwords.txt.gz")


@functools.cache
def breached() -> frozenset[str]:
    with gzip.open(LIST, "rt", encoding="utf-8") as lines:
        return frozenset(line.strip() for line in lines if line.strip())


def is_breached(password: str) -> bool:
    """Whether the password, ignoring case and spaces, is on the bundled list of breached passwords."""
    lowered = password.strip().lower()
    return lowered in breached() or "".join(lowered.split()) in breached()


class BreachedPasswordValidator:
    """AUTH_PASSWORD_VALIDATORS entry: a password on the breached list is refused with a clear reason."""

    def validate(self, password: str, user: Any = None) -> None:
        if is_breached(password):
            raise ValidationError(
                gettext(
                    "This password is on a list of passwords exposed in data breaches, so attackers try it first. "
                    "Choose another: a few unrelated words make a strong one."
                ),
                code="password_breached",
            )

    def get_help_text(self) -> str:
        return gettext("Your password cannot be one known from data breaches.")
