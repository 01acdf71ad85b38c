from django.apps import AppConfig


class RecallConfig(AppConfig):
    name = "reciprocity.recall"
    verbose_name = "Recall"

    def ready(self) -> None:
        from reciprocity.recall import signals
        from reciprocity.recall.similar import moments_panel
        from reciprocity.therapy.panels import add_reflection_panel

        signals.connect()
        add_reflection_panel(moments_panel)
