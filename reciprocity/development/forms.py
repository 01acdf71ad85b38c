import datetime
from typing import Any

from django import forms
from django.utils import timezone
from django.utils.text import format_lazy
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _

from reciprocity.development.models import ActivityKind, SupportKind
from reciprocity.lib.forms import date_field, scale_field


def _not_future(day: datetime.date) -> datetime.date:
    if day > timezone.localdate():
        raise forms.ValidationError(gettext("Log it after it happened, not before."))
    return day


def _amount(label: str, *, required: str = "") -> forms.DecimalField:
    """Hours or credits, 0 to 200 with one decimal; `required` is the message when it is left empty, or ""."""
    return forms.DecimalField(
        label=label, required=bool(required), min_value=0, max_value=200, decimal_places=1, max_digits=5,
        initial=None if required else 0,
        error_messages={"min_value": format_lazy(_("{label} cannot be negative."), label=label),
                        "max_value": format_lazy(_("{label}: at most 200."), label=label),
                        "invalid": format_lazy(_("{label}: a number such as 1.5."), label=label),
                        "required": required,
                        "max_decimal_places": format_lazy(_("{label}: at most one decimal place."), label=label)},
    )  # fmt: skip


class ActivityForm(forms.Form):
    kind = forms.ChoiceField(label=_("What"), choices=ActivityKind.choices,
                             error_messages={"invalid_choice": _("Choose a kind from the list.")})  # fmt: skip
    day = date_field(_("Date"))
    title = forms.CharField(label=_("Title"), max_length=200,
                            error_messages={"required": _("Give it a title, e.g. “EMDR level 2”.")})  # fmt: skip
    hours = _amount(_("Hours"), required=_("Enter the hours."))
    credits = _amount(_("CE credits"))
    note = forms.CharField(label=_("Note"), required=False, max_length=5_000, widget=forms.Textarea(attrs={"rows": 2}))

    def clean_day(self) -> datetime.date:
        return _not_future(self.cleaned_data["day"])

    def clean_credits(self) -> Any:
        return self.cleaned_data.get("credits") or 0


class GoalForm(forms.Form):
    title = forms.CharField(label=_("Goal"), max_length=200, error_messages={"required": _("Name the goal.")})
    target = date_field(_("By when (optional)"), required=False)
    progress = forms.IntegerField(
        label=_("Progress (%)"), min_value=0, max_value=100, initial=0,
        error_messages={"min_value": _("Progress is from 0 to 100 per cent."),
                        "max_value": _("Progress is from 0 to 100 per cent."),
                        "invalid": _("Progress is a whole number from 0 to 100.")},
    )  # fmt: skip
    note = forms.CharField(label=_("Note"), required=False, max_length=5_000, widget=forms.Textarea(attrs={"rows": 2}))


class SupportForm(forms.Form):
    kind = forms.ChoiceField(label=_("What helped"), choices=SupportKind.choices,
                             error_messages={"invalid_choice": _("Choose from the list.")})  # fmt: skip
    day = date_field(_("Date"))
    helped = scale_field(_("How much it helped"), 1, 5, help_text=_("1 = not at all, 5 = a great deal (optional)."))
    note = forms.CharField(label=_("Note (only you see it)"), required=False, max_length=5_000,
                           widget=forms.Textarea(attrs={"rows": 2}))  # fmt: skip

    def clean_day(self) -> datetime.date:
        return _not_future(self.cleaned_data["day"])
