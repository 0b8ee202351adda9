"""TEMP outbox stand-in: replaced by the outbox branch at merge (only the fields used)."""

from django.contrib.contenttypes.fields import GenericForeignKey
from django.contrib.contenttypes.models import ContentType
from django.db import models
from django.utils import timezone


class Email(models.Model):
    class Status(models.TextChoices):
        PENDING = "pending"
        SENDING = "sending"
        SENT = "sent"
        FAILED = "failed"
        CANCELLED = "cancelled"

    agency = models.ForeignKey(
        "accounts.Agency", null=True, on_delete=models.CASCADE, related_name="+"
    )
    kind = models.CharField(max_length=60)
    from_email = models.CharField(max_length=300, blank=True)
    to = models.JSONField(default=list)
    cc = models.JSONField(default=list)
    reply_to = models.JSONField(default=list)
    subject = models.CharField(max_length=500)
    text_body = models.TextField()
    html_body = models.TextField(blank=True)
    attachments = models.JSONField(default=list)
    headers = models.JSONField(default=dict)
    message_id = models.CharField(max_length=200)
    status = models.CharField(max_length=10, choices=Status.choices, default=Status.PENDING)
    attempts = models.PositiveIntegerField(default=0)
    last_error = models.TextField(blank=True)
    sent_at = models.DateTimeField(null=True, blank=True)
    created_at = models.DateTimeField(default=timezone.now)
    about_type = models.ForeignKey(ContentType, null=True, on_delete=models.SET_NULL)
    about_id = models.PositiveBigIntegerField(null=True)
    about = GenericForeignKey("about_type", "about_id")

    class Meta:
        ordering = ["-created_at", "-id"]

    def __str__(self) -> str:
        return self.subject
