from django.apps import AppConfig


class DevelopmentConfig(AppConfig):
    name = "reciprocity.development"
    verbose_name = "Professional development and my own support"

    def ready(self) -> None:
        from reciprocity.development.personal_data import PART
        from reciprocity.lib.personal_data import register

        register(PART)
