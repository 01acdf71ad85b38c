from typing import Any

from django import forms
from django.utils import timezone
from django.utils.text import format_lazy
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _

from reciprocity.clients.codes import normalise_code
from reciprocity.clients.models import Client
from reciprocity.clients.selectors import find_client
from reciprocity.lib.forms import (
    OwnChoiceField,
    OwnMultipleChoiceField,
    date_field,
    datetime_field,
    lowered,
    scale_field,
    with_current,
)
from reciprocity.practice.models import User
from reciprocity.therapy.dimensions import DIMENSIONS, KEYS, RATING_LABELS, Dimension
from reciprocity.therapy.models import Format, Mode, Occasion, Reflection, Session, Technique
from reciprocity.therapy.selectors import ReflectionFilters


class SessionForm(forms.Form):
    client = OwnChoiceField(
        _("clients"), label=_("Client"), queryset=Client.objects.none(), empty_label=_("Choose a client")
    )
    starts_at = datetime_field(_("Date and time"))
    duration_minutes = forms.IntegerField(
        label=_("Duration (minutes)"),
        initial=50,
        min_value=5,
        max_value=480,
        widget=forms.NumberInput(attrs={"inputmode": "numeric"}),  # a phone's digit pad
        error_messages={
            "min_value": _("A session lasts at least 5 minutes."),
            "max_value": _("A session lasts at most 480 minutes (8 hours)."),
            "invalid": _("Enter the duration as a whole number of minutes."),
        },
    )
    format = forms.ChoiceField(
        label=_("Format"), choices=Format.choices, initial=Format.INDIVIDUAL, widget=forms.RadioSelect
    )
    mode = forms.ChoiceField(label=_("Mode"), choices=Mode.choices, initial=Mode.IN_PERSON, widget=forms.RadioSelect)
    techniques = OwnMultipleChoiceField(
        _("techniques"),
        label=_("Techniques used"),
        queryset=Technique.objects.none(),
        required=False,
        widget=forms.CheckboxSelectMultiple,
    )
    emotional_load = scale_field(
        _("Emotional load"), 0, 10, help_text=_("How heavy was it for you? 0 = light, 10 = very heavy.")
    )
    worked_with_trauma = forms.BooleanField(label=_("Trauma material was worked with"), required=False)
    arrival_calm = scale_field(_("Calm on arrival"), 0, 10, help_text=_("0 = agitated, 10 = very calm."))
    arrival_tiredness = scale_field(_("Tiredness on arrival"), 0, 10, help_text=_("0 = rested, 10 = exhausted."))
    submission_id = forms.UUIDField(required=False, widget=forms.HiddenInput)  # set by the browser, docs/offline.md

    def __init__(self, *args: Any, therapist: User, session: Session | None = None, **kwargs: Any) -> None:
        if session is not None and "initial" not in kwargs:
            kwargs["initial"] = {
                name: getattr(session, name) for name in self.base_fields if name not in ("techniques", "submission_id")
            }
            kwargs["initial"]["starts_at"] = timezone.localtime(session.starts_at)
            kwargs["initial"]["techniques"] = list(session.techniques.all())
        super().__init__(*args, **kwargs)
        current_client = Client.objects.filter(pk=session.client_id) if session else None
        self.fields["client"].queryset = with_current(Client.objects.owned_by(therapist).active(), current_client)
        current_techniques = session.techniques.all() if session else None
        self.fields["techniques"].queryset = with_current(Technique.objects.offered_to(therapist), current_techniques)
        if session is not None:
            del self.fields["submission_id"]  # only a new session is sent from a draft


def rating_field(label: str) -> forms.TypedChoiceField:
    return forms.TypedChoiceField(
        label=label,
        choices=[(n, format_lazy("{} · {}", n, text)) for n, text in RATING_LABELS.items()],
        coerce=int,
        widget=forms.RadioSelect,
        error_messages={
            "required": format_lazy(_("Rate {label} from 0 (not touched) to 4 (strongly)."), label=lowered(label)),
            "invalid_choice": format_lazy(_("{label} is rated from 0 (not touched) to 4 (strongly)."), label=label),
        },
    )


