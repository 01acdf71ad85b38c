"""`{% voice_input session as voice %}`: whether the reflection form offers speaking instead of typing.

A page that offers it needs the microphone, which the Permissions-Policy turns off everywhere else
(lib/security.py): the tag marks the request, and the security middleware then allows the microphone
for this page's own origin only.
"""

from dataclasses import dataclass

from django import template
from django.conf import settings

from reciprocity.therapy.models import Session
from reciprocity.voice.timing import has_ended

register = template.Library()


@dataclass(frozen=True)
class VoiceInput:
    is_enabled: bool  # the feature is on (VOICE_INPUT) and the engine is installed
    is_during_session: bool  # the form's session has not ended yet: no recording until it has


@register.simple_tag(takes_context=True)
def voice_input(context: template.Context, session: Session | None = None) -> VoiceInput:
    enabled = bool(getattr(settings, "VOICE_INPUT", False))
    request = context.get("request")
    if enabled and request is not None:
        request.allows_microphone = True
    return VoiceInput(is_enabled=enabled, is_during_session=bool(session) and not has_ended(session))
