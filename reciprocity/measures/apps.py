from django.apps import AppConfig


class MeasuresConfig(AppConfig):
    name = "reciprocity.measures"
    verbose_name = "Measures"
