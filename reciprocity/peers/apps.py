from django.apps import AppConfig


class PeersConfig(AppConfig):
    name = "reciprocity.peers"
    verbose_name = "Peer consultation groups"
