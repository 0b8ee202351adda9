"""E-mails of accounts: a plain-text body with an HTML alternative, both from templates."""

from __future__ import annotations

import datetime as dt
from typing import TYPE_CHECKING

from django.conf import settings
from django.core.mail import EmailMultiAlternatives
from django.template.loader import render_to_string
from django.utils import timezone

if TYPE_CHECKING:
    from accounts.models import Invitation


def send_templated(*, template: str, to: list[str], context: dict) -> None:
    """Render emails/<template>_subject.txt, .txt and .html and send them as one message."""
    context = {"site_url": settings.SITE_URL, **context}
    subject = " ".join(render_to_string(f"{template}_subject.txt", context).split())
    text = render_to_string(f"{template}.txt", context)
    html = render_to_string(f"{template}.html", context)
    message = EmailMultiAlternatives(subject, text, settings.DEFAULT_FROM_EMAIL, to)
    message.attach_alternative(html, "text/html")
    message.send()


def send_invitation(*, invitation: Invitation, accept_url: str, expires_at: dt.datetime) -> None:
    agency = invitation.agency
    send_templated(
        template="emails/accounts/invitation",
        to=[invitation.email],
        context={
            "invitation": invitation,
            "agency": agency,
            "inviter": invitation.invited_by,
            "accept_url": accept_url,
            "expires_on": expires_at.astimezone(agency.tz).date(),
        },
    )


def send_invitation_to_existing_account(*, invitation: Invitation, sign_in_url: str) -> None:
    """The invitation's e-mail when its address already has an account: nothing to accept."""
    send_templated(
        template="emails/accounts/invitation_existing_account",
        to=[invitation.email],
        context={
            "invitation": invitation,
            "agency": invitation.agency,
            "inviter": invitation.invited_by,
            "sign_in_url": sign_in_url,
        },
    )


def send_signup_link(
    *, email: str, agency_name: str, finish_url: str, expires_at: dt.datetime
) -> None:
    send_templated(
        template="emails/accounts/signup_link",
        to=[email],
        context={
            "agency_name": agency_name,
            "finish_url": finish_url,
            "expires_at": timezone.localtime(expires_at),
        },
    )


def send_signup_existing_account(*, email: str, sign_in_url: str, reset_url: str) -> None:
    send_templated(
        template="emails/accounts/signup_existing_account",
        to=[email],
        context={"email": email, "sign_in_url": sign_in_url, "reset_url": reset_url},
    )
