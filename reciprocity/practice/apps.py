from django.apps import AppConfig


class PracticeConfig(AppConfig):
    name = "reciprocity.practice"
    verbose_name = "Practices and people"

    def ready(self) -> None:
        from reciprocity.lib.personal_data import register
        from reciprocity.practice.personal_data import PART

        register(PART)
