"""The tenant (Agency) and the people who use the product."""

import datetime as dt
import zoneinfo

from django.conf import settings
from django.contrib.auth.models import AbstractBaseUser, BaseUserManager, PermissionsMixin
from django.core.exceptions import ValidationError
from django.db import models
from django.db.models.functions import Lower
from django.utils import timezone
from django.utils.crypto import salted_hmac

from accounts.tenancy import TenantQuerySet

US_STATES = [
    ("AL", "Alabama"), ("AK", "Alaska"), ("AZ", "Arizona"), ("AR", "Arkansas"),
    ("CA", "California"), ("CO", "Colorado"), ("CT", "Connecticut"), ("DE", "Delaware"),
    ("DC", "District of Columbia"), ("FL", "Florida"), ("GA", "Georgia"), ("HI", "Hawaii"),
    ("ID", "Idaho"), ("IL", "Illinois"), ("IN", "Indiana"), ("IA", "Iowa"), ("KS", "Kansas"),
    ("KY", "Kentucky"), ("LA", "Louisiana"), ("ME", "Maine"), ("MD", "Maryland"),
    ("MA", "Massachusetts"), ("MI", "Michigan"), ("MN", "Minnesota"), ("MS", "Mississippi"),
    ("MO", "Missouri"), ("MT", "Montana"), ("NE", "Nebraska"), ("NV", "Nevada"),
    ("NH", "New Hampshire"), ("NJ", "New Jersey"), ("NM", "New Mexico"), ("NY", "New York"),
    ("NC", "North Carolina"), ("ND", "North Dakota"), ("OH", "Ohio"), ("OK", "Oklahoma"),
    ("OR", "Oregon"), ("PA", "Pennsylvania"), ("RI", "Rhode Island"), ("SC", "South Carolina"),
    ("SD", "South Dakota"), ("TN", "Tennessee"), ("TX", "Texas"), ("UT", "Utah"),
    ("VT", "Vermont"), ("VA", "Virginia"), ("WA", "Washington"), ("WV", "West Virginia"),
    ("WI", "Wisconsin"), ("WY", "Wyoming"),
]  # fmt: skip

US_TIME_ZONES = [
    ("America/New_York", "Eastern"),
    ("America/Chicago", "Central"),
    ("America/Denver", "Mountain"),
    ("America/Phoenix", "Arizona"),
    ("America/Los_Angeles", "Pacific"),
    ("America/Anchorage", "Alaska"),
    ("Pacific/Honolulu", "Hawaii"),
]


class Agency(models.Model):
    """A member agency: the tenant. Every agency-owned row points here."""

    class HolidayCalendar(models.TextChoices):
        FEDERAL = "federal", "US federal holidays"
        FEDERAL_AND_STATE = "federal_state", "US federal + my state's holidays"

    class ValuationRule(models.IntegerChoices):
        DAYS_90 = 90, "90 days"
        DAYS_60 = 60, "60 days"

    name = models.CharField(max_length=200)
    slug = models.SlugField(max_length=80, unique=True)
    state = models.CharField(max_length=2, choices=US_STATES, blank=True)
    address = models.TextField(blank=True, help_text="Printed on letterhead.")
    phone = models.CharField(max_length=40, blank=True)
    email = models.EmailField(blank=True)
    time_zone = models.CharField(max_length=64, choices=US_TIME_ZONES, default="America/New_York")
    holiday_calendar = models.CharField(
        max_length=20, choices=HolidayCalendar.choices, default=HolidayCalendar.FEDERAL
    )
    notify_time = models.TimeField(default=dt.time(8, 0), help_text="Local time notices go out.")
    # No deadline notice goes out outside these hours (local); see tracker.timeline.
    work_opens = models.TimeField("working hours from", default=dt.time(8, 0))
    work_closes = models.TimeField("working hours until", default=dt.time(18, 0))
    copy_addresses = models.TextField(
        blank=True, help_text="Extra addresses copied on every deadline e-mail, one per line."
    )
    valuation_max_age_days = models.PositiveSmallIntegerField(
        choices=ValuationRule.choices, default=ValuationRule.DAYS_90
    )
    large_loss_threshold_pct = models.PositiveSmallIntegerField(
        default=25, help_text="A claim is a large loss at or above this % of its term's premium."
    )
    created_at = models.DateTimeField(default=timezone.now)
    # Set the first time the owner saves the settings page: the first-run checklist's
    # "check your calendar" step (time zone, holidays, hours) is done.
    calendar_confirmed_at = models.DateTimeField(null=True, blank=True, editable=False)

    class Meta:
        verbose_name_plural = "agencies"
        ordering = ["name"]

    def __str__(self) -> str:
        return self.name

    def clean(self) -> None:
        """Working hours run forward, and notices go out inside them (tracker.timeline)."""
        errors = {}
        if self.work_opens >= self.work_closes:
            errors["work_closes"] = "Working hours must end after they start."
        elif not self.work_opens <= self.notify_time < self.work_closes:
            errors["notify_time"] = (
                "Choose a time within your working hours "
                f"({self.work_opens:%H:%M} to {self.work_closes:%H:%M})."
            )
        if errors:
            raise ValidationError(errors)

    @property
    def tz(self) -> zoneinfo.ZoneInfo:
        return zoneinfo.ZoneInfo(self.time_zone)

    @property
    def calendar_state(self) -> str | None:
        """The state whose holidays join the federal ones, or None for federal only."""
        if self.holiday_calendar == self.HolidayCalendar.FEDERAL_AND_STATE and self.state:
            return self.state
        return None

    @property
    def copy_address_list(self) -> list[str]:
        return [line.strip() for line in self.copy_addresses.splitlines() if line.strip()]


