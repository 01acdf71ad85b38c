from django.apps import AppConfig


class RepertoireConfig(AppConfig):
    name = "reciprocity.repertoire"
    verbose_name = "Repertoire"

    def ready(self) -> None:
        from reciprocity.lib.personal_data import register
        from reciprocity.repertoire.personal_data import PART

        register(PART)
