"""Writes of accounts: sign-up, invitations, membership and the agency's settings."""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.conf import settings
from django.contrib.auth import password_validation
from django.core import signing
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import IntegrityError, transaction
from django.urls import reverse
from django.utils import timezone
from django.utils.crypto import get_random_string
from django.utils.text import slugify

from accounts import emails
from accounts.models import Agency, AgencyClosedDay, Invitation, User
from accounts.tenancy import scoped

INVITATION_SALT = "accounts.invitation"

# Changing any of these moves business days or notice times, so open requests are rescheduled.
SETTINGS_FIELDS = (
    "name",
    "address",
    "phone",
    "email",
    "state",
    "time_zone",
    "holiday_calendar",
    "notify_time",
    "work_opens",
    "work_closes",
    "copy_addresses",
    "valuation_max_age_days",
    "large_loss_threshold_pct",
)


class InvitationInvalid(Exception):
    """An invitation link that cannot be used; `str(exc)` is the message for the visitor."""

    def __init__(
        self, message: str, *, invitation: Invitation | None = None, status: int = 410
    ) -> None:
        super().__init__(message)
        self.invitation = invitation
        self.status = status


def email_taken(email: str) -> bool:
    return User.objects.filter(email__iexact=email.strip()).exists()  # tenancy: e-mail is global


def _unique_slug(name: str) -> str:
    base = slugify(name)[:70].strip("-") or "agency"
    taken = set(Agency.objects.filter(slug__startswith=base).values_list("slug", flat=True))
    if base not in taken:
        return base
    n = 2
    while f"{base}-{n}" in taken:
        n += 1
    return f"{base}-{n}"


def _create_agency(*, name: str, **fields: Any) -> Agency:
    """A new agency with a unique slug; a slug taken meanwhile gets a random suffix."""
    slug = _unique_slug(name)
    for _ in range(5):
        try:
            with transaction.atomic():
                return Agency.objects.create(name=name, slug=slug, **fields)
        except IntegrityError:
            slug = f"{_unique_slug(name)[:60]}-{get_random_string(6).lower()}"
    raise RuntimeError("Could not find a free agency slug.")


def _check_new_user(*, email: str, full_name: str, password: str) -> None:
    if email_taken(email):
        raise ValidationError({"email": "An account with this e-mail address already exists."})
    try:
        password_validation.validate_password(password, User(email=email, full_name=full_name))
    except ValidationError as exc:
        raise ValidationError({"password1": exc.messages}) from exc


def _create_user(*, email: str, password: str, **fields: Any) -> User:
    try:
        with transaction.atomic():
            return User.objects.create_user(email=email, password=password, **fields)
    except IntegrityError as exc:  # two submissions racing for one address
        raise ValidationError(
            {"email": "An account with this e-mail address already exists."}
        ) from exc


@transaction.atomic
def agency_signup(
    *,
    agency_name: str,
    full_name: str,
    email: str,
    password: str,
    state: str,
    time_zone: str,
    address: str = "",
    phone: str = "",
) -> User:
    """Create a new agency and its owner. Raises ValidationError keyed by form field.

    `address` and `phone` are the letterhead's; left empty, Today's first-run checklist
    asks for them."""
    email = email.strip().lower()
    _check_new_user(email=email, full_name=full_name, password=password)
    agency = _create_agency(
        name=agency_name.strip(),
        state=state,
        time_zone=time_zone,
        email=email,
        address=address.strip(),
        phone=phone.strip(),
    )
    return _create_user(
        email=email,
        password=password,
        full_name=full_name.strip(),
        agency=agency,
        role=User.Role.OWNER,
    )


# Invitations -------------------------------------------------------------------------------


def invitation_token(invitation: Invitation) -> str:
    return signing.TimestampSigner(salt=INVITATION_SALT).sign(str(invitation.pk))


def invitation_accept_url(invitation: Invitation) -> str:
    path = reverse("accounts:invitation_accept", kwargs={"token": invitation_token(invitation)})
    return f"{settings.SITE_URL}{path}"


def invitation_expires_at(invitation: Invitation) -> dt.datetime:
    return invitation.created_at + dt.timedelta(seconds=settings.INVITATION_MAX_AGE)


