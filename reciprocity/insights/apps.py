from django.apps import AppConfig


class InsightsConfig(AppConfig):
    name = "reciprocity.insights"
    verbose_name = "The flywheel"

    def ready(self) -> None:
        from reciprocity.insights.personal_data import PART
        from reciprocity.lib.personal_data import register

        register(PART)
