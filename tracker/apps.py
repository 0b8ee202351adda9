from django.apps import AppConfig


class TrackerConfig(AppConfig):
    name = "tracker"
    verbose_name = "Tracker"

    def ready(self) -> None:
        # The vault asks for schedules through its port; the tracker answers (vault/scheduling.py).
        from outbox.windows import window_register
        from tracker import calendar, notices, schedule
        from vault import scheduling

        # Retries and late deliveries of the notices' e-mails keep to working hours.
        window_register(kind_prefix="tracker.", window=notices.notice_send_window)

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
