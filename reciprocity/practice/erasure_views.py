"""The "Delete my account" page: what goes, the export first, then the password and the username to confirm."""

from typing import Any

from django import forms
from django.contrib.auth.models import AnonymousUser
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render

from reciprocity.clients.models import Client
from reciprocity.measures.models import Administration
from reciprocity.peers.models import Post
from reciprocity.practice.erasure import erase_account
from reciprocity.practice.models import User
from reciprocity.repertoire.models import Item
from reciprocity.sharing.models import Supervision
from reciprocity.therapy.models import Reflection, Session


class EraseForm(forms.Form):
    password = forms.CharField(
        label="Your password", strip=False, widget=forms.PasswordInput(attrs={"autocomplete": "current-password"}),
        error_messages={"required": "Enter your password."},
    )  # fmt: skip
    username = forms.CharField(
        label="Type your username to confirm", error_messages={"required": "Type your username to confirm."}
    )

    def __init__(self, user: User, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.user = user
        self.fields["username"].help_text = f"Your username is {user.username}."

    def clean_password(self) -> str:
        password = self.cleaned_data["password"]
        if not self.user.check_password(password):
            raise forms.ValidationError("That is not your password.")
        return password

    def clean_username(self) -> str:
        username = self.cleaned_data["username"].strip()
        if username != self.user.username:
            raise forms.ValidationError(f"Type your username, {self.user.username}, exactly as shown.")
        return username


def _what_goes(user: User) -> list[tuple[str, int]]:
    return [
        ("clients", Client.objects.owned_by(user).count()),
        ("sessions", Session.objects.owned_by(user).count()),
        ("reflections", Reflection.objects.owned_by(user).count()),
        ("questionnaires and check-ins", Administration.objects.owned_by(user).count()),
        ("repertoire items", Item.objects.owned_by(user).count()),
        ("supervisions", Supervision.objects.involving(user).count()),
        ("peer group posts", Post.objects.filter(author=user).count()),
    ]


def delete_account(request: HttpRequest) -> HttpResponse:
    form = EraseForm(request.user, request.POST or None)
    if request.method == "POST" and form.is_valid():
        username = request.user.username
        erase_account(request.user)
        # Its sign-ins are gone already; forget this one without a sign-out signal naming a deleted person.
        request.session.flush()
        request.user = AnonymousUser()
        return render(request, "practice/account_deleted.html", {"username": username})
    status = 400 if request.method == "POST" else 200
    context = {"form": form, "what_goes": _what_goes(request.user)}
    return render(request, "practice/delete_account.html", context, status=status)
