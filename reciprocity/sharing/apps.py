from django.apps import AppConfig


class SharingConfig(AppConfig):
    name = "reciprocity.sharing"
    verbose_name = "Supervision and sharing"

    def ready(self) -> None:
        from reciprocity.lib.personal_data import register
        from reciprocity.sharing.personal_data import PART

        register(PART)