def invitation_from_token(token: str) -> Invitation:
    """The open invitation a link stands for, or InvitationInvalid with the reason.

    The signed token is the visitor's only credential (they have no agency yet), so this is
    the one lookup of an invitation that is not scoped to a signed-in user's agency.
    """
    signer = signing.TimestampSigner(salt=INVITATION_SALT)
    try:
        pk = signer.unsign(token, max_age=dt.timedelta(seconds=settings.INVITATION_MAX_AGE))
    except signing.SignatureExpired as exc:
        raise InvitationInvalid(
            "This invitation has expired. Ask the person who invited you to send a new one."
        ) from exc
    except signing.BadSignature as exc:
        raise InvitationInvalid(
            "This invitation link is not valid. Check that you copied the whole link, "
            "or ask for a new invitation.",
            status=400,
        ) from exc
    # tenancy: the signed token names the invitation; nobody is signed in yet.
    found = Invitation.objects.select_related("agency", "invited_by")  # tenancy: see above
    invitation = found.filter(pk=pk).first()
    if invitation is None:
        raise InvitationInvalid("This invitation no longer exists. Ask for a new one.")
    if invitation.revoked_at is not None:
        raise InvitationInvalid(
            "This invitation was withdrawn by the agency. Ask them for a new one if needed.",
            invitation=invitation,
        )
    if invitation.accepted_at is not None:
        raise InvitationInvalid(
            "This invitation was already used. Sign in with the e-mail address it was sent to.",
            invitation=invitation,
        )
    if email_taken(invitation.email):
        raise InvitationInvalid(
            f"An account for {invitation.email} already exists. Sign in instead.",
            invitation=invitation,
        )
    return invitation


@transaction.atomic
def invitation_create(
    *, agency: Agency, invited_by: User, email: str, role: str = User.Role.MEMBER
) -> Invitation:
    """Invite a colleague by e-mail. An earlier open invitation to the same address is replaced.

    An address with an account in another agency (or a staff account) is invited like any
    other, so the form does not tell who has an account; its owner gets an e-mail saying the
    address already has one, without a link to accept.
    """
    if invited_by.agency_id != agency.pk or not invited_by.is_agency_owner:
        raise PermissionDenied("Only the agency's owner can invite colleagues.")
    if role not in User.Role.values:
        raise ValidationError({"role": "Choose a role: member or owner."})
    email = email.strip().lower()
    existing = User.objects.filter(email__iexact=email).first()  # tenancy: e-mail is global
    if existing is not None and existing.agency_id == agency.pk:
        # The owner sees their own team on the Team page; saying so reveals nothing new.
        if not existing.is_active:
            message = (
                f"{email} was removed from your agency. Restore them from the Team page instead."
            )
        else:
            message = f"{email} is already a member of your agency."
        raise ValidationError({"email": message})
    now = timezone.now()
    scoped(Invitation, agency).filter(
        email__iexact=email, accepted_at__isnull=True, revoked_at__isnull=True
    ).update(revoked_at=now)
    invitation = Invitation.objects.create(
        agency=agency, email=email, role=role, invited_by=invited_by, created_at=now
    )
    if existing is None:
        emails.queue_invitation(
            invitation=invitation,
            accept_url=invitation_accept_url(invitation),
            expires_at=invitation_expires_at(invitation),
        )
    else:
        # An account elsewhere: the inviter is answered as for anyone (no enumeration)
        # and the address's owner is told why there is nothing to accept.
        emails.queue_invitation_to_existing_account(
            invitation=invitation, sign_in_url=f"{settings.SITE_URL}{reverse('login')}"
        )
    return invitation


@transaction.atomic
def invitation_accept(*, invitation: Invitation, full_name: str, password: str) -> User:
    """Turn an open invitation into a member of its agency. Raises ValidationError by field."""
    locked = scoped(Invitation.objects.select_for_update(), invitation.agency).get(pk=invitation.pk)
    if not locked.is_open:
        raise InvitationInvalid("This invitation was already used or withdrawn.")
    _check_new_user(email=locked.email, full_name=full_name, password=password)
    user = _create_user(
        email=locked.email,
        password=password,
        full_name=full_name.strip(),
        agency=invitation.agency,
        role=locked.role,
    )
    locked.accepted_at = timezone.now()
    locked.save(update_fields=["accepted_at"])
    return user


@transaction.atomic
def invitation_revoke(*, agency: Agency, invitation: Invitation) -> Invitation:
    if invitation.agency_id != agency.pk:
        raise ValueError("Invitation of another agency.")
    if invitation.accepted_at is not None:
        raise ValidationError("This invitation was already accepted; remove the member instead.")
    if invitation.revoked_at is None:
        invitation.revoked_at = timezone.now()
        invitation.save(update_fields=["revoked_at"])
    return invitation


# Members -----------------------------------------------------------------------------------


