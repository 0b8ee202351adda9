"""The agency's vault: carriers, insureds, loss-run requests, their policies and documents."""

from django.conf import settings
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.utils import timezone
from simple_history.models import HistoricalRecords

from accounts.models import US_STATES, Agency
from accounts.tenancy import TenantQuerySet
from config.dates import human_date
from vault import rules


class CarrierQuerySet(models.QuerySet):
    def visible_to(self, agency: Agency) -> "CarrierQuerySet":
        """Platform-wide carriers plus the agency's own private ones."""
        return self.filter(models.Q(agency__isnull=True) | models.Q(agency=agency))


class Carrier(models.Model):
    """A carrier of record. Platform-wide when `agency` is empty, else private to that agency."""

    agency = models.ForeignKey(
        Agency,
        null=True,
        blank=True,
        on_delete=models.CASCADE,
        related_name="private_carriers",
        help_text="Empty for the platform directory; set for an agency's private carrier.",
    )
    legal_name = models.CharField(max_length=200)
    naic_code = models.CharField("NAIC code", max_length=10, blank=True)
    group_name = models.CharField("group", max_length=200, blank=True)
    states = models.CharField(
        max_length=200, blank=True, help_text="Two-letter codes, comma separated."
    )
    loss_run_email = models.EmailField("loss-run department e-mail", blank=True)
    fax = models.CharField(max_length=40, blank=True)
    phone = models.CharField(max_length=40, blank=True)
    mailing_address = models.TextField(blank=True)
    portal_url = models.URLField("loss-run portal", blank=True, max_length=300)
    requirements = models.TextField(
        "what the loss-run department requires",
        blank=True,
        help_text="E.g. its own form, the FEIN, policy numbers only, a subject line.",
    )
    notes = models.TextField(blank=True)
    created_at = models.DateTimeField(default=timezone.now)

    objects = CarrierQuerySet.as_manager()

    class Meta:
        ordering = ["legal_name"]
        indexes = [models.Index(fields=["naic_code"])]

    def __str__(self) -> str:
        return f"{self.legal_name} (NAIC {self.naic_code})" if self.naic_code else self.legal_name

    @property
    def is_private(self) -> bool:
        return self.agency_id is not None


class CarrierAgencyNote(models.Model):
    """One agency's own notes and override addresses for a platform carrier (only it sees them)."""

    agency = models.ForeignKey(Agency, on_delete=models.CASCADE, related_name="carrier_notes")
    carrier = models.ForeignKey(Carrier, on_delete=models.CASCADE, related_name="agency_notes")
    loss_run_email = models.EmailField("our loss-run e-mail for this carrier", blank=True)
    fax = models.CharField("our fax number for this carrier", max_length=40, blank=True)
    notes = models.TextField("our notes", blank=True)
    updated_at = models.DateTimeField(auto_now=True)

    objects = TenantQuerySet.as_manager()

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["agency", "carrier"], name="carrier_note_once")
        ]

    def __str__(self) -> str:
        return f"{self.agency_id} notes on {self.carrier_id}"


class Insured(models.Model):
    agency = models.ForeignKey(Agency, on_delete=models.CASCADE, related_name="insureds")
    legal_name = models.CharField(max_length=200)
    dba = models.CharField("DBA", max_length=200, blank=True)
    mailing_address = models.TextField(blank=True)
    state = models.CharField(max_length=2, choices=US_STATES, blank=True)
    fein = models.CharField("FEIN", max_length=10, blank=True)
    contact_name = models.CharField(max_length=150, blank=True)
    contact_email = models.EmailField(blank=True)
    contact_phone = models.CharField(max_length=40, blank=True)
    signer_name = models.CharField("authorized signer", max_length=150, blank=True)
    signer_title = models.CharField("signer's title", max_length=100, blank=True)
    signer_email = models.EmailField("signer's e-mail", blank=True)
    created_at = models.DateTimeField(default=timezone.now)

    objects = TenantQuerySet.as_manager()

    class Meta:
        ordering = ["legal_name"]
        indexes = [models.Index(fields=["agency", "legal_name"])]

    def __str__(self) -> str:
        return f"{self.legal_name} dba {self.dba}" if self.dba else self.legal_name


# The phases of an open request (received_on empty), as vault.status.status_q spells them,
# so PostgreSQL matches the partial indexes below to the status filters.
OPEN_AWAITING_FIRST = models.Q(received_on__isnull=True) & models.Q(first_request_on__isnull=True)
OPEN_FIRST_PHASE = models.Q(received_on__isnull=True) & models.Q(
    first_request_on__isnull=False, second_request_at__isnull=True
)
OPEN_SECOND_PHASE = models.Q(received_on__isnull=True) & models.Q(
    first_request_on__isnull=False, second_request_at__isnull=False
)


class Authorization(models.TextChoices):
    """Where the insured's signed authorization stands (set by services, never by hand)."""

    DRAFT = "draft", "Not signed yet"
    AWAITING = "awaiting", "Awaiting signature"
    DECLINED = "declined", "Signature declined"
    SIGNED = "signed", "Signed"


