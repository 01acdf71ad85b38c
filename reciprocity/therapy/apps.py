from django.apps import AppConfig


class TherapyConfig(AppConfig):
    name = "reciprocity.therapy"
    verbose_name = "Sessions and reflections"
