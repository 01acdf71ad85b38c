from typing import Any

from django import forms
from django.utils import timezone

from reciprocity.clients.models import Client
from reciprocity.lib.forms import OwnChoiceField, datetime_field
from reciprocity.measures.definitions import Coding, Instrument, UnknownCoding


def item_field_name(item_id: str) -> str:
    return f"item_{item_id}"


class AnswersForm(forms.Form):
    """One radio group per item, in the instrument's order and with its own options.

    Items may be left unanswered here: whether the answers can be scored is the manual's missing-item
    rule, applied by the scoring engine. An instrument published in several codings numbers its options
    in the chosen one (`coding`, from the data or the initial values), and the answers are kept so.
    """

    def __init__(self, *args: Any, instrument: Instrument, client: Client | None = None, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.instrument = instrument
        self.coding = self._chosen_coding()
        offset = self.coding.offset if self.coding else 0
        for number, item in enumerate(instrument.items, start=1):
            options = instrument.options(item)
            numbered = bool(instrument.codings)  # the numbers matter when the paper form may use either coding
            choices = [(o.value + offset, f"{o.label} ({o.value + offset})" if numbered else o.label) for o in options]
            self.fields[item_field_name(item.id)] = forms.TypedChoiceField(
                label=f"{number}. {item.text}",
                choices=choices,
                coerce=int,
                empty_value=None,
                required=False,
                widget=forms.RadioSelect,
                error_messages={"invalid_choice": f"Item {item.id}: choose one of the answers shown."},
            )
        if client is not None:
            self.fields["session"] = OwnChoiceField(
                "sessions of this client",
                label="At which session (optional)",
                queryset=client.sessions.all(),
                required=False,
                empty_label="Not tied to a session",
            )
            self.fields["completed_at"] = datetime_field("Completed at", required=False)
        else:
            self.fields["note"] = forms.CharField(
                label="A note for yourself (optional)",
                required=False,
                max_length=5_000,
                widget=forms.Textarea(attrs={"rows": 3}),
                help_text="What is going on for you right now; only you see it, and search finds it again.",
                error_messages={"max_length": "Keep the note under 5,000 characters."},
            )

        if instrument.codings:
            self.fields["coding"] = forms.ChoiceField(
                label="Answers numbered as",
                choices=[(c.id, c.label) for c in instrument.codings],
                required=False,
                error_messages={"invalid_choice": "Choose one of the codings shown."},
            )

    def _chosen_coding(self) -> Coding | None:
        raw = self.data.get("coding") if self.is_bound else self.initial.get("coding")
        try:
            return self.instrument.coding(str(raw or ""))
        except UnknownCoding:
            return None  # the coding field reports it

    @property
    def coding_id(self) -> str:
        return self.coding.id if self.coding else self.instrument.own_coding

    @property
    def item_fields(self) -> list[forms.BoundField]:
        return [self[item_field_name(item.id)] for item in self.instrument.items]

    def point_to_unanswered(self, problem: str) -> None:
        """The answers cannot be scored as the manual says: say why, and mark each blank item."""
        self.add_error(None, problem)
        for item in self.instrument.items:
            if self.cleaned_data.get(item_field_name(item.id)) is None:
                self.add_error(item_field_name(item.id), "Not answered.")

    def clean_completed_at(self) -> Any:
        when = self.cleaned_data.get("completed_at")
        if when and when > timezone.now():
            raise forms.ValidationError("A questionnaire is recorded after it was answered, not before.")
        return when

    def answers(self) -> dict[str, int | None]:
        return {item.id: self.cleaned_data.get(item_field_name(item.id)) for item in self.instrument.items}


class InstrumentChoiceForm(forms.Form):
    instrument = forms.ChoiceField(
        label="Questionnaire", error_messages={"invalid_choice": "Choose a questionnaire from the list."}
    )

    def __init__(self, *args: Any, instruments: list[Instrument], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["instrument"].choices = [(i.id, f"{i.short_name} — {i.name}") for i in instruments]


class FhirImportForm(forms.Form):
    file = forms.FileField(
        label="FHIR QuestionnaireResponse (JSON)",
        error_messages={"required": "Choose a JSON file to import.", "empty": "The file is empty."},
    )

    def clean_file(self) -> bytes:
        upload = self.cleaned_data["file"]
        if upload.size > 1_000_000:
            raise forms.ValidationError("The file is larger than 1 MB; a QuestionnaireResponse is much smaller.")
        return upload.read()
