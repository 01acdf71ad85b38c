"""The languages of questionnaire versions: their names, and the language a client's page speaks around them."""

from django.conf import settings
from django.utils.translation import get_language_info, get_supported_language_variant


def language_name(tag: str) -> str:
    """The language's name in the page's language, with its own name beside it where that differs:
    "Spanish (español)", "English"; the tag itself for a language Django has no name for."""
    try:
        info = get_language_info(tag)
    except KeyError:
        return tag
    name, own = str(info["name_translated"]), info["name_local"]
    return name if name.casefold() == own.casefold() else f"{name} ({own})"


def page_language(tag: str) -> str:
    """The language Reciprocity speaks on a page around a questionnaire in `tag`: that language where
    Reciprocity has it (es-MX finds es), else the default, English."""
    try:
        return get_supported_language_variant(tag)
    except LookupError:
        return settings.LANGUAGE_CODE
