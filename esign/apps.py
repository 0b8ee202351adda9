from django.apps import AppConfig


class EsignConfig(AppConfig):
    name = "esign"
    verbose_name = "Electronic signatures"
    default_auto_field = "django.db.models.BigAutoField"
