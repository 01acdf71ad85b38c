from django.apps import AppConfig


class MeasuresConfig(AppConfig):
    name = "reciprocity.measures"
    verbose_name = "Measures"

    def ready(self) -> None:
        from reciprocity.lib.personal_data import register
        from reciprocity.measures.personal_data import PART

        register(PART)
