from django.apps import AppConfig


class DevelopmentConfig(AppConfig):
    name = "reciprocity.development"
    verbose_name = "Professional development and my own support"
