"""Reads of accounts. Every selector takes the agency of the signed-in user."""

from __future__ import annotations

import datetime as dt

from django.conf import settings
from django.db.models import Case, QuerySet, Value, When
from django.utils import timezone

from accounts.models import Agency, AgencyClosedDay, Invitation, User
from accounts.tenancy import get_for_agency, scoped


def members_active(*, agency: Agency) -> QuerySet[User]:
    """People who can sign in to the agency: owners first, then by name."""
    owners_first = Case(When(role=User.Role.OWNER, then=Value(0)), default=Value(1))
    return scoped(User, agency).filter(is_active=True).order_by(owners_first, "full_name", "email")


def members_removed(*, agency: Agency) -> QuerySet[User]:
    return scoped(User, agency).filter(is_active=False).order_by("full_name", "email")


def member_get(*, agency: Agency, user_id: int) -> User:
    return get_for_agency(User, agency=agency, pk=user_id)


def invitations_open(*, agency: Agency) -> list[Invitation]:
    """Invitations not yet accepted or withdrawn, each with `expires_at` and `is_expired`."""
    now = timezone.now()
    max_age = dt.timedelta(seconds=settings.INVITATION_MAX_AGE)
    invitations = list(
        scoped(Invitation, agency)
        .filter(accepted_at__isnull=True, revoked_at__isnull=True)
        .select_related("invited_by")
        .order_by("-created_at", "-id")
    )
    for invitation in invitations:
        invitation.expires_at = invitation.created_at + max_age
        invitation.is_expired = invitation.expires_at <= now
    return invitations


def invitation_get(*, agency: Agency, invitation_id: int) -> Invitation:
    return get_for_agency(Invitation, agency=agency, pk=invitation_id)


def closed_days(*, agency: Agency) -> QuerySet[AgencyClosedDay]:
    return scoped(AgencyClosedDay, agency).order_by("date")


def closed_day_get(*, agency: Agency, closed_day_id: int) -> AgencyClosedDay:
    return get_for_agency(AgencyClosedDay, agency=agency, pk=closed_day_id)


def agency_mail_recipients(*, agency: Agency, user: User | None = None) -> list[str]:
    """Who receives an agency's mail about something `user` did or owns.

    The user (when still active in that agency) plus the agency's copy addresses. When
    neither is left, the agency's active owners get it, then the agency's own address, so
    a message is never silently dropped. Duplicates (any case) are removed, order kept.
    """
    out: list[str] = []
    if user is not None and user.is_active and user.agency_id == agency.pk:
        out.append(user.email)
    out += agency.copy_address_list
    if not out:
        out = list(
            scoped(User, agency)
            .filter(role=User.Role.OWNER, is_active=True)
            .order_by("id")
            .values_list("email", flat=True)
        ) or ([agency.email] if agency.email else [])
    seen: set[str] = set()
    unique = []
    for address in out:
        if address.lower() not in seen:
            seen.add(address.lower())
            unique.append(address)
    return unique
