"""The language to speak to a person when no browser is asking: e-mails, reports made by a command, client links."""

from typing import Protocol

from django.conf import settings


class HasLanguage(Protocol):
    language: str


def language_for(person: HasLanguage | None) -> str:
    """The person's chosen language, else the site's default (a browser's Accept-Language is not known here)."""
    chosen = getattr(person, "language", "") or ""
    known = {code for code, _ in settings.LANGUAGES}
    return chosen if chosen in known else settings.LANGUAGE_CODE
