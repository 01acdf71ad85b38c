from django.apps import AppConfig


class InsightsConfig(AppConfig):
    name = "reciprocity.insights"
    verbose_name = "The flywheel"
