from typing import Any

from django import forms
from django.utils.translation import gettext_lazy as _

from reciprocity.lib.forms import OwnChoiceField, OwnMultipleChoiceField, date_field
from reciprocity.practice.models import User
from reciprocity.sharing import pii
from reciprocity.sharing.display import share_title
from reciprocity.sharing.models import Share, Supervision
from reciprocity.sharing.selectors import colleagues


class InviteForm(forms.Form):
    supervisor = OwnChoiceField(
        _("colleagues"), label=_("Invite a supervisor from your practice"), queryset=User.objects.none(),
        empty_label=_("Choose a colleague"), message=_("Choose a member of your own practice."),
    )  # fmt: skip

    def __init__(self, *args: Any, user: User, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["supervisor"].queryset = User.objects.filter(pk__in=[u.pk for u in colleagues(user)])
        self.fields["supervisor"].label_from_instance = lambda u: u.display_name


class GuardedForm(forms.Form):
    """A form whose text passes the PII guard: `confirm` holds the findings its author confirmed as not identifying.

    The choices are the findings in the text now (`keys`) and whatever was posted, so that a confirmation of a
    detail since edited away is ignored rather than refused.
    """

    confirm = forms.MultipleChoiceField(required=False, widget=forms.MultipleHiddenInput)

    def __init__(self, *args: Any, keys: list[str] | None = None, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        posted = self.data.getlist("confirm") if hasattr(self.data, "getlist") else []
        self.fields["confirm"].choices = [(k, k) for k in dict.fromkeys([*(keys or []), *posted])]

    def review(self, field: str = "text") -> dict[str, object]:
        """The guard's findings in the posted text, marked for the page (nothing before the first post)."""
        if not self.is_bound:
            return {}
        return pii.review(self.data.get(field, ""), set(self.data.getlist("confirm")))


class ShareReflectionForm(GuardedForm):
    supervision = OwnChoiceField(_("supervisors"), label=_("Share with"), queryset=Supervision.objects.none(),
                                 empty_label=None)  # fmt: skip
    text = forms.CharField(
        label=_("What your supervisor will read"),
        max_length=10_000,
        widget=forms.Textarea(attrs={"rows": 6}),
        help_text=_("Taken from your reflection; change anything. Details that could identify a client are marked."),
        error_messages={
            "required": _("Write what you want to share."),
            "max_length": _("Keep it under 10,000 characters."),
        },
    )

    def __init__(self, *args: Any, user: User, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["supervision"].queryset = Supervision.objects.active().filter(therapist=user)
        self.fields["supervision"].label_from_instance = lambda s: s.supervisor.display_name


class CommentForm(GuardedForm):
    text = forms.CharField(label=_("Comment"), max_length=10_000, widget=forms.Textarea(attrs={"rows": 3}),
                           error_messages={"required": _("Write a comment first.")})  # fmt: skip
    parent = forms.IntegerField(required=False, widget=forms.HiddenInput)


class MeetingForm(GuardedForm):
    held_on = date_field(_("Date of the meeting"))
    agenda = OwnMultipleChoiceField(_("shared items"), label=_("Agenda"), queryset=Share.objects.none(), required=False,
                                    widget=forms.CheckboxSelectMultiple)  # fmt: skip
    notes = forms.CharField(
        label=_("Notes"), required=False, max_length=20_000, widget=forms.Textarea(attrs={"rows": 6})
    )

    def __init__(self, *args: Any, supervision: Supervision, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["agenda"].queryset = supervision.shares.filter(revoked_at__isnull=True)
        self.fields["agenda"].label_from_instance = share_title
