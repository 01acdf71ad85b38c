from django.apps import AppConfig


class ReportsConfig(AppConfig):
    name = "reciprocity.reports"
    verbose_name = "Reports"
