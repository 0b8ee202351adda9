"""Deadline notices: one live row per (request, milestone, dates it was computed for).

Life of a row: the sweep creates it `pending` (or `superseded` when a later notice went
instead, see tracker.timeline.plan_due) and enqueues its delivery on commit; a worker
claims it with a conditional update (`sending`, attempts + 1), then marks it `sent`,
`failed` (kept with its error and retried with backoff) or `cancelled` (the request was
received, a Help Desk ticket opened, or the milestone no longer applies). A row is never
deleted. A cancelled row is history only: when its milestone applies again for the same
dates (a received date cleared, a ticket closed) the sweep creates a new row; every other
status holds the (request, milestone, basis) slot, so a notice is never sent twice for the
same dates, while a corrected date (a new basis) is told again.
"""

from django.db import models
from django.utils import timezone

from accounts.models import Agency
from accounts.tenancy import TenantQuerySet
from vault.models import LossRunRequest


class Milestone(models.TextChoices):
    FIRST_REQUEST_REMINDER_DAY2 = (
        "first_request_reminder_day2",
        "Reminder: enter the 1st request date (day 2)",
    )
    FIRST_REQUEST_REMINDER_DAY5 = (
        "first_request_reminder_day5",
        "Reminder: enter the 1st request date (day 5)",
    )
    SECOND_REQUEST_DUE = "second_request_due", "Second request due"
    SECOND_REQUEST_REMINDER = "second_request_reminder", "Reminder: second request still due"
    HELPDESK_DUE = "helpdesk_due", "Hand over to the Help Desk"


class Notification(models.Model):
    class Status(models.TextChoices):
        PENDING = "pending", "Pending"
        SENDING = "sending", "Sending"
        SENT = "sent", "Sent"
        FAILED = "failed", "Failed (will retry)"
        CANCELLED = "cancelled", "Cancelled"
        SUPERSEDED = "superseded", "Superseded (a later notice went instead)"

    agency = models.ForeignKey(Agency, on_delete=models.CASCADE, related_name="+")
    request = models.ForeignKey(
        LossRunRequest, on_delete=models.CASCADE, related_name="notifications"
    )
    milestone = models.CharField(max_length=40, choices=Milestone.choices)
    # The dates the milestone was computed for (tracker.timeline.Milestone.basis).
    basis = models.CharField(max_length=40, blank=True)
    due_at = models.DateTimeField()
    status = models.CharField(max_length=10, choices=Status.choices, default=Status.PENDING)
    created_at = models.DateTimeField(default=timezone.now)
    claimed_at = models.DateTimeField(null=True, blank=True)
    # When the sweep should (re)enqueue this notice if it is still not sent: the grace
    # after creation, the claim timeout while sending, the backoff after a failure.
    # Empty once sent or cancelled, so the sweep's queue query reads only live rows.
    next_attempt_at = models.DateTimeField(null=True, blank=True)
    sent_at = models.DateTimeField(null=True, blank=True)
    attempts = models.PositiveSmallIntegerField(default=0)
    last_error = models.TextField(blank=True)
    recipients = models.TextField(blank=True)

    objects = TenantQuerySet.as_manager()

    class Meta:
        ordering = ["due_at", "id"]
        constraints = [
            models.UniqueConstraint(
                fields=["request", "milestone", "basis"],
                condition=~models.Q(status="cancelled"),
                name="one_notice_per_milestone_dates",
            )
        ]
        indexes = [models.Index(fields=["next_attempt_at"], name="notice_delivery_queue")]

    def __str__(self) -> str:
        return f"{self.get_milestone_display()} for request {self.request_id}"
