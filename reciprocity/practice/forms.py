from typing import Any

from django import forms
from django.contrib.auth import forms as auth_forms
from django.utils import translation
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _

from reciprocity.lib.dates import known_time_zones
from reciprocity.lib.languages import language_for
from reciprocity.practice.models import TokenScope, User

TIME_ZONES = sorted(known_time_zones() - {"localtime", "Factory"})


class ProfileForm(forms.ModelForm):
    time_zone = forms.ChoiceField(
        label=_("Time zone"),
        choices=[(z, z.replace("_", " ")) for z in TIME_ZONES],
        help_text=_("Every date and time you see and enter is in this zone."),
        error_messages={"invalid_choice": _("Choose a time zone from the list.")},
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
            "first_name": _("First name"),
            "last_name": _("Last name"),
            "email": _("E-mail address"),
            "language": _("Language"),
            "weekly_hours_limit": _("My limit of session hours per week"),
            "shows_in_practice_view": _("Show my figures by name to my practice's director"),
        }
        widgets = {  # a phone's keyboard and autofill for each
            "first_name": forms.TextInput(attrs={"autocomplete": "given-name"}),
            "last_name": forms.TextInput(attrs={"autocomplete": "family-name"}),
            "email": forms.EmailInput(attrs={"autocomplete": "email"}),
            "weekly_hours_limit": forms.NumberInput(attrs={"inputmode": "numeric"}),
        }
        help_texts = {
            "language": _("The language of every page. “As my browser asks” follows your browser's own setting."),
            "email": _("Used only for a link if you forget your password, and for the reminders you ask for below."),
            "weekly_hours_limit": _("More than this in a week raises a boundaries alert. Leave empty for no limit."),
            "shows_in_practice_view": _("Off: the director sees you only inside team figures of five or more people."),
        }


class TokenForm(forms.Form):
    name = forms.CharField(
        label=_("What is it for?"), max_length=80, error_messages={"required": _("Give the token a name.")}
    )
    scope = forms.ChoiceField(
        label=_("It may"), choices=TokenScope.choices, initial=TokenScope.READ, widget=forms.RadioSelect
    )
    expires_days = forms.TypedChoiceField(
        label=_("It stops working after"),
        choices=[(30, _("30 days")), (90, _("90 days")), (365, _("a year"))],
        coerce=int,
        initial=90,
        error_messages={"invalid_choice": _("Choose one of the periods offered.")},
    )


class CodeForm(forms.Form):
    """The second sign-in step: a code from the authenticator app, or one of the recovery codes."""

    code = forms.CharField(
        label=_("Code"),
        max_length=20,
        help_text=_("The 6-digit code your authenticator app shows now, or one of your recovery codes."),
        error_messages={"required": _("Enter the code from your authenticator app.")},
        widget=forms.TextInput(attrs={"autocomplete": "one-time-code", "autocapitalize": "none", "autofocus": True}),
    )


class EnrolForm(forms.Form):
    code = forms.CharField(
        label=_("Code from the app"),
        max_length=10,
        help_text=_("After adding Reciprocity to the app, enter the 6-digit code it shows."),
        error_messages={"required": _("Enter the 6-digit code your app shows.")},
        widget=forms.TextInput(attrs={"autocomplete": "one-time-code", "inputmode": "numeric"}),
    )


class DisableTwoFactorForm(forms.Form):
    password = forms.CharField(
        label=_("Your password"),
        strip=False,
        widget=forms.PasswordInput(attrs={"autocomplete": "current-password"}),
        error_messages={"required": _("Enter your password.")},
    )
    code = forms.CharField(
        label=_("Code from the app, or a recovery code"),
        max_length=20,
        error_messages={"required": _("Enter a code from your authenticator app.")},
        widget=forms.TextInput(attrs={"autocomplete": "one-time-code"}),
    )

    def __init__(self, user: User, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.user = user

    def clean_password(self) -> str:
        password = self.cleaned_data["password"]
        if not self.user.check_password(password):
            raise forms.ValidationError(gettext("That is not your password."))
        return password


class PasswordResetForm(auth_forms.PasswordResetForm):
    """Django's reset form, writing its e-mail in the language the account chose (else the browser's)."""

    def send_mail(
        self, subject_template_name: str, email_template_name: str, context: dict[str, Any], *args: Any, **kwargs: Any
    ) -> None:
        user = context.get("user")
        language = language_for(user) if getattr(user, "language", "") else translation.get_language()
        with translation.override(language):
            super().send_mail(subject_template_name, email_template_name, context, *args, **kwargs)