class LossRunRequest(models.Model):
    """One request for loss runs from one carrier for one insured.

    Status and next action are derived from the tracking dates (see vault.status). The
    `*_due_at` and `next_due_at` columns are computed by tracker.services whenever the
    dates change, so the vault can filter by status and the sweep can read only due rows.
    """

    agency = models.ForeignKey(Agency, on_delete=models.CASCADE, related_name="requests")
    insured = models.ForeignKey(Insured, on_delete=models.PROTECT, related_name="requests")
    carrier = models.ForeignKey(Carrier, on_delete=models.PROTECT, related_name="requests")
    years_requested = models.PositiveSmallIntegerField(
        default=5, validators=[MinValueValidator(1), MaxValueValidator(20)]
    )
    recipient_name = models.CharField("send report to (name)", max_length=150, blank=True)
    recipient_email = models.EmailField("send report to (e-mail)", blank=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+"
    )
    # Who works the request (its creator unless handed over); see vault.rules.request_agent.
    owner = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
        verbose_name="owner",
    )
    created_at = models.DateTimeField(default=timezone.now)
    updated_at = models.DateTimeField(auto_now=True)
    first_request_on = models.DateField("1st request sent on", null=True, blank=True)
    second_request_at = models.DateTimeField("2nd request sent at", null=True, blank=True)
    received_on = models.DateField("received on", null=True, blank=True)
    notes = models.TextField(blank=True)
    authorization = models.CharField(
        max_length=10, choices=Authorization.choices, default=Authorization.DRAFT, editable=False
    )
    governing_state = models.CharField(
        "governing state",
        max_length=2,
        choices=US_STATES,
        blank=True,
        db_default="",  # rows inserted by SQL (benchmarks, bulk loads) need no value
        help_text="The state whose loss-run statute applies; the insured's state by default.",
    )
    statute_condition_met = models.BooleanField(
        "the statute's condition applies",
        default=False,
        db_default=False,
        help_text="For a state whose rule runs only in some situations (e.g. cancellation).",
    )

    # Derived by vault.derived.request_derived_refresh; never edited by hand.
    statutory_due_on = models.DateField(null=True, blank=True, editable=False)
    turnaround_business_days = models.PositiveIntegerField(null=True, blank=True, editable=False)
    # Derived by tracker.schedule.request_schedule_refresh; never edited by hand.
    first_request_due_at = models.DateTimeField(null=True, blank=True, editable=False)
    second_request_due_at = models.DateTimeField(null=True, blank=True, editable=False)
    helpdesk_due_at = models.DateTimeField(null=True, blank=True, editable=False)
    next_due_at = models.DateTimeField(null=True, blank=True, editable=False, db_index=True)
    # Set by helpdesk.services while a ticket is open: the tracker then sends no deadline
    # notice (the ticket's e-mails take over). A flag here keeps the tracker below helpdesk.
    helpdesk_open = models.BooleanField(default=False, editable=False)
    # Set by helpdesk.services when a ticket is submitted, never unset: the carrier figures'
    # "went to the Help Desk" share is then counted from the requests' own index.
    went_to_helpdesk = models.BooleanField(default=False, db_default=False, editable=False)

    objects = TenantQuerySet.as_manager()
    history = HistoricalRecords(
        excluded_fields=[
            "updated_at",
            "first_request_due_at",
            "second_request_due_at",
            "helpdesk_due_at",
            "next_due_at",
            "statutory_due_on",
            "turnaround_business_days",
            "helpdesk_open",
            "went_to_helpdesk",
        ]
    )

    class Meta:
        ordering = ["-created_at", "-id"]
        indexes = [
            models.Index(fields=["agency", "-created_at", "-id"], name="request_vault_order"),
            models.Index(fields=["agency", "carrier"], name="request_agency_carrier"),
            models.Index(fields=["agency", "owner", "-created_at", "-id"], name="request_by_owner"),
            # Requests by phase (vault.status): the status filters walk these newest first
            # and count them without reading the table (PostgreSQL: helpdesk_open, which
            # every open status checks, is included); Today reads the due ones in due order.
            models.Index(
                fields=["agency", "-created_at", "-id"],
                name="request_received",
                condition=models.Q(received_on__isnull=False),
            ),
            models.Index(
                fields=["agency", "-created_at", "-id", "authorization"],
                name="request_awaiting_first",
                condition=OPEN_AWAITING_FIRST,
                include=["helpdesk_open"],
            ),
            # Today's draft, awaiting and signed sections, most overdue first: one walk in
            # that order that stops after a section's rows (not a sort of every draft).
            models.Index(
                fields=["agency", "first_request_due_at", "created_at", "id"],
                name="request_first_due",
                condition=OPEN_AWAITING_FIRST,
                include=["authorization", "helpdesk_open"],
            ),
            # The trailing due column is checked inside the index, so a status filter that
            # skips many rows (waiting vs. 2nd request due) reads no table rows to do it.
            models.Index(
                fields=["agency", "-created_at", "-id", "second_request_due_at"],
                name="request_first_phase",
                condition=OPEN_FIRST_PHASE,
                include=["helpdesk_open"],
            ),
            models.Index(
                fields=["agency", "-created_at", "-id", "helpdesk_due_at"],
                name="request_second_phase",
                condition=OPEN_SECOND_PHASE,
                include=["helpdesk_open"],
            ),
            models.Index(
                fields=["agency", "second_request_due_at"],
                name="request_second_due",
                condition=OPEN_FIRST_PHASE,
                include=["helpdesk_open"],
            ),
            models.Index(
                fields=["agency", "helpdesk_due_at"],
                name="request_helpdesk_due",
                condition=OPEN_SECOND_PHASE,
                include=["helpdesk_open"],
            ),
            # "With the Help Desk": counted on Today and in the vault, listed by last change.
            models.Index(
                fields=["agency", "-updated_at", "id"],
                name="request_with_helpdesk",
                condition=models.Q(received_on__isnull=True, helpdesk_open=True),
            ),
            # "Past the statutory deadline" and the kit: open requests by their due date.
            models.Index(
                fields=["agency", "statutory_due_on"],
                name="request_statutory_due",
                condition=models.Q(received_on__isnull=True, statutory_due_on__isnull=False),
            ),
            # The carrier figures read only sent requests, per carrier, from the index alone
            # (PostgreSQL: the included columns make it covering).
            models.Index(
                fields=["carrier", "turnaround_business_days"],
                name="request_carrier_turnaround",
                condition=models.Q(first_request_on__isnull=False),
                include=["id", "agency", "second_request_at", "went_to_helpdesk"],
            ),
        ]

    def __str__(self) -> str:
        return f"{self.insured} / {self.carrier}"


