"""One row per outgoing e-mail.

Life of a row: `email_queue` creates it `pending` in the caller's transaction and enqueues
its delivery on commit; a worker claims it with a conditional update (`sending`, a fresh
claim token, attempts + 1), then marks it `sent` or `failed` (kept with its error and
retried with backoff) only while it still holds that token. Staff may cancel a pending or
failed row. Rows are never deleted by the application, so a message is never re-created.
"""

from __future__ import annotations

from django.contrib.contenttypes.fields import GenericForeignKey
from django.contrib.contenttypes.models import ContentType
from django.db import models
from django.db.models import Q
from django.utils import timezone


class EmailQuerySet(models.QuerySet):
    def for_agency(self, agency) -> EmailQuerySet:
        """The agency's own mail (the contract `accounts.tenancy.scoped` relies on)."""
        if agency is None or agency.pk is None:
            raise ValueError("A tenant query needs a saved agency.")
        return self.filter(agency=agency)


class Email(models.Model):
    class Status(models.TextChoices):
        PENDING = "pending", "Pending"
        SENDING = "sending", "Sending"
        SENT = "sent", "Sent"
        FAILED = "failed", "Failed (will retry)"
        CANCELLED = "cancelled", "Cancelled"

    agency = models.ForeignKey(
        "accounts.Agency",
        on_delete=models.CASCADE,
        null=True,
        blank=True,
        related_name="+",
        help_text="Whose mail this is; empty for platform mail (help desk, password reset).",
    )
    kind = models.CharField(max_length=60)
    from_email = models.CharField(max_length=254, blank=True)
    to = models.JSONField(default=list)
    cc = models.JSONField(default=list, blank=True)
    reply_to = models.JSONField(default=list, blank=True)
    subject = models.CharField(max_length=998)
    text_body = models.TextField()
    html_body = models.TextField(blank=True)
    attachments = models.JSONField(default=list, blank=True)
    headers = models.JSONField(default=dict, blank=True)
    message_id = models.CharField(max_length=255, unique=True)
    status = models.CharField(max_length=10, choices=Status.choices, default=Status.PENDING)
    attempts = models.PositiveSmallIntegerField(default=0)
    # When the sweep should (re)enqueue the row if it is still not sent: the grace after
    # creation, the claim timeout while sending, the backoff after a failure. Empty once
    # sent or cancelled, so the sweep's queue query reads only live rows.
    next_attempt_at = models.DateTimeField(null=True, blank=True)
    claimed_at = models.DateTimeField(null=True, blank=True)
    claim_token = models.UUIDField(null=True, blank=True)
    last_error = models.TextField(blank=True)
    sent_at = models.DateTimeField(null=True, blank=True)
    created_at = models.DateTimeField(default=timezone.now)
    about_type = models.ForeignKey(
        ContentType, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    about_id = models.CharField(max_length=64, blank=True)
    about = GenericForeignKey("about_type", "about_id")

    objects = EmailQuerySet.as_manager()

    class Meta:
        ordering = ["-created_at", "-id"]
        indexes = [
            models.Index(
                fields=["next_attempt_at"],
                name="email_delivery_queue",
                condition=Q(next_attempt_at__isnull=False),
            ),
            models.Index(fields=["about_type", "about_id"], name="email_about"),
            models.Index(fields=["agency", "-created_at"], name="email_agency_recent"),
        ]

    def __str__(self) -> str:
        return f"{self.subject} → {', '.join(self.to)}"
