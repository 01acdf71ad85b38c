from django.apps import AppConfig


class AuditConfig(AppConfig):
    name = "reciprocity.audit"
    verbose_name = "Access to data"

    def ready(self) -> None:
        from reciprocity.audit import signals  # noqa: F401  (connects the sign-in receivers)
