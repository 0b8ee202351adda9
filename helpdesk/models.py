"""The Loss Run Help Desk: tickets handed over by agencies and worked by staff in the admin.

Every change of a ticket goes through helpdesk.services, which writes a TicketEvent (the
audit) and queues the e-mails. Agency-owned rows carry `agency` and use TenantQuerySet.
"""

from django.conf import settings
from django.db import models
from django.utils import timezone

from accounts.models import Agency
from accounts.tenancy import TenantQuerySet
from vault.models import Document, LossRunRequest


class CommonMistake(models.Model):
    """A usual reason a carrier did not comply; kept by staff, chosen when returning a ticket."""

    title = models.CharField(max_length=160)
    explanation = models.TextField()
    what_to_do = models.TextField("what to do instead")
    ordering = models.PositiveSmallIntegerField(default=100, help_text="Lower comes first.")
    active = models.BooleanField(default=True)

    class Meta:
        ordering = ["ordering", "id"]

    def __str__(self) -> str:
        return self.title


class Ticket(models.Model):
    class Status(models.TextChoices):
        SUBMITTED = "submitted", "Submitted"
        IN_REVIEW = "in_review", "In review"
        WAITING_ON_AGENCY = "waiting_on_agency", "Waiting on agency"
        ESCALATED = "escalated", "Escalated to carrier"
        RESOLVED_RECEIVED = "resolved_received", "Resolved: received"
        CLOSED_CANNOT_PURSUE = "closed_cannot_pursue", "Closed: cannot pursue"

    OPEN_STATUSES = (
        Status.SUBMITTED,
        Status.IN_REVIEW,
        Status.WAITING_ON_AGENCY,
        Status.ESCALATED,
    )
    CLOSED_STATUSES = (Status.RESOLVED_RECEIVED, Status.CLOSED_CANNOT_PURSUE)

    class Priority(models.TextChoices):
        LOW = "low", "Low"
        NORMAL = "normal", "Normal"
        HIGH = "high", "High"

    agency = models.ForeignKey(Agency, on_delete=models.CASCADE, related_name="+")
    request = models.ForeignKey(
        LossRunRequest, on_delete=models.CASCADE, related_name="helpdesk_tickets"
    )
    status = models.CharField(max_length=24, choices=Status.choices, default=Status.SUBMITTED)
    assignee = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="assigned_tickets",
        limit_choices_to={"is_staff": True},
    )
    priority = models.CharField(max_length=8, choices=Priority.choices, default=Priority.NORMAL)
    submitted_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+"
    )
    submitted_at = models.DateTimeField(default=timezone.now)
    first_response_due_at = models.DateTimeField("first response due")
    first_responded_at = models.DateTimeField(null=True, blank=True)
    updated_at = models.DateTimeField(default=timezone.now)
    closed_at = models.DateTimeField(null=True, blank=True)
    signed_first_request = models.ForeignKey(
        Document, on_delete=models.PROTECT, related_name="+", verbose_name="signed first request"
    )
    confirmed_common_mistakes_at = models.DateTimeField()
    waiting_for = models.TextField(
        blank=True, help_text="What staff asked the agency for (shown on the agency's list)."
    )

    objects = TenantQuerySet.as_manager()

    class Meta:
        ordering = ["-updated_at", "-id"]
        constraints = [
            models.UniqueConstraint(
                fields=["request"],
                condition=models.Q(
                    status__in=["submitted", "in_review", "waiting_on_agency", "escalated"]
                ),
                name="one_open_ticket_per_request",
            )
        ]
        indexes = [
            models.Index(fields=["agency", "-updated_at"], name="ticket_agency_recent"),
            models.Index(fields=["status", "first_response_due_at"], name="ticket_queue"),
        ]

    def __str__(self) -> str:
        return f"Ticket #{self.pk}"

    @property
    def is_open(self) -> bool:
        return self.status in self.OPEN_STATUSES

    def is_overdue(self, now=None) -> bool:
        """No first response yet and the due time has passed."""
        now = now or timezone.now()
        return (
            self.first_responded_at is None
            and self.is_open
            and self.first_response_due_at is not None
            and self.first_response_due_at <= now
        )


class ProofCoverage(models.Model):
    """A proof-of-carrier document attached to a ticket and one policy number it covers."""

    agency = models.ForeignKey(Agency, on_delete=models.CASCADE, related_name="+")
    ticket = models.ForeignKey(Ticket, on_delete=models.CASCADE, related_name="proofs")
    document = models.ForeignKey(Document, on_delete=models.PROTECT, related_name="+")
    policy_number = models.CharField(max_length=60)

    objects = TenantQuerySet.as_manager()

    class Meta:
        ordering = ["document_id", "policy_number"]
        verbose_name = "proof of carrier"
        verbose_name_plural = "proof of carrier"
        constraints = [
            models.UniqueConstraint(
                fields=["ticket", "document", "policy_number"], name="unique_proof_coverage"
            )
        ]

    def __str__(self) -> str:
        return f"{self.document} covers {self.policy_number}"


