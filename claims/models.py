"""Claims data: loss-run reports, the policy terms they cover, and the claims in each term.

A report is one carrier's loss run for one insured as of a valuation date. Each report
has terms (policy number + period + subject premium); each term has claims. The same
claim seen in two reports (two valuations) shares `claim_key` (its normalised claim
number) and carrier, which is how reserve movement between valuations is found.

Money is Decimal to the cent. Paid is net: indemnity + medical + expense - recoveries;
total incurred = paid + reserves (claims/rules.py, and a CheckConstraint below).
"""

from decimal import Decimal

from django.conf import settings
from django.db import models
from django.utils import timezone

from accounts.models import Agency
from accounts.tenancy import TenantQuerySet
from claims import rules
from config.dates import human_date
from vault import rules as vault_rules
from vault.models import Carrier, Document, Insured, Policy

MONEY = {"max_digits": 14, "decimal_places": 2}


class LossRunReport(models.Model):
    agency = models.ForeignKey(Agency, on_delete=models.CASCADE, related_name="+")
    insured = models.ForeignKey(Insured, on_delete=models.CASCADE, related_name="loss_run_reports")
    carrier = models.ForeignKey(Carrier, on_delete=models.PROTECT, related_name="+")
    document = models.ForeignKey(
        Document, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    valuation_date = models.DateField(help_text="The as-of date the carrier ran the report.")
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    created_at = models.DateTimeField(default=timezone.now)

    objects = TenantQuerySet.as_manager()

    class Meta:
        ordering = ["-valuation_date", "-id"]
        indexes = [
            models.Index(
                fields=["agency", "insured", "-valuation_date"], name="report_insured_newest"
            )
        ]

    def __str__(self) -> str:
        return f"{self.carrier} valued {human_date(self.valuation_date)}"


class ReportTerm(models.Model):
    """A policy term covered by a report, or a no-prior-coverage attestation standing in for one."""

    Line = Policy.Line

    agency = models.ForeignKey(Agency, on_delete=models.CASCADE, related_name="+")
    insured = models.ForeignKey(Insured, on_delete=models.CASCADE, related_name="+")
    report = models.ForeignKey(
        LossRunReport, null=True, blank=True, on_delete=models.CASCADE, related_name="terms"
    )
    policy_number = models.CharField(max_length=60, blank=True)
    term_start = models.DateField()
    term_end = models.DateField()
    line = models.CharField(max_length=8, choices=Policy.Line.choices, default=Policy.Line.GL)
    subject_premium = models.DecimalField(
        **MONEY, null=True, blank=True, help_text="Earned premium of the term; empty if unknown."
    )
    no_prior_coverage = models.BooleanField(default=False)
    attestation = models.ForeignKey(
        Document, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )

    objects = TenantQuerySet.as_manager()

    class Meta:
        ordering = ["term_start", "policy_number", "id"]
        indexes = [
            models.Index(fields=["agency", "insured", "term_start"], name="term_insured_start")
        ]
        constraints = [
            models.CheckConstraint(
                condition=vault_rules.TERM_ENDS_AFTER_START, name="report_term_ends_after_start"
            )
        ]

    def __str__(self) -> str:
        if self.no_prior_coverage:
            return f"No prior coverage {self.label}"
        return f"{self.policy_number} {self.label}"

    @property
    def label(self) -> str:
        """The policy year as underwriters write it: 2023-24."""
        return f"{self.term_start.year}-{str(self.term_end.year)[-2:]}"


class Claim(models.Model):
    class Status(models.TextChoices):
        OPEN = "open", "Open"
        CLOSED = "closed", "Closed"
        REOPENED = "reopened", "Reopened"
        DENIED = "denied", "Denied"
        SUBROGATED = "subrogated", "Subrogated"

    OPEN_STATUSES = (Status.OPEN, Status.REOPENED)

    # Single-column indexes only where no composite index below starts with the column:
    # every index costs time on a 100,000-row import.
    agency = models.ForeignKey(Agency, on_delete=models.CASCADE, related_name="+", db_index=False)
    # insured, report and carrier repeat the term's so summaries filter without joins.
    insured = models.ForeignKey(Insured, on_delete=models.CASCADE, related_name="+", db_index=False)
    report = models.ForeignKey(
        LossRunReport, on_delete=models.CASCADE, related_name="claims", db_index=False
    )
    term = models.ForeignKey(ReportTerm, on_delete=models.CASCADE, related_name="claims")
    carrier = models.ForeignKey(Carrier, on_delete=models.PROTECT, related_name="+", db_index=False)
    claim_number = models.CharField(max_length=60)
    claim_key = models.CharField(
        max_length=60, editable=False, help_text="Claim number without case, spaces or punctuation."
    )
    date_of_loss = models.DateField()
    date_reported = models.DateField(null=True, blank=True)
    report_lag_days = models.IntegerField(
        null=True,
        blank=True,
        editable=False,
        help_text="Date reported minus date of loss, in days.",
    )
    cause_of_loss = models.CharField(max_length=120, blank=True)
    claimant = models.CharField(max_length=150, blank=True)
    description = models.TextField(blank=True)
    status = models.CharField(max_length=12, choices=Status.choices)
    paid_indemnity = models.DecimalField(**MONEY, default=0)
    paid_medical = models.DecimalField(**MONEY, default=0)
    paid_expense = models.DecimalField(**MONEY, default=0)
    recoveries = models.DecimalField(**MONEY, default=0)
    reserves = models.DecimalField(**MONEY, default=0)
    total_incurred = models.DecimalField(**MONEY, default=0)
    prior_reserves = models.DecimalField(
        **MONEY,
        null=True,
        blank=True,
        editable=False,
        help_text="On the claims of a carrier's newest report only: the same claim's reserves in"
        " the carrier's previous report (claims.services.movement_refresh keeps it current).",
    )

    objects = TenantQuerySet.as_manager()

    class Meta:
        ordering = ["date_of_loss", "claim_number", "id"]
        indexes = [
            models.Index(fields=["report", "claim_key"], name="claim_report_key"),
            models.Index(fields=["agency", "term", "status"], name="claim_term_status"),
            models.Index(
                fields=["agency", "insured", "carrier", "claim_key"], name="claim_identity"
            ),
        ]
        constraints = [
            models.CheckConstraint(
                condition=rules.INCURRED_IS_PAID_PLUS_RESERVES,
                name="claim_incurred_is_paid_plus_reserves",
            ),
            models.CheckConstraint(
                condition=rules.NO_RESERVES_WHEN_CLOSED, name="claim_closed_carries_no_reserves"
            ),
        ]

    def __str__(self) -> str:
        return self.claim_number

    @property
    def paid(self) -> Decimal:
        return rules.paid(
            indemnity=self.paid_indemnity,
            medical=self.paid_medical,
            expense=self.paid_expense,
            recoveries=self.recoveries,
        )

    @property
    def is_open(self) -> bool:
        return self.status in self.OPEN_STATUSES


class CarrierHeaderMapping(models.Model):
    """How this agency's files from this carrier name their columns, remembered for next time.

    `mapping` is {normalised header text: field name} (field "" means "ignore the column").
    """

    agency = models.ForeignKey(Agency, on_delete=models.CASCADE, related_name="+")
    carrier = models.ForeignKey(Carrier, on_delete=models.CASCADE, related_name="+")
    mapping = models.JSONField(default=dict)
    updated_at = models.DateTimeField(default=timezone.now)

    objects = TenantQuerySet.as_manager()

    class Meta:
        constraints = [
            models.UniqueConstraint(
                fields=["agency", "carrier"], name="one_header_mapping_per_carrier"
            )
        ]

    def __str__(self) -> str:
        return f"Header mapping for {self.carrier}"


class ImportJob(models.Model):
    """One upload on its way from a file to claims: mapping, preview, then commit."""

    class Status(models.TextChoices):
        MAPPING = "mapping", "Waiting for the column mapping"
        VALIDATING = "validating", "Checking rows"
        PREVIEW = "preview", "Ready to review"
        IMPORTING = "importing", "Importing"
        DONE = "done", "Imported"
        FAILED = "failed", "Failed"

    RUNNING = (Status.VALIDATING, Status.IMPORTING)

    agency = models.ForeignKey(Agency, on_delete=models.CASCADE, related_name="+")
    insured = models.ForeignKey(Insured, on_delete=models.CASCADE, related_name="+")
    carrier = models.ForeignKey(Carrier, on_delete=models.PROTECT, related_name="+")
    document = models.ForeignKey(Document, on_delete=models.CASCADE, related_name="+")
    valuation_date = models.DateField()
    defaults = models.JSONField(
        default=dict, blank=True, help_text="Term values for files without term columns."
    )
    status = models.CharField(max_length=12, choices=Status.choices, default=Status.MAPPING)
    header_row = models.PositiveIntegerField(default=1)
    headers = models.JSONField(default=list, blank=True)
    mapping = models.JSONField(
        default=list, blank=True, help_text="Field per column, '' to ignore."
    )
    progress = models.PositiveIntegerField(default=0)
    total_rows = models.PositiveIntegerField(default=0)
    errors = models.JSONField(default=list, blank=True)
    error_count = models.PositiveIntegerField(default=0)
    bad_rows = models.PositiveIntegerField(default=0)
    preview = models.JSONField(default=list, blank=True)
    drop_bad_rows = models.BooleanField(default=False)
    message = models.TextField(blank=True)
    report = models.ForeignKey(
        LossRunReport, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    imported_count = models.PositiveIntegerField(default=0)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    created_at = models.DateTimeField(default=timezone.now)
    finished_at = models.DateTimeField(null=True, blank=True)

    objects = TenantQuerySet.as_manager()

    class Meta:
        ordering = ["-created_at", "-id"]

    def __str__(self) -> str:
        return f"Import {self.pk} ({self.get_status_display()})"

    @property
    def is_running(self) -> bool:
        return self.status in self.RUNNING

    @property
    def percent(self) -> int:
        if not self.total_rows:
            return 0
        return min(100, round(100 * self.progress / self.total_rows))
