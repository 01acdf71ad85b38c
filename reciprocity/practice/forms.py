import zoneinfo

from django import forms

from reciprocity.practice.models import User

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
        fields = ("first_name", "last_name", "time_zone")
        labels = {"first_name": "First name", "last_name": "Last name"}
