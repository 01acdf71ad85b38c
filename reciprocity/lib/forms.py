"""Form pieces shared by the apps: plain-language choices and date inputs that browsers understand."""

from typing import Any

from django import forms
from django.db.models import QuerySet

DATE_INPUT = forms.DateInput(format="%Y-%m-%d", attrs={"type": "date"})
DATETIME_INPUT = forms.DateTimeInput(format="%Y-%m-%dT%H:%M", attrs={"type": "datetime-local"})
DATETIME_FORMATS = ["%Y-%m-%dT%H:%M", "%Y-%m-%d %H:%M", "%Y-%m-%dT%H:%M:%S", "%Y-%m-%d %H:%M:%S"]


def date_field(label: str, *, required: bool = True, **kwargs: Any) -> forms.DateField:
    return forms.DateField(
        label=label,
        required=required,
        widget=DATE_INPUT,
        error_messages={"invalid": "Enter a date as YYYY-MM-DD, for example 2026-03-14."},
        **kwargs,
    )


def datetime_field(label: str, **kwargs: Any) -> forms.DateTimeField:
    return forms.DateTimeField(
        label=label,
        widget=DATETIME_INPUT,
        input_formats=DATETIME_FORMATS,
        error_messages={"invalid": "Enter a date and time as YYYY-MM-DD HH:MM, for example 2026-03-14 09:30."},
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
            "invalid_choice": f"{label} is a whole number from {low} to {high}.",
            "required": f"Choose a value for {label.lower()} from {low} to {high}.",
        },
    )


def own_choice_error(noun: str) -> dict[str, str]:
    return {
        "invalid_choice": f"Choose one of your own {noun}.",
        "invalid_pk_value": f"Choose one of your own {noun}.",
    }


def with_current(offered: QuerySet, current: QuerySet | None) -> QuerySet:
    """What a form offers plus what the edited object already has (e.g. a retired term still attached)."""
    if current is None:
        return offered
    return (offered | current).distinct()
