from django.apps import AppConfig


class DemoConfig(AppConfig):
    name = "reciprocity.demo"
    verbose_name = "Demo practice"
