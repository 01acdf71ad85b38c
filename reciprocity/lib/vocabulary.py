"""An editable, per-therapist vocabulary of tags (presenting concerns, techniques).

Each therapist owns their words: they can add, rename and retire terms. A retired term stays on
the history it already labels but is no longer offered in forms, so nothing recorded is lost.
"""

from collections.abc import Iterable
from typing import Any, ClassVar, Self

from django import forms
from django.conf import settings
from django.core.exceptions import SuspiciousOperation
from django.db import models, transaction
from django.db.models.functions import Lower
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect

from reciprocity.lib.htmx import render_form


class TermQuerySet(models.QuerySet):
    def owned_by(self, therapist: settings.AUTH_USER_MODEL) -> Self:
        return self.filter(therapist=therapist)

    def offered_to(self, therapist: settings.AUTH_USER_MODEL) -> Self:
        return self.owned_by(therapist).filter(is_retired=False)


class Term(models.Model):
    DEFAULTS: ClassVar[tuple[str, ...]] = ()

    therapist = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="%(app_label)s_%(class)s_terms"
    )
    name = models.CharField(max_length=40)
    is_retired = models.BooleanField(default=False)

    objects = TermQuerySet.as_manager()

    class Meta:
        abstract = True
        ordering: ClassVar[list[Any]] = [Lower("name")]
        constraints: ClassVar[list[models.BaseConstraint]] = [
            models.UniqueConstraint(fields=["therapist", "name"], name="%(app_label)s_%(class)s_unique_name"),
        ]

    def __str__(self) -> str:
        return self.name

    @classmethod
    def seed_defaults(cls, therapist: settings.AUTH_USER_MODEL, names: Iterable[str] | None = None) -> None:
        """Give a therapist the suggested terms they do not have yet."""
        cls.objects.bulk_create(
            [cls(therapist=therapist, name=name) for name in (names or cls.DEFAULTS)], ignore_conflicts=True
        )


class TermForm(forms.Form):
    name = forms.CharField(
        label="Term",
        max_length=40,
        error_messages={
            "required": "Type the term first.",
            "max_length": "A term has at most 40 characters.",
        },
    )

    def __init__(self, *args: Any, model: type[Term], therapist: Any, term: Term | None = None, **kw: Any) -> None:
        super().__init__(*args, **kw)
        self.model, self.therapist, self.term = model, therapist, term

    def clean_name(self) -> str:
        name = " ".join(self.cleaned_data["name"].split())
        clash = self.model.objects.owned_by(self.therapist).filter(name__iexact=name)
        if self.term is not None:
            clash = clash.exclude(pk=self.term.pk)
        if clash.exists():
            raise forms.ValidationError(f"“{name}” is already in your list.")
        return name


def vocabulary_page(request: HttpRequest, model: type[Term], *, title: str, back: str) -> HttpResponse:
    """List, add, rename, retire and restore the signed-in therapist's own terms of one vocabulary."""
    terms = model.objects.owned_by(request.user)
    form = TermForm(model=model, therapist=request.user)
    if request.method == "POST":
        action = request.POST.get("action", "add")
        term = _chosen_term(request, terms) if action in {"rename", "retire", "restore"} else None
        if action in {"add", "rename"}:
            form = TermForm(request.POST, model=model, therapist=request.user, term=term)
            if form.is_valid():
                with transaction.atomic():
                    if term is None:
                        model.objects.create(therapist=request.user, name=form.cleaned_data["name"])
                    else:
                        term.name = form.cleaned_data["name"]
                        term.save(update_fields=["name"])
                return redirect(request.path)
        elif action in {"retire", "restore"} and term is not None:
            term.is_retired = action == "retire"
            term.save(update_fields=["is_retired"])
            return redirect(request.path)
        elif action == "suggested":
            model.seed_defaults(request.user)
            return redirect(request.path)
        else:
            raise SuspiciousOperation("Unknown vocabulary action.")
    context = {
        "terms": terms,
        "form": form,
        "title": title,
        "back": back,
        "missing": _missing_defaults(model, terms),
    }
    return render_form(request, "vocabulary.html", context)


def _chosen_term(request: HttpRequest, terms: models.QuerySet) -> Term:
    raw = request.POST.get("term", "")
    if not raw.isdigit():
        raise Http404("No such term.")
    return get_object_or_404(terms, pk=int(raw))


def _missing_defaults(model: type[Term], terms: models.QuerySet) -> list[str]:
    have = {name.lower() for name in terms.values_list("name", flat=True)}
    return [name for name in model.DEFAULTS if name.lower() not in have]
