from django.apps import AppConfig
from django.urls import register_converter


class ClientsConfig(AppConfig):
    name = "reciprocity.clients"

    def ready(self) -> None:
        from reciprocity.clients.converters import ClientCodeConverter

        register_converter(ClientCodeConverter, "code")
