from django.apps import AppConfig


class OpsConfig(AppConfig):
    """Operations: backup and restore, metrics, structured logs. The top of the dependency
    order: it may read every app's models, and no app imports it."""

    name = "ops"
    verbose_name = "Operations"

    def ready(self) -> None:
        from ops import signals  # noqa: F401 - connects the Celery signal handlers
