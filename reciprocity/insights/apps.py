from django.apps import AppConfig


class InsightsConfig(AppConfig):
    name = "reciprocity.insights"
    verbose_name = "The flywheel"

    def ready(self) -> None:
        from django.db.models.signals import post_migrate

        from reciprocity.insights import signals  # noqa: F401  (connects the figures' receivers)
        from reciprocity.insights.figures import fill_missing

        post_migrate.connect(fill_missing, sender=self)
