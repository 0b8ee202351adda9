"""Notices remember the dates they were computed for; one live row per (milestone, dates).

Existing rows get the basis of their request's current dates (the best record there is),
and the rows the sweep had cancelled as superseded get their own status, because a
superseded notice keeps its slot while a cancelled one may come back.
"""

import datetime as dt

from django.db import migrations, models

DAY_KINDS = ("first_request_reminder_day2", "first_request_reminder_day5")
SECOND_KINDS = ("second_request_due", "second_request_reminder")


def _moment(value: dt.datetime) -> str:
    return value.astimezone(dt.UTC).strftime("%Y-%m-%dT%H:%M:%S.%fZ")


def fill_basis(apps, schema_editor):
    Notification = apps.get_model("tracker", "Notification")
    for notice in Notification.objects.select_related("request").iterator():
        req = notice.request
        if notice.milestone in DAY_KINDS:
            notice.basis = _moment(req.created_at)
        elif notice.milestone in SECOND_KINDS and req.first_request_on:
            notice.basis = req.first_request_on.isoformat()
        elif notice.milestone == "helpdesk_due" and req.second_request_at:
            notice.basis = _moment(req.second_request_at + dt.timedelta(hours=24))
        if notice.status == "cancelled" and notice.last_error.startswith("Superseded"):
            notice.status = "superseded"
        notice.save(update_fields=["basis", "status"])


class Migration(migrations.Migration):
    dependencies = [
        ("tracker", "0003_notice_email"),
    ]

    operations = [
        migrations.RemoveConstraint(
            model_name="notification",
            name="one_notice_per_milestone",
        ),
        migrations.AddField(
            model_name="notification",
            name="basis",
            field=models.CharField(blank=True, max_length=40),
        ),
        migrations.AlterField(
            model_name="notification",
            name="status",
            field=models.CharField(
                choices=[
                    ("pending", "Due, e-mail not queued yet"),
                    ("queued", "E-mail queued"),
                    ("cancelled", "Cancelled"),
                    ("superseded", "Superseded (a later notice went instead)"),
                ],
                default="pending",
                max_length=10,
            ),
        ),
        migrations.RunPython(fill_basis, migrations.RunPython.noop),
        migrations.AddConstraint(
            model_name="notification",
            constraint=models.UniqueConstraint(
                condition=models.Q(("status", "cancelled"), _negated=True),
                fields=("request", "milestone", "basis"),
                name="one_notice_per_milestone_dates",
            ),
        ),
    ]
