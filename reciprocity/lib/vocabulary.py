"""An editable, per-therapist vocabulary of tags (presenting concerns, techniques).

Each therapist owns their words: they can add, rename and retire terms. A retired term stays on
the history it already labels but is no longer offered in forms, so nothing recorded is lost.
Names are unique per therapist whatever their case ("CBT" and "cbt" are one term).
"""

from collections.abc import Iterable
from typing import Any, ClassVar, Self

from django import forms
from django.conf import settings
from django.core.exceptions import SuspiciousOperation
from django.db import IntegrityError, models, transaction
from django.db.models.functions import Lower
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _

from reciprocity.lib.forms import parse_id
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
            models.UniqueConstraint(Lower("name"), "therapist", name="%(app_label)s_%(class)s_unique_name"),
        ]

    def __str__(self) -> str:
        return self.name

    @classmethod
    def seed_defaults(cls, therapist: settings.AUTH_USER_MODEL, names: Iterable[str] | None = None) -> None:
        """Give a therapist the suggested terms they do not have yet, in any case."""
        have = {name.lower() for name in cls.objects.owned_by(therapist).values_list("name", flat=True)}
        missing = [name for name in (names or cls.DEFAULTS) if name.lower() not in have]
        cls.objects.bulk_create([cls(therapist=therapist, name=name) for name in missing], ignore_conflicts=True)


class TermTaken(ValueError):
    """The therapist already has a term of this name."""


@transaction.atomic
def add_term(model: type[Term], therapist: settings.AUTH_USER_MODEL, name: str) -> Term:
    """Add a term to a therapist's own list."""
    try:
        with transaction.atomic():
            return model.objects.create(therapist=therapist, name=name)
    except IntegrityError:
        raise TermTaken(name) from None


@transaction.atomic
def rename_term(term: Term, name: str) -> Term:
    """Rename a term everywhere it is used."""
    term.name = name
    try:
        with transaction.atomic():
            term.save(update_fields=["name"])
    except IntegrityError:
        raise TermTaken(name) from None
    return term


def set_retired(term: Term, *, is_retired: bool) -> Term:
    """Retire a term (no longer offered) or bring it back."""
    term.is_retired = is_retired
    term.save(update_fields=["is_retired"])
    return term


class TermForm(forms.Form):
    name = forms.CharField(
        label=_("Term"),
        max_length=40,
        error_messages={"required": _("Type the term first."), "max_length": _("A term has at most 40 characters.")},
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
            raise forms.ValidationError(gettext("“{name}” is already in your list.").format(name=name))
        return name


def vocabulary_page(request: HttpRequest, model: type[Term], *, title: str, back: str) -> HttpResponse:
    """List, add, rename, retire and restore the signed-in therapist's own terms of one vocabulary."""
    terms = model.objects.owned_by(request.user)
    add_form, rename_form, renamed = TermForm(model=model, therapist=request.user), None, None
    if request.method == "POST":
        action = request.POST.get("action", "add")
        term = _chosen_term(request, terms) if action in {"rename", "retire", "restore"} else None
        if action in {"retire", "restore"}:
            set_retired(term, is_retired=action == "retire")
            return redirect(request.path)
        if action == "suggested":
            model.seed_defaults(request.user)
            return redirect(request.path)
        if action not in {"add", "rename"}:
            raise SuspiciousOperation("Unknown vocabulary action.")
        form = TermForm(request.POST, model=model, therapist=request.user, term=term)
        if form.is_valid():
            try:
                if term is None:
                    add_term(model, request.user, form.cleaned_data["name"])
                else:
                    rename_term(term, form.cleaned_data["name"])
            except TermTaken:
                form.add_error(
                    "name", gettext("“{name}” is already in your list.").format(name=form.cleaned_data["name"])
                )
            else:
                return redirect(request.path)
        if term is None:
            add_form = form
        else:
            rename_form, renamed = form, term.pk
    context = {
        "terms": terms,
        "form": rename_form or add_form,  # the form whose errors decide the status (422)
        "add_form": add_form,
        "rename_form": rename_form,
        "renamed": renamed,
        "title": title,
        "back": back,
        "missing": _missing_defaults(model, terms),
    }
    return render_form(request, "vocabulary.html", context)


def _chosen_term(request: HttpRequest, terms: models.QuerySet) -> Term:
    if (pk := parse_id(request.POST.get("term"))) is None:
        raise Http404("No such term.")
    return get_object_or_404(terms, pk=pk)


def _missing_defaults(model: type[Term], terms: models.QuerySet) -> list[str]:
    have = {name.lower() for name in terms.values_list("name", flat=True)}
    return [name for name in model.DEFAULTS if name.lower() not in have]
