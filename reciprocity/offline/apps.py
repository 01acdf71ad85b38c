from django.apps import AppConfig


class OfflineConfig(AppConfig):
    name = "reciprocity.offline"
    verbose_name = "Installable and offline"
