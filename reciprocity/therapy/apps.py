from django.apps import AppConfig


class TherapyConfig(AppConfig):
    name = "reciprocity.therapy"
    verbose_name = "Sessions and reflections"

    def ready(self) -> None:
        from reciprocity.lib.personal_data import register
        from reciprocity.therapy.personal_data import PART

        register(PART)
