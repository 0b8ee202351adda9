"""The state rules on delivering loss runs: data that staff maintain, not code.

This app sits just above accounts and below vault (it imports nothing from vault, tracker
or the apps above), so the vault can compute a request's statutory due date when its
dates change without an import cycle.
"""

from django.db import models
from django.utils import timezone

from accounts.models import US_STATES


class StateRule(models.Model):
    """What one state requires of a carrier that receives a valid written request."""

    class DayCount(models.TextChoices):
        CALENDAR = "calendar", "calendar days"
        BUSINESS = "business", "business days"

    class Trigger(models.TextChoices):
        REQUEST = "request", "Any written request"
        CONDITIONAL = "conditional", "Only in the situations listed (e.g. cancellation)"

    class Reserves(models.TextChoices):
        REQUIRED = "required", "Must be shown"
        NOT_REQUIRED = "not_required", "Need not be shown"
        NOT_STATED = "not_stated", "Not stated"

    class Confidence(models.TextChoices):
        VERIFIED = "verified", "Verified against the text"
        UNCERTAIN = "uncertain", "Uncertain: staff to confirm"

    state = models.CharField(max_length=2, choices=US_STATES, unique=True)
    window_days = models.PositiveSmallIntegerField(
        "window (days)", help_text="How many days the carrier has to deliver."
    )
    day_count = models.CharField(
        "counted in", max_length=10, choices=DayCount.choices, default=DayCount.CALENDAR
    )
    trigger = models.CharField(
        "what starts the clock", max_length=12, choices=Trigger.choices, default=Trigger.REQUEST
    )
    trigger_text = models.CharField(
        "what starts the clock (as the statute says)",
        max_length=300,
        help_text="For a conditional rule: the situations, shown to the agency.",
    )
    history_years = models.PositiveSmallIntegerField(
        "years of history covered", null=True, blank=True
    )
    lines = models.CharField("lines covered or excluded", max_length=300, blank=True)
    reserves = models.CharField(
        "reserves", max_length=12, choices=Reserves.choices, default=Reserves.NOT_STATED
    )
    citation = models.CharField(max_length=200)
    regulator = models.CharField(
        "department of insurance",
        max_length=200,
        blank=True,
        help_text="Addressee of the draft complaint.",
    )
    source_note = models.TextField(blank=True)
    confidence = models.CharField(
        max_length=10, choices=Confidence.choices, default=Confidence.UNCERTAIN
    )
    updated_at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["state"]
        constraints = [
            models.CheckConstraint(
                condition=models.Q(window_days__gte=1), name="state_rule_window_positive"
            )
        ]

    def __str__(self) -> str:
        return f"{self.state}: {self.window_days} {self.get_day_count_display()} ({self.citation})"

    @property
    def is_uncertain(self) -> bool:
        return self.confidence == self.Confidence.UNCERTAIN

    @property
    def regulator_name(self) -> str:
        return self.regulator or f"{self.get_state_display()} Department of Insurance"
