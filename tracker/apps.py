from django.apps import AppConfig


class TrackerConfig(AppConfig):
    name = "tracker"
    verbose_name = "Tracker"

    def ready(self) -> None:
        # The vault asks for schedules through its port; the tracker answers (vault/scheduling.py).
        from tracker import services
        from vault import scheduling

        scheduling.scheduler_install(lambda request: services.request_schedule_refresh(request))
