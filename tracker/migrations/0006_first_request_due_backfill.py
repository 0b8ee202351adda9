"""Fill the new first_request_due_at column of the open requests without a 1st request.

Uses the pure timeline and calendar functions (no app model is imported): the agency's
zone, notify time, working hours, holiday calendar and closed days are read from the
historical models.
"""

import zoneinfo

from django.db import migrations

from tracker.calendar import get_calendar
from tracker.timeline import AgencyClock, first_request_due_at


def backfill(apps, schema_editor):
    Agency = apps.get_model("accounts", "Agency")
    AgencyClosedDay = apps.get_model("accounts", "AgencyClosedDay")
    LossRunRequest = apps.get_model("vault", "LossRunRequest")
    pending = LossRunRequest.objects.filter(
        received_on__isnull=True, first_request_on__isnull=True, first_request_due_at__isnull=True
    )
    for agency in Agency.objects.filter(pk__in=pending.values("agency_id")):
        state = agency.state if agency.holiday_calendar == "federal_state" else None
        closed = tuple(
            sorted(AgencyClosedDay.objects.filter(agency=agency).values_list("date", flat=True))
        )
        clock = AgencyClock(
            cal=get_calendar(state or None, closed),
            tz=zoneinfo.ZoneInfo(agency.time_zone),
            notify_time=agency.notify_time,
            opens=agency.work_opens,
            closes=agency.work_closes,
        )
        rows = list(pending.filter(agency=agency).only("pk", "created_at"))
        for row in rows:
            row.first_request_due_at = first_request_due_at(row.created_at, clock)
        LossRunRequest.objects.bulk_update(rows, ["first_request_due_at"], batch_size=500)


class Migration(migrations.Migration):
    dependencies = [
        ("tracker", "0005_weeklydigest"),
        ("vault", "0010_request_owner_first_request_due"),
    ]

    operations = [migrations.RunPython(backfill, migrations.RunPython.noop)]
