from django.apps import AppConfig


class RecallConfig(AppConfig):
    name = "reciprocity.recall"
    verbose_name = "Recall"

    def ready(self) -> None:
        from reciprocity.recall import signals

        signals.connect()
