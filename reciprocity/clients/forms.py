from typing import Any

from django import forms
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _

from reciprocity.clients.codes import WHY_CODES, normalise_code, validate_client_code
from reciprocity.clients.models import Client, Concern
from reciprocity.lib.forms import OwnMultipleChoiceField, date_field, with_current
from reciprocity.practice.models import User


class ClientForm(forms.Form):
    code = forms.CharField(
        label=_("Client code"),
        max_length=20,
        help_text=WHY_CODES,
        error_messages={"max_length": _("A client code has at most 20 characters.")},
        widget=forms.TextInput(attrs={"autocomplete": "off", "autocapitalize": "characters", "spellcheck": "false"}),
    )
    concerns = OwnMultipleChoiceField(
        _("concerns"),
        label=_("Presenting concerns"),
        queryset=Concern.objects.none(),
        required=False,
        widget=forms.CheckboxSelectMultiple,
    )
    started_on = date_field(_("Started on"))
    ended_on = date_field(_("Ended on"), required=False, help_text=_("Leave empty while the work continues."))

    def __init__(self, *args: Any, therapist: User, client: Client | None = None, **kwargs: Any) -> None:
        if client is not None and "initial" not in kwargs:
            kwargs["initial"] = {
                "code": client.code,
                "concerns": list(client.concerns.all()),
                "started_on": client.started_on,
                "ended_on": client.ended_on,
            }
        super().__init__(*args, **kwargs)
        self.therapist, self.client = therapist, client
        current = client.concerns.all() if client else None
        self.fields["concerns"].queryset = with_current(Concern.objects.offered_to(therapist), current)

    def clean_code(self) -> str:
        code = normalise_code(self.cleaned_data["code"])
        validate_client_code(code)
        others = Client.objects.owned_by(self.therapist).filter(code=code)
        if self.client is not None:
            others = others.exclude(pk=self.client.pk)
        if others.exists():
            raise forms.ValidationError(gettext("You already have a client with the code {code}.").format(code=code))
        return code

    def clean(self) -> dict[str, Any]:
        data = super().clean()
        started, ended = data.get("started_on"), data.get("ended_on")
        if started and ended and ended < started:
            self.add_error("ended_on", gettext("The end date cannot be before the start date."))
        return data
