from django.apps import AppConfig


class RepertoireConfig(AppConfig):
    name = "reciprocity.repertoire"
    verbose_name = "Repertoire"