class Policy(models.Model):
    class Line(models.TextChoices):
        GL = "GL", "General liability"
        PROPERTY = "PROP", "Property"
        AUTO = "AUTO", "Commercial auto"
        WC = "WC", "Workers compensation"
        UMBRELLA = "UMB", "Umbrella / excess"
        BOP = "BOP", "Businessowners"
        PROF = "PROF", "Professional liability"
        OTHER = "OTHER", "Other"

    agency = models.ForeignKey(Agency, on_delete=models.CASCADE, related_name="+")
    request = models.ForeignKey(LossRunRequest, on_delete=models.CASCADE, related_name="policies")
    policy_number = models.CharField(max_length=60)
    line_of_business = models.CharField(max_length=8, choices=Line.choices, default=Line.GL)
    term_start = models.DateField()
    term_end = models.DateField()

    objects = TenantQuerySet.as_manager()

    class Meta:
        ordering = ["term_start", "policy_number"]
        verbose_name_plural = "policies"
        indexes = [models.Index(fields=["agency", "policy_number"])]
        constraints = [
            models.CheckConstraint(
                condition=rules.TERM_ENDS_AFTER_START, name="policy_term_ends_after_start"
            )
        ]

    def __str__(self) -> str:
        return f"{self.policy_number} ({human_date(self.term_start)}–{human_date(self.term_end)})"


class Document(models.Model):
    class Kind(models.TextChoices):
        AUTH_UNSIGNED = "auth_unsigned", "Authorization letter (unsigned)"
        AUTH_SIGNED = "auth_signed", "Authorization letter (signed)"
        FIRST_REQUEST = "first_request", "1st-request letter"
        SECOND_REQUEST = "second_request", "Second-request letter"
        PROOF_DEC_PAGE = "proof_dec", "Proof of carrier: declarations page"
        PROOF_BILL = "proof_bill", "Proof of carrier: bill"
        PROOF_PRIOR_LOSS_RUNS = "proof_prior", "Proof of carrier: prior-year loss runs"
        LOSS_RUN = "loss_run", "Loss run"
        NO_PRIOR_COVERAGE = "no_prior", "No-prior-coverage attestation"
        OTHER = "other", "Other"

    PROOF_OF_CARRIER_KINDS = (Kind.PROOF_DEC_PAGE, Kind.PROOF_BILL, Kind.PROOF_PRIOR_LOSS_RUNS)

    agency = models.ForeignKey(Agency, on_delete=models.CASCADE, related_name="documents")
    request = models.ForeignKey(
        LossRunRequest, null=True, blank=True, on_delete=models.CASCADE, related_name="documents"
    )
    insured = models.ForeignKey(
        Insured, null=True, blank=True, on_delete=models.CASCADE, related_name="documents"
    )
    kind = models.CharField(max_length=20, choices=Kind.choices)
    file = models.FileField(upload_to="agency/%Y/%m/", max_length=300)
    original_name = models.CharField(max_length=200)
    content_type = models.CharField(max_length=100)
    size = models.PositiveBigIntegerField()
    sha256 = models.CharField(max_length=64)
    uploaded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+"
    )
    uploaded_at = models.DateTimeField(default=timezone.now)

    objects = TenantQuerySet.as_manager()

    class Meta:
        ordering = ["-uploaded_at", "-id"]

    def __str__(self) -> str:
        return f"{self.get_kind_display()}: {self.original_name}"
