"""The "Delete my account" page: what goes, the export first, then the password and the username to confirm."""

from typing import Any

from django import forms
from django.contrib.auth.models import AnonymousUser
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _

from reciprocity.lib import personal_data
from reciprocity.practice import throttle
from reciprocity.practice.erasure import erase_account
from reciprocity.practice.models import User

TEMPLATE = "practice/delete_account.html"
TOO_MANY = 429


class EraseForm(forms.Form):
    password = forms.CharField(
        label=_("Your password"), strip=False, widget=forms.PasswordInput(attrs={"autocomplete": "current-password"}),
        error_messages={"required": _("Enter your password.")},
    )  # fmt: skip
    username = forms.CharField(
        label=_("Type your username to confirm"), error_messages={"required": _("Type your username to confirm.")}
    )

    def __init__(self, user: User, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.user = user
        self.wrong_password = False
        self.fields["username"].help_text = gettext("Your username is {username}.").format(username=user.username)

    def clean_password(self) -> str:
        password = self.cleaned_data["password"]
        if not self.user.check_password(password):
            self.wrong_password = True
            raise forms.ValidationError(gettext("That is not your password."))
        return password

    def clean_username(self) -> str:
        username = self.cleaned_data["username"].strip()
        if username != self.user.username:
            raise forms.ValidationError(
                gettext("Type your username, {username}, exactly as shown.").format(username=self.user.username)
            )
        return username


def _what_goes(user: User) -> list[tuple[str, int]]:
    return [count for part in personal_data.parts().values() if part.counts for count in part.counts(user)]


def delete_account(request: HttpRequest) -> HttpResponse:
    user = request.user
    form = EraseForm(user, request.POST or None)
    context = {"form": form, "what_goes": _what_goes(user)}
    if request.method != "POST":
        return render(request, TEMPLATE, context)
    # Wrong passwords here count with failed sign-ins: a borrowed session cannot be used to guess it.
    address = throttle.client_address(request)
    if (refusal := throttle.refusal(user.username, address)) is not None:
        response = render(request, TEMPLATE, context | {"refusal": refusal.message}, status=TOO_MANY)
        response["Retry-After"] = str(refusal.minutes * 60)
        return response
    if form.is_valid():
        username = user.username
        erase_account(user)
        # Its sign-ins are gone already; forget this one without a sign-out signal naming a deleted person.
        request.session.flush()
        request.user = AnonymousUser()
        return render(request, "practice/account_deleted.html", {"username": username})
    if form.wrong_password:
        throttle.record_failure(user.username, address, user=user)
    return render(request, TEMPLATE, context, status=400)
