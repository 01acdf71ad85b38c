from django.apps import AppConfig


class MeasuresConfig(AppConfig):
    name = "reciprocity.measures"
    verbose_name = "Measures"

    def ready(self) -> None:
        from reciprocity.measures.registry import ADDED_FOLDER
        from reciprocity.vault import backup

        # Stored answers name the questionnaires a practice added: a backup carries their files.
        backup.carry(ADDED_FOLDER, "*.json")
