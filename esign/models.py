"""One link sent to the insured's signer to sign one request's authorization letter."""

from django.conf import settings
from django.db import models
from django.utils import timezone

from accounts.models import Agency
from accounts.tenancy import TenantQuerySet
from vault.models import Document, LossRunRequest


class SignatureRequest(models.Model):
    """The record of an electronic signature: what was shown, to whom, and every step's time.

    The letter is frozen when the link is sent (`letter_html`, and the PDF shown with its
    SHA-256), so the signer signs exactly what the agency sent, whatever is edited later.
    """

    class Status(models.TextChoices):
        PENDING = "pending", "Waiting for the signer"
        SIGNED = "signed", "Signed"
        DECLINED = "declined", "Declined"
        REVOKED = "revoked", "Revoked"

    agency = models.ForeignKey(Agency, on_delete=models.CASCADE, related_name="+")
    request = models.ForeignKey(
        LossRunRequest, on_delete=models.CASCADE, related_name="signature_requests"
    )
    nonce = models.CharField(max_length=64, unique=True, editable=False)
    status = models.CharField(max_length=10, choices=Status.choices, default=Status.PENDING)
    signer_name = models.CharField(max_length=150)
    signer_title = models.CharField(max_length=100, blank=True)
    signer_email = models.EmailField()
    # The letter with SIGNATURE_SLOT where its signature block goes, and the empty block.
    letter_html = models.TextField(editable=False)
    unsigned_block_html = models.TextField(editable=False)
    shown_pdf = models.FileField(upload_to="esign/%Y/%m/", max_length=300, editable=False)
    shown_sha256 = models.CharField(max_length=64, editable=False)
    sent_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+"
    )
    sent_at = models.DateTimeField(default=timezone.now)
    expires_at = models.DateTimeField()
    opened_at = models.DateTimeField(null=True, blank=True)
    consented_at = models.DateTimeField(null=True, blank=True)
    signed_at = models.DateTimeField(null=True, blank=True)
    declined_at = models.DateTimeField(null=True, blank=True)
    revoked_at = models.DateTimeField(null=True, blank=True)
    decline_reason = models.TextField(blank=True)
    signed_name = models.CharField(max_length=150, blank=True)
    signed_title = models.CharField(max_length=100, blank=True)
    signature_kind = models.CharField(
        max_length=6, choices=[("drawn", "Drawn"), ("typed", "Typed")], blank=True
    )
    signature_png = models.BinaryField(null=True, blank=True, editable=False)
    signer_ip = models.GenericIPAddressField(null=True, blank=True)
    signer_user_agent = models.CharField(max_length=500, blank=True)
    signed_pages_sha256 = models.CharField(max_length=64, blank=True)
    final_sha256 = models.CharField(max_length=64, blank=True)
    document = models.ForeignKey(
        Document, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    reminders_sent = models.PositiveSmallIntegerField(default=0)
    next_reminder_at = models.DateTimeField(null=True, blank=True, db_index=True)

    objects = TenantQuerySet.as_manager()

    class Meta:
        ordering = ["-sent_at", "-id"]
        indexes = [models.Index(fields=["request", "-sent_at"])]

    def __str__(self) -> str:
        return f"Signature of {self.signer_email} for request {self.request_id}"

    def is_expired(self, now=None) -> bool:
        return self.expires_at <= (now or timezone.now())
