from django.apps import AppConfig


class PeersConfig(AppConfig):
    name = "reciprocity.peers"
    verbose_name = "Peer consultation groups"

    def ready(self) -> None:
        from reciprocity.lib.personal_data import register
        from reciprocity.peers.personal_data import PART

        register(PART)
