from django.apps import AppConfig


class TrackerConfig(AppConfig):
    name = "tracker"
    verbose_name = "Tracker"

    def ready(self) -> None:
        # The vault asks for schedules through its port; the tracker answers (vault/scheduling.py).
        from tracker import calendar, schedule
        from vault import scheduling

        scheduling.scheduler_install(
            scheduling.Scheduler(
                refresh=lambda request: schedule.request_schedule_refresh(request),
                compute_new=lambda requests, *, agency: schedule.requests_schedule_new(
                    requests, agency=agency
                ),
                calendar_for_agency=calendar.calendar_for_agency,
                closed_days_by_agency=calendar.closed_days_by_agency,
            )
        )
