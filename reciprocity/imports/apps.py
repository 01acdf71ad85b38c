from django.apps import AppConfig


class ImportsConfig(AppConfig):
    name = "reciprocity.imports"
    verbose_name = "Imports"
