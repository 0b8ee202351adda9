"""E-mails of accounts, queued in the outbox inside the caller's transaction."""

from __future__ import annotations

import datetime as dt
from typing import TYPE_CHECKING, Any

from outbox.models import Email
from outbox.rendering import render_subject
from outbox.services import email_queue

if TYPE_CHECKING:
    from accounts.models import Invitation, User


def queue_invitation(*, invitation: Invitation, accept_url: str, expires_at: dt.datetime) -> Email:
    agency = invitation.agency
    context = {
        "invitation": invitation,
        "agency": agency,
        "inviter": invitation.invited_by,
        "accept_url": accept_url,
        "expires_on": expires_at.astimezone(agency.tz).date(),
    }
    return email_queue(
        kind="accounts.invitation",
        to=[invitation.email],
        subject=render_subject("accounts/invitation", context),
        template="accounts/invitation",
        context=context,
        agency=agency,
        about=invitation,
    )


def queue_password_reset(*, user: User, to_email: str, context: dict[str, Any]) -> Email:
    """Platform mail (no agency): a colleague never sees someone else's reset link."""
    return email_queue(
        kind="accounts.password_reset",
        to=[to_email],
        subject=render_subject("accounts/password_reset", context),
        template="accounts/password_reset",
        context=context,
        about=user,
    )
