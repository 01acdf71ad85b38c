from django.apps import AppConfig


class TodayConfig(AppConfig):
    name = "reciprocity.today"
    verbose_name = "Today"