class TicketMessage(models.Model):
    """One message of the thread. Internal messages are for staff only, never shown to agencies."""

    agency = models.ForeignKey(Agency, on_delete=models.CASCADE, related_name="+")
    ticket = models.ForeignKey(Ticket, on_delete=models.CASCADE, related_name="messages")
    author = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+"
    )
    from_staff = models.BooleanField(default=False)
    is_internal = models.BooleanField(
        "internal note", default=False, help_text="Internal notes are never shown to the agency."
    )
    body = models.TextField()
    created_at = models.DateTimeField(default=timezone.now)
    documents = models.ManyToManyField(Document, blank=True, related_name="+")

    objects = TenantQuerySet.as_manager()

    class Meta:
        ordering = ["created_at", "id"]
        indexes = [models.Index(fields=["ticket", "is_internal", "created_at"])]

    def __str__(self) -> str:
        kind = "Internal note" if self.is_internal else "Message"
        return f"{kind} on ticket #{self.ticket_id}"


class TicketEvent(models.Model):
    """The audit: who did what to a ticket, and when. Written by every service."""

    class Action(models.TextChoices):
        SUBMITTED = "submitted", "Submitted by the agency"
        STATUS = "status", "Status changed"
        ASSIGNED = "assigned", "Assigned"
        PRIORITY = "priority", "Priority changed"
        RETURNED = "returned", "Returned to the agency"
        MESSAGE = "message", "Public message"
        INTERNAL_NOTE = "internal_note", "Internal note"
        AGENCY_REPLY = "agency_reply", "Agency replied"
        ESCALATION_LETTER = "escalation_letter", "Escalation letter sent to the carrier"
        RESOLVED = "resolved", "Resolved: loss runs received"

    # Actions whose row the agency sees in the ticket's history (internal detail never shown).
    PUBLIC_ACTIONS = (
        Action.SUBMITTED,
        Action.STATUS,
        Action.RETURNED,
        Action.RESOLVED,
    )

    agency = models.ForeignKey(Agency, on_delete=models.CASCADE, related_name="+")
    ticket = models.ForeignKey(Ticket, on_delete=models.CASCADE, related_name="events")
    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+"
    )
    action = models.CharField(max_length=24, choices=Action.choices)
    from_status = models.CharField(max_length=24, choices=Ticket.Status.choices, blank=True)
    to_status = models.CharField(max_length=24, choices=Ticket.Status.choices, blank=True)
    detail = models.TextField(blank=True)
    created_at = models.DateTimeField(default=timezone.now)
    reasons = models.ManyToManyField(
        CommonMistake, through="TicketReturnReason", blank=True, related_name="+"
    )

    objects = TenantQuerySet.as_manager()

    class Meta:
        ordering = ["created_at", "id"]

    def __str__(self) -> str:
        return f"{self.get_action_display()} (ticket #{self.ticket_id})"


class TicketReturnReason(models.Model):
    """A Common Mistake chosen as a reason when a ticket went back to the agency."""

    agency = models.ForeignKey(Agency, on_delete=models.CASCADE, related_name="+")
    event = models.ForeignKey(TicketEvent, on_delete=models.CASCADE, related_name="+")
    mistake = models.ForeignKey(CommonMistake, on_delete=models.PROTECT, related_name="+")

    objects = TenantQuerySet.as_manager()

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["event", "mistake"], name="unique_return_reason")
        ]

    def __str__(self) -> str:
        return str(self.mistake)


class AgencyUpdate(models.Model):
    """The agency's next e-mail about a ticket, collecting what staff did within its window.

    The first event opens it (`due_at` = then + HELPDESK_UPDATE_WINDOW_SECONDS); events of
    the same ticket before `due_at` join it; at `due_at` it becomes one outbox row
    (helpdesk.services.updates). `queued_at` is set by the one conditional UPDATE that
    claims it, in the transaction that creates the e-mail: one update, one e-mail.
    """

    agency = models.ForeignKey(Agency, on_delete=models.CASCADE, related_name="+")
    ticket = models.ForeignKey(Ticket, on_delete=models.CASCADE, related_name="agency_updates")
    opened_at = models.DateTimeField(default=timezone.now)
    due_at = models.DateTimeField()
    queued_at = models.DateTimeField(null=True, blank=True)
    email = models.ForeignKey(
        "outbox.Email", null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    events = models.ManyToManyField(TicketEvent, blank=True, related_name="+")
    messages = models.ManyToManyField(TicketMessage, blank=True, related_name="+")

    objects = TenantQuerySet.as_manager()

    class Meta:
        ordering = ["opened_at", "id"]
        indexes = [
            models.Index(
                fields=["due_at"],
                condition=models.Q(queued_at__isnull=True),
                name="agency_update_due",
            )
        ]

    def __str__(self) -> str:
        return f"Agency update on ticket #{self.ticket_id}"
