from django.apps import AppConfig


class CalendarsConfig(AppConfig):
    name = "reciprocity.calendars"
    verbose_name = "Sessions from a calendar"
