from django.apps import AppConfig


class ExportsConfig(AppConfig):
    name = "reciprocity.exports"
    verbose_name = "Exports"
