from typing import Any

from django import forms
from django.utils.translation import gettext_lazy as _

from reciprocity.prompts.models import MAX_ANSWER, MAX_LENGTH
from reciprocity.prompts.selectors import Asked


class PromptForm(forms.Form):
    text = forms.CharField(
        label=_("Prompt"),
        max_length=MAX_LENGTH,
        error_messages={
            "required": _("Write the prompt: a question of your own, up to 200 characters."),
            "max_length": _("A prompt has at most %(limit_value)d characters; this one has %(show_value)d."),
        },
        widget=forms.TextInput(attrs={"placeholder": _("What did my body tell me?")}),
    )


class AnswersForm(forms.Form):
    """One optional text area per prompt the reflection's form asks (prompts/selectors.asked_on)."""

    prefix = "prompts"

    def __init__(self, *args: Any, asked: list[Asked], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.asked = asked
        for question in asked:
            self.fields[question.key] = forms.CharField(
                label=question.text,
                required=False,
                max_length=MAX_ANSWER,
                initial=question.answer.answer if question.answer else "",
                widget=forms.Textarea(attrs={"rows": 2}),
                error_messages={"max_length": _("An answer has at most %(limit_value)d characters.")},
            )

    @property
    def answers(self) -> list[tuple[Asked, str]]:
        return [(question, self.cleaned_data.get(question.key, "")) for question in self.asked]
