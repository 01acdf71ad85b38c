from django.apps import AppConfig
from django.http import HttpRequest


def _settings_panel(request: HttpRequest) -> str:
    """The reminders section of the settings page, its views imported on first use: they reach the flywheel
    (pandas, SciPy), which a command that never draws the page should not load at start-up."""
    from reciprocity.reminders.views import settings_panel

    return settings_panel(request)


class RemindersConfig(AppConfig):
    name = "reciprocity.reminders"
    verbose_name = "Reminders"

    def ready(self) -> None:
        from reciprocity.practice.settings_panels import add_settings_panel

        add_settings_panel(_settings_panel)
