import zoneinfo
from typing import Any

from django import forms
from django.utils.translation import gettext_lazy as _

from reciprocity.practice.models import TokenScope, User

TIME_ZONES = sorted(zoneinfo.available_timezones() - {"localtime", "Factory"})


class ProfileForm(forms.ModelForm):
    time_zone = forms.ChoiceField(
        label="Time zone",
        choices=[(z, z.replace("_", " ")) for z in TIME_ZONES],
        help_text="Every date and time you see and enter is in this zone.",
        error_messages={"invalid_choice": "Choose a time zone from the list."},
    )

    class Meta:
        model = User
        fields = (
            "first_name",
            "last_name",
            "email",
            "language",
            "time_zone",
            "weekly_hours_limit",
            "shows_in_practice_view",
        )
        labels = {
            "first_name": "First name",
            "last_name": "Last name",
            "email": "E-mail address",
            "language": _("Language"),
            "weekly_hours_limit": "My limit of session hours per week",
            "shows_in_practice_view": "Show my figures by name to my practice's director",
        }
        help_texts = {
            "language": _("The language of every page. “As my browser asks” follows your browser's own setting."),
            "email": "Used only for a link if you forget your password, and for the reminders you ask for below.",
            "weekly_hours_limit": "More than this in a week raises a boundaries alert. Leave empty for no limit.",
            "shows_in_practice_view": "Off: the director sees you only inside team figures of five or more people.",
        }


class TokenForm(forms.Form):
    name = forms.CharField(
        label="What is it for?", max_length=80, error_messages={"required": "Give the token a name."}
    )
    scope = forms.ChoiceField(
        label="It may", choices=TokenScope.choices, initial=TokenScope.READ, widget=forms.RadioSelect
    )
    expires_days = forms.TypedChoiceField(
        label="It stops working after",
        choices=[(30, "30 days"), (90, "90 days"), (365, "a year")],
        coerce=int,
        initial=90,
        error_messages={"invalid_choice": "Choose one of the periods offered."},
    )


class CodeForm(forms.Form):
    """The second sign-in step: a code from the authenticator app, or one of the recovery codes."""

    code = forms.CharField(
        label="Code",
        max_length=20,
        help_text="The 6-digit code your authenticator app shows now, or one of your recovery codes.",
        error_messages={"required": "Enter the code from your authenticator app."},
        widget=forms.TextInput(attrs={"autocomplete": "one-time-code", "autocapitalize": "none", "autofocus": True}),
    )


class EnrolForm(forms.Form):
    code = forms.CharField(
        label="Code from the app",
        max_length=10,
        help_text="After adding Reciprocity to the app, enter the 6-digit code it shows.",
        error_messages={"required": "Enter the 6-digit code your app shows."},
        widget=forms.TextInput(attrs={"autocomplete": "one-time-code", "inputmode": "numeric"}),
    )


class DisableTwoFactorForm(forms.Form):
    password = forms.CharField(
        label="Your password",
        strip=False,
        widget=forms.PasswordInput(attrs={"autocomplete": "current-password"}),
        error_messages={"required": "Enter your password."},
    )
    code = forms.CharField(
        label="Code from the app, or a recovery code",
        max_length=20,
        error_messages={"required": "Enter a code from your authenticator app."},
        widget=forms.TextInput(attrs={"autocomplete": "one-time-code"}),
    )

    def __init__(self, user: User, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.user = user

    def clean_password(self) -> str:
        password = self.cleaned_data["password"]
        if not self.user.check_password(password):
            raise forms.ValidationError("That is not your password.")
        return password
