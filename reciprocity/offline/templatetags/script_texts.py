from django import template
from django.utils.html import json_script
from django.utils.safestring import SafeString

from reciprocity.offline.script_texts import page_texts, voice_texts

register = template.Library()


@register.simple_tag
def script_texts(part: str = "") -> SafeString:
    """The scripts' words in the page's language, as JSON in a <script type="application/json">: those of every
    page (id "js-texts"), or with "voice" those of the voice controls (id "voice-texts")."""
    if part == "voice":
        return json_script(voice_texts(), "voice-texts")
    return json_script(page_texts(), "js-texts")
