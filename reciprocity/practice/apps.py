from django.apps import AppConfig


class PracticeConfig(AppConfig):
    name = "reciprocity.practice"
    verbose_name = "Practices and people"
