from django.apps import AppConfig


class VaultConfig(AppConfig):
    name = "reciprocity.vault"
    verbose_name = "Encryption at rest"
