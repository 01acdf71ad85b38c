from django.apps import AppConfig


class ClientsConfig(AppConfig):
    name = "reciprocity.clients"
