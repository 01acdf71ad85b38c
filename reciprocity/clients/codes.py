"""Pseudonymous client codes: what they may look like, and the rules that keep names and birth dates out."""

import datetime
import re

from django.core.exceptions import ValidationError
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _

CODE_PATTERN = re.compile(r"^[A-Za-z0-9][A-Za-z0-9._-]{0,19}$")
URL_PATTERN = r"[A-Za-z0-9][A-Za-z0-9._-]{0,19}"
WHY_CODES = _(
    "Reciprocity never stores client names, birth dates or contact details. Use a code that only you "
    "can link to a person, for example C-0012; keep the key to it in your clinical records, not here."
)
_DATE_SHAPES = ("%d%m%y", "%m%d%y", "%y%m%d", "%d%m%Y", "%m%d%Y", "%Y%m%d")


def normalise_code(raw: str) -> str:
    return raw.strip().upper()


def validate_client_code(code: str) -> None:
    """Accept only codes that cannot carry a name or a birth date.

    At least one digit is required (a name is letters only), and no run of digits may read as a
    calendar date, with or without separators (12.03.1985, 120385).
    """
    if not CODE_PATTERN.match(code):
        raise ValidationError(
            gettext(
                "A client code is 1–20 letters, digits, dots, dashes or underscores, starting with a letter or digit."
            )
        )
    if not any(ch.isdigit() for ch in code):
        raise ValidationError(
            gettext("A client code needs at least one digit, so that it can never be a client's name.")
        )
    if _contains_date(code):
        raise ValidationError(gettext("This code looks like it contains a date. Codes must not carry a birth date."))


def _contains_date(code: str) -> bool:
    digits_runs = re.findall(r"\d+(?:[._-]\d+)*", code)
    for run in digits_runs:
        digits = re.sub(r"[._-]", "", run)
        for width in (6, 8):
            for start in range(len(digits) - width + 1):
                if _is_date(digits[start : start + width]):
                    return True
    return False


def _is_date(digits: str) -> bool:
    for shape in _DATE_SHAPES:
        if len(digits) != (8 if "%Y" in shape else 6):
            continue
        try:
            day = datetime.datetime.strptime(digits, shape).date()
        except ValueError:
            continue
        if 1900 <= day.year <= 2100:
            return True
    return False


def next_code(existing: list[str], prefix: str = "C-") -> str:
    """Suggest the next free code of the form C-0001, after the highest one already in use."""
    numbers = [int(c[len(prefix) :]) for c in existing if c.startswith(prefix) and c[len(prefix) :].isdigit()]
    number = max(numbers, default=0) + 1
    while _contains_date(f"{prefix}{number:04d}"):
        number += 1
    return f"{prefix}{number:04d}"
