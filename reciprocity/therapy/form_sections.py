"""Sections that apps above therapy add to the reflection form, so therapy never imports them.

An app registers a section in its `AppConfig.ready()` (`prompts` asks the therapist's own prompts). For each
request the section makes a small form of its own, with a prefix of its own, shown after the reflection's two
texts by the template it names. The page saves the reflection only when every section's form is valid too,
and saves the sections in the reflection's transaction: the reflection and its answers are saved together or
not at all.
"""

from collections.abc import Callable
from dataclasses import dataclass

from django import forms
from django.http import QueryDict

from reciprocity.practice.models import User
from reciprocity.therapy.models import Reflection

# (the author, the reflection being edited or None, the POST or None) -> the section's form, or None to ask nothing
MakeForm = Callable[[User, Reflection | None, QueryDict | None], forms.Form | None]
SaveForm = Callable[[Reflection, forms.Form], None]  # called inside the reflection's transaction


@dataclass(frozen=True)
class FormSection:
    template: str  # included in the reflection form with `section` (a BoundSection) in its context
    make_form: MakeForm
    save: SaveForm


@dataclass(frozen=True)
class BoundSection:
    template: str
    form: forms.Form
    save: SaveForm


_sections: list[FormSection] = []


def add_reflection_form_section(section: FormSection) -> None:
    """Ask `section` on every reflection form (registering the same section twice asks it once)."""
    if section not in _sections:
        _sections.append(section)


def reflection_form_sections(
    author: User, reflection: Reflection | None = None, data: QueryDict | None = None
) -> list[BoundSection]:
    """Every registered section's form for this author (and reflection, when editing), leaving out empty ones."""
    made = [(s, s.make_form(author, reflection, data)) for s in _sections]
    return [BoundSection(s.template, form, s.save) for s, form in made if form is not None]


def sections_are_valid(sections: list[BoundSection], form: forms.Form) -> bool:
    """Whether every section's form is valid; if one is not, the reflection form says so, so the page answers 422."""
    invalid = [s for s in sections if not s.form.is_valid()]
    if invalid:
        form.add_error(None, "An answer further down needs a change.")
    return not invalid


def save_sections(sections: list[BoundSection], reflection: Reflection) -> None:
    """Save each section's answers for the reflection; call it in the reflection's transaction."""
    for section in sections:
        section.save(reflection, section.form)
