"""Every 1st or 2nd request sent to a carrier: what went to whom, when, and by which way."""

from django.conf import settings
from django.db import models
from django.utils import timezone

from accounts.models import Agency
from accounts.tenancy import TenantQuerySet
from vault.models import Document, LossRunRequest


class CarrierSend(models.Model):
    class Kind(models.TextChoices):
        FIRST = "first", "1st request"
        SECOND = "second", "2nd request"

    class Method(models.TextChoices):
        EMAIL = "email", "E-mail from the product"
        FAX = "fax", "Fax (sent by the agency)"
        PORTAL = "portal", "Carrier portal (uploaded by the agency)"
        MAIL = "mail", "Mail (sent by the agency)"
        OTHER = "other", "Other (sent by the agency)"

    agency = models.ForeignKey(Agency, on_delete=models.CASCADE, related_name="+")
    request = models.ForeignKey(LossRunRequest, on_delete=models.CASCADE, related_name="sends")
    kind = models.CharField(max_length=6, choices=Kind.choices)
    method = models.CharField(max_length=6, choices=Method.choices)
    to = models.CharField("sent to", max_length=300, blank=True)
    subject = models.CharField(max_length=300, blank=True)
    reply_to = models.CharField(max_length=300, blank=True)
    documents = models.ManyToManyField(Document, related_name="+", blank=True)
    email = models.ForeignKey(
        "outbox.Email", null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    note = models.CharField(max_length=300, blank=True)
    sent_at = models.DateTimeField(default=timezone.now)
    sent_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+"
    )
    # Set when the carrier's mail server returned the e-mail (a bounce came back).
    not_delivered_at = models.DateTimeField(null=True, blank=True)
    delivery_error = models.CharField(max_length=300, blank=True)

    objects = TenantQuerySet.as_manager()

    class Meta:
        ordering = ["-sent_at", "-id"]

    def __str__(self) -> str:
        return f"{self.get_kind_display()} of request {self.request_id} ({self.method})"
