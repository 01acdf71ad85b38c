from django.apps import AppConfig


class SharingConfig(AppConfig):
    name = "reciprocity.sharing"
    verbose_name = "Supervision and sharing"

    def ready(self) -> None:
        from reciprocity.practice import twofactor
        from reciprocity.sharing.two_factor import REQUIREMENT

        twofactor.require_also(REQUIREMENT)
