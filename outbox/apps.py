from django.apps import AppConfig


class OutboxConfig(AppConfig):
    name = "outbox"
    label = "outbox"
    default_auto_field = "django.db.models.BigAutoField"
