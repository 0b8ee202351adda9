"""Requests that already have an open ticket get the tracker's Help Desk flag."""

from django.db import migrations

OPEN = ["submitted", "in_review", "waiting_on_agency", "escalated"]


def flag_open(apps, schema_editor):
    Ticket = apps.get_model("helpdesk", "Ticket")
    LossRunRequest = apps.get_model("vault", "LossRunRequest")
    ids = Ticket.objects.filter(status__in=OPEN).values_list("request_id", flat=True)
    LossRunRequest.objects.filter(pk__in=list(ids)).update(helpdesk_open=True, next_due_at=None)


class Migration(migrations.Migration):
    dependencies = [
        ("helpdesk", "0003_escalation_letter_sent_label"),
        ("vault", "0006_lossrunrequest_helpdesk_open"),
    ]

    operations = [migrations.RunPython(flag_open, migrations.RunPython.noop)]
