from typing import Any

from django import forms
from django.utils.translation import gettext_lazy as _

from reciprocity.lib.forms import OwnChoiceField, OwnMultipleChoiceField
from reciprocity.practice.models import User
from reciprocity.sharing.forms import GuardedForm
from reciprocity.sharing.selectors import colleagues


class GroupForm(forms.Form):
    name = forms.CharField(label=_("Name of the group"), max_length=120,
                           error_messages={"required": _("Give the group a name.")})  # fmt: skip
    members = OwnMultipleChoiceField(_("colleagues"), label=_("Colleagues (2 to 7)"), queryset=User.objects.none(),
                                     widget=forms.CheckboxSelectMultiple)  # fmt: skip

    def __init__(self, *args: Any, user: User, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["members"].queryset = User.objects.filter(pk__in=[u.pk for u in colleagues(user)])
        self.fields["members"].label_from_instance = lambda u: u.display_name


class AddMemberForm(forms.Form):
    user = OwnChoiceField(_("colleagues"), label=_("Add a colleague"), queryset=User.objects.none(),
                          empty_label=_("Choose a colleague"))  # fmt: skip

    def __init__(self, *args: Any, user: User, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["user"].queryset = User.objects.filter(pk__in=[u.pk for u in colleagues(user)])
        self.fields["user"].label_from_instance = lambda u: u.display_name


class PostForm(GuardedForm):
    text = forms.CharField(label=_("A case reflection, de-identified"), max_length=10_000,
                           widget=forms.Textarea(attrs={"rows": 5}),
                           error_messages={"required": _("Write something first.")})  # fmt: skip
