import datetime
import re
from typing import Any

from django import forms
from django.utils import timezone
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _

from reciprocity.lib.forms import date_field, scale_field
from reciprocity.repertoire.models import HELPED_MAX, HELPED_MIN, Origin
from reciprocity.therapy.dimensions import DIMENSIONS, KEYS

MAX_TAGS, MAX_TAG_LENGTH = 12, 40
_TAG_SEPARATORS = re.compile(r"[,;\n]")


def parse_tags(raw: str) -> list[str]:
    """Comma-separated tags, trimmed, lower-cased and without repeats, in the order written."""
    tags: list[str] = []
    for part in _TAG_SEPARATORS.split(raw or ""):
        tag = " ".join(part.split()).lower()
        if tag and tag not in tags:
            tags.append(tag)
    return tags


class ItemForm(forms.Form):
    title = forms.CharField(
        label=_("Title"),
        max_length=160,
        error_messages={
            "required": _("Give the item a short title, e.g. “Flash-forward for worry”."),
            "max_length": _("Keep the title under 160 characters; the description can say more."),
        },
    )
    description = forms.CharField(
        label=_("What I learned"),
        required=False,
        max_length=10_000,
        widget=forms.Textarea(attrs={"rows": 5}),
        help_text=_("In your own words — this is what search finds again."),
        error_messages={"max_length": _("Keep the description under 10,000 characters.")},
    )
    origin = forms.ChoiceField(
        label=_("Where it came from"),
        choices=Origin.choices,
        initial=Origin.CLIENT_WORK,
        widget=forms.RadioSelect,
        error_messages={"invalid_choice": _("Choose where the item came from from the list.")},
    )
    dimensions = forms.MultipleChoiceField(
        label=_("Dimensions it touches"),
        choices=[(d.key, d.short) for d in DIMENSIONS],
        required=False,
        widget=forms.CheckboxSelectMultiple,
        error_messages={"invalid_choice": _("Choose dimensions from the seven shown.")},
    )
    tags = forms.CharField(
        label=_("Tags"),
        required=False,
        max_length=600,
        help_text=_("Separated by commas, e.g. anxiety, sleep, evenings."),
        error_messages={"max_length": _("That is too many tags; keep them under 600 characters in all.")},
    )

    def clean_title(self) -> str:
        title = " ".join(self.cleaned_data["title"].split())
        if not title:
            raise forms.ValidationError(gettext("Give the item a short title."))
        return title

    def clean_dimensions(self) -> list[str]:
        chosen = set(self.cleaned_data.get("dimensions") or [])
        return [key for key in KEYS if key in chosen]

    def clean_tags(self) -> list[str]:
        tags = parse_tags(self.cleaned_data.get("tags", ""))
        if len(tags) > MAX_TAGS:
            raise forms.ValidationError(gettext("Use at most {count} tags.").format(count=MAX_TAGS))
        if too_long := [t for t in tags if len(t) > MAX_TAG_LENGTH]:
            raise forms.ValidationError(
                gettext("A tag is at most {count} characters: “{tag}…”.").format(
                    count=MAX_TAG_LENGTH, tag=too_long[0][:50]
                )
            )
        return tags

    @property
    def values(self) -> dict[str, Any]:
        return {name: self.cleaned_data[name] for name in ("title", "description", "origin", "dimensions", "tags")}


class TrialForm(forms.Form):
    tried_on = date_field(_("When"))
    situation = forms.CharField(
        label=_("The situation"),
        max_length=2_000,
        widget=forms.Textarea(attrs={"rows": 2}),
        error_messages={
            "required": _("Say in a few words what was going on when you tried it."),
            "max_length": _("Keep the situation under 2,000 characters."),
        },
    )
    helped = scale_field(
        _("How much it helped"), HELPED_MIN, HELPED_MAX, required=True, help_text=_("1 = not at all, 5 = a great deal.")
    )
    note = forms.CharField(
        label=_("Note"),
        required=False,
        max_length=5_000,
        widget=forms.Textarea(attrs={"rows": 2}),
        error_messages={"max_length": _("Keep the note under 5,000 characters.")},
    )

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        kwargs.setdefault("initial", {}).setdefault("tried_on", timezone.localdate())
        super().__init__(*args, **kwargs)

    def clean_tried_on(self) -> datetime.date:
        day = self.cleaned_data["tried_on"]
        if day > timezone.localdate():
            raise forms.ValidationError(gettext("Log a try after it happened, not before."))
        return day

    @property
    def values(self) -> dict[str, Any]:
        return {name: self.cleaned_data[name] for name in ("tried_on", "situation", "helped", "note")}
