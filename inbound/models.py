"""E-mails that came in: a carrier's reply, an auto-reply or a bounce, and what was done."""

from django.conf import settings
from django.db import models
from django.utils import timezone

from accounts.models import Agency
from accounts.tenancy import TenantQuerySet
from dispatch.models import CarrierSend
from vault.models import Document, LossRunRequest


class InboundMessage(models.Model):
    """One received message. Unique by Message-ID and by the hash of its content, so a
    webhook delivered twice (even at the same moment) is stored, and acted on, once."""

    class Kind(models.TextChoices):
        REPLY = "reply", "Reply"
        AUTO_REPLY = "auto_reply", "Auto-reply"
        BOUNCE = "bounce", "Delivery failure (bounce)"

    class Status(models.TextChoices):
        ATTACHED = "attached", "Attached to its request"
        TRIAGE = "triage", "Needs triage"
        REFUSED = "refused", "Refused: forged or altered address"
        UNMATCHED = "unmatched", "No request found"
        DISMISSED = "dismissed", "Dismissed by the help desk"

    class Route(models.TextChoices):
        TOKEN = "token", "Reply-To token"
        THREAD = "thread", "In-Reply-To / References"
        STAFF = "staff", "Confirmed by the help desk"

    agency = models.ForeignKey(
        Agency, null=True, blank=True, on_delete=models.CASCADE, related_name="+"
    )
    request = models.ForeignKey(
        LossRunRequest,
        null=True,
        blank=True,
        on_delete=models.CASCADE,
        related_name="inbound_messages",
    )
    status = models.CharField(max_length=10, choices=Status.choices)
    kind = models.CharField(max_length=10, choices=Kind.choices, default=Kind.REPLY)
    routed_by = models.CharField(max_length=6, choices=Route.choices, blank=True)
    proposed_request = models.ForeignKey(
        LossRunRequest, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    proposal_reason = models.CharField(max_length=300, blank=True)

    message_id = models.CharField(max_length=300, blank=True)
    content_sha256 = models.CharField(max_length=64)
    esp = models.CharField("received through", max_length=30)
    from_address = models.CharField("from", max_length=300, blank=True)
    to_addresses = models.TextField("to", blank=True)
    subject = models.CharField(max_length=300, blank=True)
    text = models.TextField(blank=True)
    sent_at = models.DateTimeField("message date")
    received_at = models.DateTimeField(default=timezone.now)
    raw = models.FileField("raw message", upload_to="inbound/%Y/%m/", max_length=300)

    documents = models.ManyToManyField(Document, related_name="+", blank=True)
    skipped = models.JSONField(
        "attachments not filed", default=list, blank=True, help_text="[{name, reason}]"
    )
    actions = models.JSONField("what was done", default=list, blank=True)
    marked_received_on = models.DateField(null=True, blank=True)
    received_undone_at = models.DateTimeField(null=True, blank=True)
    needs_attention = models.BooleanField(default=False)
    acknowledged_at = models.DateTimeField(null=True, blank=True)
    acknowledged_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    bounced_send = models.ForeignKey(
        CarrierSend, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )

    objects = TenantQuerySet.as_manager()

    class Meta:
        ordering = ["-received_at", "-id"]
        constraints = [
            models.UniqueConstraint(
                fields=["message_id"],
                condition=~models.Q(message_id=""),
                name="inbound_message_id_once",
            ),
            models.UniqueConstraint(fields=["content_sha256"], name="inbound_content_once"),
            models.CheckConstraint(
                condition=~models.Q(status="attached") | models.Q(request__isnull=False),
                name="inbound_attached_has_request",
            ),
        ]
        indexes = [
            models.Index(fields=["agency", "request", "-received_at"], name="inbound_by_request"),
            models.Index(fields=["status", "-received_at"], name="inbound_by_status"),
        ]

    def __str__(self) -> str:
        return f"{self.get_kind_display()} from {self.from_address}: {self.subject}"[:200]
