from typing import Any

from django import forms
from django.utils import timezone
from django.utils.text import format_lazy
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _

from reciprocity.clients.models import Client
from reciprocity.lib.forms import OwnChoiceField, datetime_field
from reciprocity.measures import registry
from reciprocity.measures.definitions import Coding, Instrument, UnknownCoding
from reciprocity.measures.languages import language_name


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
                error_messages={
                    "invalid_choice": format_lazy(_("Item {item}: choose one of the answers shown."), item=item.id)
                },
            )
        if client is not None:
            self.fields["session"] = OwnChoiceField(
                _("sessions of this client"),
                label=_("At which session (optional)"),
                queryset=client.sessions.all(),
                required=False,
                empty_label=_("Not tied to a session"),
            )
            self.fields["completed_at"] = datetime_field(_("Completed at"), required=False)
        else:
            self.fields["note"] = forms.CharField(
                label=_("A note for yourself (optional)"),
                required=False,
                max_length=5_000,
                widget=forms.Textarea(attrs={"rows": 3}),
                help_text=_("What is going on for you right now; only you see it, and search finds it again."),
                error_messages={"max_length": _("Keep the note under 5,000 characters.")},
            )

        if instrument.codings:
            self.fields["coding"] = forms.ChoiceField(
                label=_("Answers numbered as"),
                choices=[(c.id, c.label) for c in instrument.codings],
                required=False,
                error_messages={"invalid_choice": _("Choose one of the codings shown.")},
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
                self.add_error(item_field_name(item.id), gettext("Not answered."))

    def clean_completed_at(self) -> Any:
        when = self.cleaned_data.get("completed_at")
        if when and when > timezone.now():
            raise forms.ValidationError(gettext("A questionnaire is recorded after it was answered, not before."))
        return when

    def answers(self) -> dict[str, int | None]:
        return {item.id: self.cleaned_data.get(item_field_name(item.id)) for item in self.instrument.items}


class InstrumentChoiceForm(forms.Form):
    instrument = forms.ChoiceField(
        label=_("Questionnaire"), error_messages={"invalid_choice": _("Choose a questionnaire from the list.")}
    )

    def __init__(self, *args: Any, instruments: list[Instrument], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["instrument"].choices = [(i.id, f"{i.short_name} — {i.name}") for i in instruments]


VERSION_SEPARATOR = ":"  # "<id>:es" is an instrument's Spanish version; "<id>" alone its own file


class LinkForm(forms.Form):
    """The questionnaire a client link opens, in one of its versions: an instrument with translations
    offers each of its languages (`registry.versions`), the others just themselves."""

    instrument = forms.ChoiceField(
        label=_("Questionnaire"), error_messages={"invalid_choice": _("Choose a questionnaire from the list.")}
    )

    def __init__(self, *args: Any, instruments: list[Instrument], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        choices: list[Any] = []
        for instrument in instruments:
            title = f"{instrument.short_name} — {instrument.name}"
            found = registry.versions(instrument.id)
            if len(found) == 1:
                choices.append((instrument.id, title))
                continue
            options = [
                (self.value_of(instrument, language), f"{instrument.short_name} · {language_name(language)}")
                for language in found
            ]
            choices.append((title, options))
        self.fields["instrument"].choices = choices

    @property
    def has_translations(self) -> bool:
        """Whether any questionnaire offered has a version in another language."""
        return any(isinstance(options, list) for _value, options in self.fields["instrument"].choices)

    @staticmethod
    def value_of(instrument: Instrument, language: str) -> str:
        return instrument.id if language == instrument.language else f"{instrument.id}{VERSION_SEPARATOR}{language}"

    def chosen(self) -> tuple[Instrument, str]:
        """The instrument and the language of the version chosen (after is_valid)."""
        instrument_id, _separator, language = self.cleaned_data["instrument"].partition(VERSION_SEPARATOR)
        instrument = registry.get(instrument_id)
        return instrument, language or instrument.language


class FhirImportForm(forms.Form):
    file = forms.FileField(
        label=_("FHIR QuestionnaireResponse (JSON)"),
        error_messages={"required": _("Choose a JSON file to import."), "empty": _("The file is empty.")},
    )

    def clean_file(self) -> bytes:
        upload = self.cleaned_data["file"]
        if upload.size > 1_000_000:
            raise forms.ValidationError(
                gettext("The file is larger than 1 MB; a QuestionnaireResponse is much smaller.")
            )
        return upload.read()
