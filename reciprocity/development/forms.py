import datetime
from typing import Any

from django import forms
from django.utils import timezone

from reciprocity.development.models import ActivityKind, SupportKind
from reciprocity.lib.forms import date_field, scale_field


def _not_future(day: datetime.date) -> datetime.date:
    if day > timezone.localdate():
        raise forms.ValidationError("Log it after it happened, not before.")
    return day


def _amount(label: str, *, required: bool = True) -> forms.DecimalField:
    return forms.DecimalField(
        label=label, required=required, min_value=0, max_value=200, decimal_places=1, max_digits=5,
        initial=None if required else 0,
        error_messages={"min_value": f"{label} cannot be negative.", "max_value": f"{label}: at most 200.",
                        "invalid": f"{label}: a number such as 1.5.", "required": f"Enter the {label.lower()}.",
                        "max_decimal_places": f"{label}: at most one decimal place."},
    )  # fmt: skip


class ActivityForm(forms.Form):
    kind = forms.ChoiceField(label="What", choices=ActivityKind.choices,
                             error_messages={"invalid_choice": "Choose a kind from the list."})  # fmt: skip
    day = date_field("Date")
    title = forms.CharField(label="Title", max_length=200,
                            error_messages={"required": "Give it a title, e.g. “EMDR level 2”."})  # fmt: skip
    hours = _amount("Hours")
    credits = _amount("CE credits", required=False)
    note = forms.CharField(label="Note", required=False, max_length=5_000, widget=forms.Textarea(attrs={"rows": 2}))

    def clean_day(self) -> datetime.date:
        return _not_future(self.cleaned_data["day"])

    def clean_credits(self) -> Any:
        return self.cleaned_data.get("credits") or 0


class GoalForm(forms.Form):
    title = forms.CharField(label="Goal", max_length=200, error_messages={"required": "Name the goal."})
    target = date_field("By when (optional)", required=False)
    progress = forms.IntegerField(label="Progress (%)", min_value=0, max_value=100, initial=0,
                                  error_messages={"min_value": "Progress is from 0 to 100 per cent.",
                                                  "max_value": "Progress is from 0 to 100 per cent.",
                                                  "invalid": "Progress is a whole number from 0 to 100."})  # fmt: skip
    note = forms.CharField(label="Note", required=False, max_length=5_000, widget=forms.Textarea(attrs={"rows": 2}))


class SupportForm(forms.Form):
    kind = forms.ChoiceField(label="What helped", choices=SupportKind.choices,
                             error_messages={"invalid_choice": "Choose from the list."})  # fmt: skip
    day = date_field("Date")
    helped = scale_field("How much it helped", 1, 5, help_text="1 = not at all, 5 = a great deal (optional).")
    note = forms.CharField(label="Note (only you see it)", required=False, max_length=5_000,
                           widget=forms.Textarea(attrs={"rows": 2}))  # fmt: skip

    def clean_day(self) -> datetime.date:
        return _not_future(self.cleaned_data["day"])
