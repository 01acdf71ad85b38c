from functools import lru_cache

from django import template
from django.utils.html import json_script
from django.utils.safestring import SafeString
from django.utils.translation import get_language

from reciprocity.offline.script_texts import page_texts, voice_texts

register = template.Library()


@register.simple_tag
def script_texts(part: str = "") -> SafeString:
    """The scripts' words in the page's language, as JSON in a <script type="application/json">: those of every
    page (id "js-texts"), or with "voice" those of the voice controls (id "voice-texts")."""
    return _in_language("voice" if part == "voice" else "page", get_language())


@lru_cache(maxsize=64)
def _in_language(part: str, language: str | None) -> SafeString:
    """Written once per language and kept: the catalogues do not change while the process runs."""
    if part == "voice":
        return json_script(voice_texts(), "voice-texts")
    return json_script(page_texts(), "js-texts")
