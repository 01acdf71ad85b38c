"""The language to speak to a person when no browser is asking: e-mails, reports made by a command, client links."""

from collections.abc import Callable
from typing import Protocol

from django.conf import settings
from django.db import models
from django.utils.functional import lazy


class HasLanguage(Protocol):
    language: str


def language_for(person: HasLanguage | None) -> str:
    """The person's chosen language, else the site's default (a browser's Accept-Language is not known here)."""
    chosen = getattr(person, "language", "") or ""
    known = {code for code, _ in settings.LANGUAGES}
    return chosen if chosen in known else settings.LANGUAGE_CODE


def _call(function: Callable[..., str], *args: object) -> str:
    return function(*args)


later = lazy(_call, str)  # made once: each lazy() call builds a proxy class of its own
"""`later(function, *args)`: the text `function(*args)` gives, computed each time it is shown, so that a value
built once (or never shown) is written in the language of whoever reads it, and only if someone does."""


def choice_label(choices: type[models.Choices], value: str) -> str:
    """A choice's label in the active language (the value itself if it is not one of the choices).

    Django's own `get_FOO_display` translates every label of the field to find the one it shows; a list of
    sessions shows two of them on every line."""
    try:
        return str(choices(value).label)
    except ValueError:
        return value