class ReflectionForm(forms.Form):
    """The seven ratings, two optional texts and optional moods; a free-standing reflection also names its occasion."""

    session = OwnChoiceField(
        "sessions",
        message=_("That session is not one of yours, or it already has a reflection."),
        queryset=Session.objects.none(),
        required=False,
        widget=forms.HiddenInput,
    )
    occasion = forms.ChoiceField(
        label=_("What are you reflecting on?"),
        choices=[c for c in Occasion.choices if c[0] != Occasion.SESSION],
        initial=Occasion.SUPERVISION,
        required=False,
    )
    occurred_at = datetime_field(_("When"), required=False)
    empathy = rating_field(DIMENSIONS[0].short)
    communication = rating_field(DIMENSIONS[1].short)
    reflection = rating_field(DIMENSIONS[2].short)
    fulfillment = rating_field(DIMENSIONS[3].short)
    resilience = rating_field(DIMENSIONS[4].short)
    destigmatizing = rating_field(DIMENSIONS[5].short)
    boundaries = rating_field(DIMENSIONS[6].short)
    gave_me = forms.CharField(
        label=_("What this gave me"), required=False, max_length=5000, widget=forms.Textarea(attrs={"rows": 3})
    )
    carry_home = forms.CharField(
        label=_("What I'll carry into my own life"),
        required=False,
        max_length=5000,
        widget=forms.Textarea(attrs={"rows": 3}),
    )
    mood_before = scale_field(_("Mood before"), 1, 10)
    mood_after = scale_field(_("Mood after"), 1, 10)
    submission_id = forms.UUIDField(required=False, widget=forms.HiddenInput)  # set by the browser, docs/offline.md

    def __init__(
        self,
        *args: Any,
        author: User,
        session: Session | None = None,
        instance: Reflection | None = None,
        **kwargs: Any,
    ) -> None:
        if instance is not None and "initial" not in kwargs:
            kwargs["initial"] = {
                name: getattr(instance, name) for name in self.base_fields if name not in ("session", "submission_id")
            }
            kwargs["initial"]["occurred_at"] = timezone.localtime(instance.occurred_at)
            session = instance.session
        elif session is not None:
            kwargs.setdefault("initial", {})["session"] = session.pk
        super().__init__(*args, **kwargs)
        self.instance = instance
        self.fields["session"].queryset = Session.objects.owned_by(author).unreflected()
        if instance is not None:
            del self.fields["session"]  # a reflection never moves to another session
            del self.fields["submission_id"]  # only a new reflection is sent from a draft
        self.is_about_session = session is not None or bool(self.data.get("session"))
        if self.is_about_session:
            del self.fields["occasion"]
            del self.fields["occurred_at"]
        else:
            self.fields["occasion"].required = True

    @property
    def rated_dimensions(self) -> list[tuple[Dimension, forms.BoundField]]:
        return [(d, self[d.key]) for d in DIMENSIONS]

    def clean_occurred_at(self) -> Any:
        when = self.cleaned_data.get("occurred_at")
        if when and when > timezone.now():
            raise forms.ValidationError(gettext("A reflection is about something that has already happened."))
        return when

    @property
    def ratings(self) -> dict[str, int]:
        return {key: self.cleaned_data[key] for key in KEYS}

    @property
    def details(self) -> dict[str, Any]:
        """Everything but the ratings and the session, ready for the reflection services."""
        names = ("gave_me", "carry_home", "mood_before", "mood_after", "occasion", "occurred_at", "submission_id")
        return {name: self.cleaned_data[name] for name in names if name in self.cleaned_data}


class ReflectionFilterForm(forms.Form):
    date_from = date_field(_("From"), required=False)
    date_to = date_field(_("To"), required=False)
    dimension = forms.ChoiceField(
        label=_("Strong on"),
        required=False,
        choices=[("", _("any dimension")), *((d.key, d.short) for d in DIMENSIONS)],
        error_messages={"invalid_choice": _("Choose one of the seven dimensions.")},
    )
    client = forms.CharField(
        label=_("Client code"), required=False, max_length=20,
        widget=forms.TextInput(attrs={"autocapitalize": "characters", "autocorrect": "off", "spellcheck": "false"}),
    )  # fmt: skip
    text = forms.CharField(label=_("Words"), required=False, max_length=100)

    def __init__(self, *args: Any, author: User, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.author = author

    def clean_client(self) -> Client | None:
        code = normalise_code(self.cleaned_data["client"])
        if not code:
            return None
        client = find_client(self.author, code)
        if client is None:
            raise forms.ValidationError(gettext("You have no client with the code {code}.").format(code=code))
        return client

    def clean(self) -> dict[str, Any]:
        data = super().clean()
        if data.get("date_from") and data.get("date_to") and data["date_to"] < data["date_from"]:
            self.add_error("date_to", gettext("The end of the range is before its start."))
        return data

    def filters(self) -> ReflectionFilters | None:
        """The chosen filters; None when one of them cannot be used, which then matches nothing.

        Dropping a broken filter would widen the list instead (a mistyped client code showing
        everyone's reflections), so an invalid filter narrows to nothing and is explained.
        """
        if not self.is_bound:
            return ReflectionFilters()
        if not self.is_valid():
            return None
        data = self.cleaned_data
        return ReflectionFilters(
            date_from=data["date_from"],
            date_to=data["date_to"],
            dimension=data["dimension"] or None,
            client=data["client"],
            text=data["text"].strip(),
        )