@transaction.atomic
def member_remove(*, agency: Agency, actor: User, user: User) -> User:
    """Deactivate a member. The user keeps their agency so their history stays attributed."""
    if user.agency_id != agency.pk:
        raise ValueError("User of another agency.")
    if actor.agency_id != agency.pk or not actor.is_agency_owner:
        raise PermissionDenied("Only the agency's owner can remove members.")
    if user.pk == actor.pk:
        raise ValidationError("You cannot remove yourself.")
    if not user.is_active:
        return user
    if user.role == User.Role.OWNER:
        owners = (
            scoped(User, agency).select_for_update().filter(role=User.Role.OWNER, is_active=True)
        )
        if len(owners) <= 1:  # e.g. two owners removing each other at the same moment
            raise ValidationError("The agency's last owner cannot be removed.")
    user.is_active = False
    user.session_generation += 1  # ends their sessions for good, even if restored later
    user.save(update_fields=["is_active", "session_generation"])
    return user


@transaction.atomic
def member_restore(*, agency: Agency, actor: User, user: User) -> User:
    """Let a removed member sign in again, with the role they had."""
    if user.agency_id != agency.pk:
        raise ValueError("User of another agency.")
    if actor.agency_id != agency.pk or not actor.is_agency_owner:
        raise PermissionDenied("Only the agency's owner can restore members.")
    if not user.is_active:
        user.is_active = True
        user.save(update_fields=["is_active"])
    return user


@transaction.atomic
def member_set_role(*, agency: Agency, actor: User, user: User, role: str) -> User:
    """Make a member an owner or an owner a member; the agency always keeps an active owner."""
    if user.agency_id != agency.pk:
        raise ValueError("User of another agency.")
    if actor.agency_id != agency.pk or not actor.is_agency_owner:
        raise PermissionDenied("Only the agency's owner can change roles.")
    if role not in User.Role.values:
        raise ValidationError(f"Unknown role {role!r}.")
    if not user.is_active:
        raise ValidationError("This person was removed from the agency.")
    if user.role == role:
        return user
    if role == User.Role.MEMBER:
        owners = (
            scoped(User, agency).select_for_update().filter(role=User.Role.OWNER, is_active=True)
        )
        if len(owners) <= 1:
            raise ValidationError(
                "The agency needs at least one owner. Make someone else owner first."
            )
    user.role = role
    user.session_generation += 1  # sessions signed in under the old role end
    user.save(update_fields=["role", "session_generation"])
    return user


# Settings and closed days ------------------------------------------------------------------


@transaction.atomic
def agency_settings_update(*, agency: Agency, **values: Any) -> list[str]:
    """Store the agency's settings; returns the names of the fields that changed.

    Re-timing open requests after a calendar change is the tracker's
    (tracker.agency_settings.agency_settings_save calls this, then the tracker).
    """
    unknown = set(values) - set(SETTINGS_FIELDS)
    if unknown:
        raise TypeError(f"Not agency settings: {sorted(unknown)}")
    if "copy_addresses" in values:
        values["copy_addresses"] = "\n".join(
            line.strip() for line in values["copy_addresses"].splitlines() if line.strip()
        )
    changed = [name for name, value in values.items() if getattr(agency, name) != value]
    if not changed:
        return []
    for name in changed:
        setattr(agency, name, values[name])
    agency.full_clean(exclude=["slug"])
    agency.save(update_fields=changed)
    return changed


@transaction.atomic
def user_digest_set(
    *, user: User, enabled: bool, unsubscribed_at: dt.datetime | None = None
) -> User:
    """Opt in or out of the weekly digest e-mail (each person decides for themselves).

    `unsubscribed_at`: turned off by the unsubscribe link of a digest e-mail, at that moment
    (recorded only when this turns the digest off, so the Team page can say how it went
    off); turning the digest back on forgets it.
    """
    if user.weekly_digest == enabled:
        return user
    user.weekly_digest = enabled
    user.digest_unsubscribed_at = None if enabled else unsubscribed_at
    user.save(update_fields=["weekly_digest", "digest_unsubscribed_at"])
    return user


@transaction.atomic
def agency_calendar_confirm(*, agency: Agency) -> None:
    """The owner has seen and saved the calendar settings (first-run checklist)."""
    if agency.calendar_confirmed_at is None:
        agency.calendar_confirmed_at = timezone.now()
        Agency.objects.filter(pk=agency.pk).update(
            calendar_confirmed_at=agency.calendar_confirmed_at
        )


@transaction.atomic
def closed_day_add(*, agency: Agency, date: dt.date, reason: str = "") -> AgencyClosedDay:
    if scoped(AgencyClosedDay, agency).filter(date=date).exists():
        raise ValidationError({"date": "This day is already on the list."})
    return AgencyClosedDay.objects.create(agency=agency, date=date, reason=reason.strip())


@transaction.atomic
def closed_day_remove(*, agency: Agency, closed_day: AgencyClosedDay) -> None:
    if closed_day.agency_id != agency.pk:
        raise ValueError("Closed day of another agency.")
    closed_day.delete()
