from typing import Any

from django import forms
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _

from reciprocity.reminders.models import WEEKDAYS


class ReminderForm(forms.Form):
    wants_daily = forms.BooleanField(
        label=_("E-mail me a daily digest"), required=False,
        help_text=_("How many sessions still wait for a reflection, check-ins are due and alerts are open."),
    )  # fmt: skip
    wants_supervision = forms.BooleanField(
        label=_("E-mail me what my supervisees shared"), required=False,
        help_text=_("How many items were shared with you and comments written since the last digest."),
    )  # fmt: skip
    send_at = forms.TimeField(
        label=_("Send it at"),
        widget=forms.TimeInput(format="%H:%M", attrs={"type": "time"}),
        error_messages={"required": _("Choose a time, such as 07:00."), "invalid": _("Enter a time such as 07:00.")},
    )
    quiet_days = forms.TypedMultipleChoiceField(
        label=_("No digest on"),
        choices=list(enumerate(WEEKDAYS)),
        coerce=int,
        required=False,
        widget=forms.CheckboxSelectMultiple,
        error_messages={"invalid_choice": _("Choose days of the week from the list.")},
    )

    def __init__(self, *args: Any, time_zone: str, shows_supervision: bool, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["send_at"].help_text = gettext("In your time zone, {zone}.").format(
            zone=time_zone.replace("_", " ")
        )
        if not shows_supervision:
            del self.fields["wants_supervision"]

    def clean(self) -> dict[str, Any]:
        data = super().clean()
        wanted = data.get("wants_daily") or data.get("wants_supervision")
        if wanted and len(set(data.get("quiet_days") or [])) == len(WEEKDAYS):
            self.add_error(
                "quiet_days", gettext("With every day quiet no digest would ever come: leave at least one day.")
            )
        data.setdefault("wants_supervision", False)
        return data
