from django.apps import AppConfig


class SharingConfig(AppConfig):
    name = "reciprocity.sharing"
    verbose_name = "Supervision and sharing"
