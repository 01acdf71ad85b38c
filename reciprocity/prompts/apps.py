from django.apps import AppConfig


class PromptsConfig(AppConfig):
    name = "reciprocity.prompts"
    verbose_name = "Own prompts"

    def ready(self) -> None:
        from reciprocity.practice.settings_panels import add_settings_panel
        from reciprocity.prompts import views
        from reciprocity.therapy.form_sections import add_reflection_form_section
        from reciprocity.therapy.panels import add_reflection_panel

        add_reflection_form_section(views.FORM_SECTION)
        add_reflection_panel(views.answers_panel)
        add_settings_panel(views.settings_panel)
