import zoneinfo

from django import forms

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
        fields = ("first_name", "last_name", "time_zone", "weekly_hours_limit", "shows_in_practice_view")
        labels = {
            "first_name": "First name",
            "last_name": "Last name",
            "weekly_hours_limit": "My limit of session hours per week",
            "shows_in_practice_view": "Show my figures by name to my practice's director",
        }
        help_texts = {
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