class AgencyClosedDay(models.Model):
    """A day the agency's office is closed, on top of weekends and public holidays."""

    agency = models.ForeignKey(Agency, on_delete=models.CASCADE, related_name="closed_days")
    date = models.DateField()
    reason = models.CharField(max_length=120, blank=True)

    objects = TenantQuerySet.as_manager()

    class Meta:
        ordering = ["date"]
        constraints = [
            models.UniqueConstraint(fields=["agency", "date"], name="unique_closed_day_per_agency")
        ]

    def __str__(self) -> str:
        return f"{self.date} {self.reason}".strip()


def canonical_email(value: str) -> str:
    """The one spelling of an e-mail address that accounts are stored and found under."""
    return value.strip().lower()


class UserManager(BaseUserManager.from_queryset(TenantQuerySet)):
    use_in_migrations = True

    def create_user(self, email: str, password: str | None = None, **extra):
        if not email:
            raise ValueError("An e-mail address is required.")
        user = self.model(email=canonical_email(email), **extra)
        user.set_password(password)
        user.save(using=self._db)
        return user

    def create_superuser(self, email: str, password: str | None = None, **extra):
        extra.setdefault("is_staff", True)
        extra.setdefault("is_superuser", True)
        return self.create_user(email, password, **extra)

    def get_by_natural_key(self, username: str):
        return self.get(email__iexact=canonical_email(username))


class User(AbstractBaseUser, PermissionsMixin):
    """Signs in with an e-mail address. Agency users have an agency; platform staff have none."""

    class Role(models.TextChoices):
        OWNER = "owner", "Owner"
        MEMBER = "member", "Member"

    email = models.EmailField(unique=True)
    full_name = models.CharField(max_length=150, blank=True)
    agency = models.ForeignKey(
        Agency, null=True, blank=True, on_delete=models.PROTECT, related_name="users"
    )
    role = models.CharField(max_length=10, choices=Role.choices, default=Role.MEMBER)
    weekly_digest = models.BooleanField(
        "weekly digest e-mail",
        default=True,
        help_text="A Monday e-mail of what is overdue, due this week and arrived.",
    )
    digest_unsubscribed_at = models.DateTimeField(
        null=True,
        blank=True,
        editable=False,
        help_text="When the digest was turned off with its e-mail's unsubscribe link "
        "(cleared when turned back on); the Team page says so.",
    )
    is_active = models.BooleanField(default=True)
    is_staff = models.BooleanField(default=False)
    date_joined = models.DateTimeField(default=timezone.now)
    session_generation = models.PositiveIntegerField(
        default=0,
        editable=False,
        help_text="Raised to end every session of this person (removed, role changed).",
    )

    objects = UserManager()

    USERNAME_FIELD = "email"
    EMAIL_FIELD = "email"
    REQUIRED_FIELDS: list[str] = []

    class Meta:
        ordering = ["email"]
        constraints = [models.UniqueConstraint(Lower("email"), name="unique_user_email_ci")]

    def __str__(self) -> str:
        return self.full_name or self.email

    def get_full_name(self) -> str:
        return self.full_name or self.email

    def get_short_name(self) -> str:
        return self.full_name.split(" ")[0] if self.full_name else self.email

    def _get_session_auth_hash(self, secret=None) -> str:
        """Django's session hash (HMAC of the password) with the session generation mixed in.

        Sessions carry this hash; raising the generation makes every existing session fail
        verification, so a removed member stays signed out even after being restored. At
        generation 0 it is Django's own hash, so sessions from before this field survive.
        """
        if not self.session_generation:
            return super()._get_session_auth_hash(secret=secret)
        return salted_hmac(
            "accounts.User.session_auth_hash",
            f"{self.password}:{self.session_generation}",
            secret=secret,
            algorithm="sha256",
        ).hexdigest()

    @property
    def is_agency_owner(self) -> bool:
        return self.agency_id is not None and self.role == self.Role.OWNER


class Invitation(models.Model):
    """An owner's invitation of a colleague; accepted through a signed, expiring link."""

    agency = models.ForeignKey(Agency, on_delete=models.CASCADE, related_name="invitations")
    email = models.EmailField()
    role = models.CharField(max_length=10, choices=User.Role.choices, default=User.Role.MEMBER)
    invited_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="+"
    )
    created_at = models.DateTimeField(default=timezone.now)
    accepted_at = models.DateTimeField(null=True, blank=True)
    revoked_at = models.DateTimeField(null=True, blank=True)

    objects = TenantQuerySet.as_manager()

    class Meta:
        ordering = ["-created_at"]

    def __str__(self) -> str:
        return f"{self.email} → {self.agency}"

    @property
    def is_open(self) -> bool:
        return self.accepted_at is None and self.revoked_at is None
