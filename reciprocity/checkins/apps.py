from django.apps import AppConfig


class CheckinsConfig(AppConfig):
    name = "reciprocity.checkins"
    verbose_name = "Check-ins"
