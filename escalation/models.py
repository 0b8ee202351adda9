"""The record of each escalation kit sent: one per request and statutory due date."""

from django.db import models
from django.utils import timezone

from accounts.models import Agency
from accounts.tenancy import TenantQuerySet
from config.dates import human_date
from vault.models import Document, LossRunRequest


class EscalationKit(models.Model):
    """A kit that went to the agency (and the request's open ticket) once the statutory
    date passed with nothing received.

    Unique per (request, due date): a kit is never sent twice for the same date, and a
    corrected date (a new due date) gets a kit of its own. The two PDFs are kept as the
    agency's documents of the request, exactly as they were sent.
    """

    agency = models.ForeignKey(Agency, on_delete=models.CASCADE, related_name="+")
    request = models.ForeignKey(
        LossRunRequest, on_delete=models.CASCADE, related_name="escalation_kits"
    )
    due_on = models.DateField("statutory due date")
    citation = models.CharField(max_length=200)
    sent_at = models.DateTimeField(default=timezone.now)
    letter = models.ForeignKey(
        Document, null=True, on_delete=models.SET_NULL, related_name="+", editable=False
    )
    complaint = models.ForeignKey(
        Document, null=True, on_delete=models.SET_NULL, related_name="+", editable=False
    )
    email = models.ForeignKey(
        "outbox.Email", null=True, on_delete=models.SET_NULL, related_name="+", editable=False
    )
    ticket_id = models.PositiveBigIntegerField(
        "Help Desk ticket", null=True, blank=True, help_text="The open ticket that got the note."
    )
    note = models.CharField(max_length=300, blank=True)

    objects = TenantQuerySet.as_manager()

    class Meta:
        ordering = ["-sent_at", "-id"]
        constraints = [
            models.UniqueConstraint(fields=["request", "due_on"], name="one_kit_per_due_date")
        ]

    def __str__(self) -> str:
        return f"Escalation kit for request #{self.request_id} (due {human_date(self.due_on)})"
