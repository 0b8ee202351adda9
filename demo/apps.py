from django.apps import AppConfig


class DemoConfig(AppConfig):
    """Demo agencies, users and requests for the embedded mode (seed_demo, demo_banner).

    At the top of the dependency order: it uses every app's services, none uses it.
    """

    name = "demo"
    verbose_name = "Demo data"
