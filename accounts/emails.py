"""E-mails of accounts, queued in the outbox inside the caller's transaction."""

from __future__ import annotations

import datetime as dt
from typing import TYPE_CHECKING, Any

from django.utils import timezone

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


def _queue(*, kind: str, template: str, to: str, context: dict[str, Any], **extra: Any) -> Email:
    return email_queue(
        kind=kind,
        to=[to],
        subject=render_subject(template, context),
        template=template,
        context=context,
        **extra,
    )


def queue_invitation_to_existing_account(*, invitation: Invitation, sign_in_url: str) -> Email:
    """The invitation's e-mail when its address already has an account: nothing to accept."""
    return _queue(
        kind="accounts.invitation_existing_account",
        template="accounts/invitation_existing_account",
        to=invitation.email,
        context={
            "invitation": invitation,
            "agency": invitation.agency,
            "inviter": invitation.invited_by,
            "sign_in_url": sign_in_url,
        },
        agency=invitation.agency,
        about=invitation,
    )


def queue_signup_link(
    *, email: str, agency_name: str, finish_url: str, expires_at: dt.datetime
) -> Email:
    """Platform mail: the agency does not exist until the link is followed."""
    return _queue(
        kind="accounts.signup_link",
        template="accounts/signup_link",
        to=email,
        context={
            "agency_name": agency_name,
            "finish_url": finish_url,
            "expires_at": timezone.localtime(expires_at),
        },
    )


def queue_signup_existing_account(*, email: str, sign_in_url: str, reset_url: str) -> Email:
    return _queue(
        kind="accounts.signup_existing_account",
        template="accounts/signup_existing_account",
        to=email,
        context={"email": email, "sign_in_url": sign_in_url, "reset_url": reset_url},
    )
