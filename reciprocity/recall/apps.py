from django.apps import AppConfig


class RecallConfig(AppConfig):
    name = "reciprocity.recall"
    verbose_name = "Recall"

    def ready(self) -> None:
        from reciprocity.recall import signals
        from reciprocity.recall.index import words_key_changed
        from reciprocity.recall.similar import moments_panel
        from reciprocity.therapy.panels import add_reflection_panel
        from reciprocity.vault import backup

        signals.connect()
        add_reflection_panel(moments_panel)
        backup.check_after_restore(words_key_changed)  # a backup restored beside another SECRET_KEY
