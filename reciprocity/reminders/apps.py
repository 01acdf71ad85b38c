from django.apps import AppConfig


class RemindersConfig(AppConfig):
    name = "reciprocity.reminders"
    verbose_name = "Reminders"

    def ready(self) -> None:
        from reciprocity.practice.settings_panels import add_settings_panel
        from reciprocity.reminders.views import settings_panel

        add_settings_panel(settings_panel)
