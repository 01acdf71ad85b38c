from django.apps import AppConfig


class VoiceConfig(AppConfig):
    name = "reciprocity.voice"
    label = "voice"
    verbose_name = "Speaking a reflection"
