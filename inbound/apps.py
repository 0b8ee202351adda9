from django.apps import AppConfig


class InboundConfig(AppConfig):
    name = "inbound"
    verbose_name = "Carrier replies (inbound e-mail)"
    default_auto_field = "django.db.models.BigAutoField"

    def ready(self) -> None:
        from inbound import checks, signals  # noqa: F401  (registers the receiver and checks)
