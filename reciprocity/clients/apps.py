from django.apps import AppConfig
from django.urls import register_converter


class ClientsConfig(AppConfig):
    name = "reciprocity.clients"

    def ready(self) -> None:
        from reciprocity.clients.converters import ClientCodeConverter
        from reciprocity.clients.personal_data import PART
        from reciprocity.lib.personal_data import register

        register_converter(ClientCodeConverter, "code")
        register(PART)
