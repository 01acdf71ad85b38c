"""Form pieces shared by the apps: plain-language errors, bounded dates, and choices of one's own rows."""

import datetime
import re
from typing import Any

from django import forms
from django.core.exceptions import ValidationError
from django.db.models import QuerySet
from django.utils.functional import lazy
from django.utils.text import format_lazy
from django.utils.translation import get_language, gettext
from django.utils.translation import gettext_lazy as _

DATE_INPUT = forms.DateInput(format="%Y-%m-%d", attrs={"type": "date"})
DATETIME_INPUT = forms.DateTimeInput(format="%Y-%m-%dT%H:%M", attrs={"type": "datetime-local"})
DATETIME_FORMATS = ["%Y-%m-%dT%H:%M", "%Y-%m-%d %H:%M", "%Y-%m-%dT%H:%M:%S", "%Y-%m-%d %H:%M:%S"]
# Dates far outside a working life are typing mistakes, and near year 1 or 9999 they overflow
# once shifted between time zones.
FIRST_YEAR, LAST_YEAR = 1900, 2100
_ID = re.compile(r"[0-9]{1,18}")  # ASCII digits only, and small enough for a 64-bit column


def parse_id(raw: object) -> int | None:
    """An object id from user input, or None when it is not a plain, storable positive number."""
    text = str(raw).strip() if raw is not None else ""
    return int(text) if _ID.fullmatch(text) else None


def _lowered(text: str) -> str:
    """A label inside a sentence, in the language active when it is shown: lower case, but German nouns keep
    their capital."""
    return str(text) if (get_language() or "").startswith("de") else str(text).lower()


lowered = lazy(_lowered, str)


def outside_the_years(value: datetime.date) -> str:
    """What is wrong with a date outside FIRST_YEAR..LAST_YEAR, in words; empty when it lies within them."""
    if FIRST_YEAR <= value.year <= LAST_YEAR:
        return ""
    return gettext("Enter a date between {first} and {last}.").format(first=FIRST_YEAR, last=LAST_YEAR)


def _check_year(value: datetime.date | None) -> None:
    if value is not None and (problem := outside_the_years(value)):
        raise ValidationError(problem)


def date_field(label: str, *, required: bool = True, **kwargs: Any) -> forms.DateField:
    return forms.DateField(
        label=label,
        required=required,
        widget=DATE_INPUT,
        validators=[_check_year],
        error_messages={"invalid": _("Enter a date as YYYY-MM-DD, for example 2026-03-14.")},
        **kwargs,
    )


def datetime_field(label: str, **kwargs: Any) -> forms.DateTimeField:
    return forms.DateTimeField(
        label=label,
        widget=DATETIME_INPUT,
        input_formats=DATETIME_FORMATS,
        validators=[_check_year],
        error_messages={"invalid": _("Enter a date and time as YYYY-MM-DD HH:MM, for example 2026-03-14 09:30.")},
        **kwargs,
    )


def scale_field(
    label: str, low: int, high: int, *, required: bool = False, help_text: str = ""
) -> forms.TypedChoiceField:
    """A whole-number scale from low to high, chosen from a list so it cannot be out of range."""
    choices = [(n, str(n)) for n in range(low, high + 1)]
    return forms.TypedChoiceField(
        label=label,
        choices=([] if required else [("", "—")]) + choices,
        coerce=int,
        empty_value=None,
        required=required,
        help_text=help_text,
        error_messages={
            "invalid_choice": format_lazy(
                _("{label} is a whole number from {low} to {high}."), label=label, low=low, high=high
            ),
            "required": format_lazy(
                _("Choose a value for {label} from {low} to {high}."), label=lowered(label), low=low, high=high
            ),
        },
    )


class OwnChoiceField(forms.ModelChoiceField):
    """One of the user's own rows; any other id, or one that is not a plain number, gets the same plain error."""

    def __init__(self, noun: str, *, message: str = "", **kwargs: Any) -> None:
        message = message or format_lazy(_("Choose one of your own {noun}."), noun=noun)
        super().__init__(error_messages={"invalid_choice": message}, **kwargs)

    def to_python(self, value: Any) -> Any:
        if value in self.empty_values:
            return None
        if parse_id(value) is None:
            raise ValidationError(self.error_messages["invalid_choice"], code="invalid_choice")
        return super().to_python(value)


class OwnMultipleChoiceField(forms.ModelMultipleChoiceField):
    """Several of the user's own rows, refused in plain words when any id is not theirs."""

    def __init__(self, noun: str, **kwargs: Any) -> None:
        message = format_lazy(_("Choose one of your own {noun}."), noun=noun)
        super().__init__(error_messages={"invalid_choice": message, "invalid_pk_value": message}, **kwargs)

    def _check_values(self, value: Any) -> QuerySet:
        if any(parse_id(pk) is None for pk in value):
            raise ValidationError(self.error_messages["invalid_choice"], code="invalid_choice")
        return super()._check_values(value)


def with_current(offered: QuerySet, current: QuerySet | None) -> QuerySet:
    """What a form offers plus what the edited object already has (e.g. a retired term still attached)."""
    if current is None:
        return offered
    return (offered | current).distinct()
