"""Requests that already have a ticket (of any status) count as gone to the Help Desk."""

from django.db import migrations


def flag_submitted(apps, schema_editor):
    Ticket = apps.get_model("helpdesk", "Ticket")
    LossRunRequest = apps.get_model("vault", "LossRunRequest")
    LossRunRequest.objects.filter(pk__in=Ticket.objects.values("request_id")).update(
        went_to_helpdesk=True
    )


class Migration(migrations.Migration):
    dependencies = [
        ("helpdesk", "0006_ticketmessage_by_product"),
        ("vault", "0011_went_to_helpdesk"),
    ]

    operations = [migrations.RunPython(flag_submitted, migrations.RunPython.noop)]
