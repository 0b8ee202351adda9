"""Deadline notices: one live row per (request, milestone, dates it was computed for).

Life of a row: the sweep creates it when its milestone falls due (`superseded` at once
when a later notice went instead, see tracker.timeline.plan_due) and, in the same
transaction, queues its e-mail in the outbox (`queued`, `email` set); delivery, retries and
errors are the e-mail's. A notice whose e-mail was withdrawn before it went out is
`pending` again until its new moment (agency settings moved it), or `cancelled` when it no
longer applies (received, a date entered or corrected, a Help Desk ticket opened). A row
is never deleted. A cancelled row is history only: when its milestone applies again for
the same dates (a received date cleared, a ticket closed) the sweep creates a new row;
every other status holds the (request, milestone, basis) slot, so a notice is never sent
twice for the same dates, while a corrected date (a new basis) is told again.
"""

from django.conf import settings
from django.db import models
from django.utils import timezone

from accounts.models import Agency
from accounts.tenancy import TenantQuerySet
from vault.models import LossRunRequest


class MilestoneKind(models.TextChoices):
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
        PENDING = "pending", "Due, e-mail not queued yet"
        QUEUED = "queued", "E-mail queued"
        CANCELLED = "cancelled", "Cancelled"
        SUPERSEDED = "superseded", "Superseded (a later notice went instead)"

    agency = models.ForeignKey(Agency, on_delete=models.CASCADE, related_name="+")
    request = models.ForeignKey(
        LossRunRequest, on_delete=models.CASCADE, related_name="notifications"
    )
    milestone = models.CharField(max_length=40, choices=MilestoneKind.choices)
    # The dates the milestone was computed for (tracker.timeline.Milestone.basis).
    basis = models.CharField(max_length=40, blank=True)
    due_at = models.DateTimeField()
    status = models.CharField(max_length=10, choices=Status.choices, default=Status.PENDING)
    created_at = models.DateTimeField(default=timezone.now)
    # Why the notice was cancelled (received, superseded, no recipient, dates changed).
    last_error = models.TextField(blank=True)
    email = models.OneToOneField(
        "outbox.Email",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="tracker_notice",
    )

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
        indexes = [
            models.Index(
                fields=["due_at"], name="notice_to_queue", condition=models.Q(status="pending")
            )
        ]

    def __str__(self) -> str:
        return f"{self.get_milestone_display()} for request {self.request_id}"


class WeeklyDigest(models.Model):
    """One agent's weekly digest: the row is the guarantee it goes out once per week.

    `week_of` is the Monday of the agency's week; the unique (user, week_of) constraint lets
    two beats (or a retried task) race and only one of them create the row and its e-mail.
    """

    agency = models.ForeignKey(Agency, on_delete=models.CASCADE, related_name="+")
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="weekly_digests"
    )
    week_of = models.DateField()
    created_at = models.DateTimeField(default=timezone.now)
    email = models.OneToOneField(
        "outbox.Email", on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    # When this e-mail's unsubscribe link was used: each link works once (tracker.unsubscribe).
    unsubscribed_at = models.DateTimeField(null=True, blank=True)

    objects = TenantQuerySet.as_manager()

    class Meta:
        ordering = ["-week_of", "user_id"]
        constraints = [
            models.UniqueConstraint(fields=["user", "week_of"], name="one_digest_per_agent_week")
        ]

    def __str__(self) -> str:
        return f"Digest for {self.user_id}, week of {self.week_of}"
