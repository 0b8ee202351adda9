from django.apps import AppConfig


class DispatchConfig(AppConfig):
    name = "dispatch"
    verbose_name = "Requests sent to carriers"
    default_auto_field = "django.db.models.BigAutoField"
