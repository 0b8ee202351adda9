"""Sign-up by e-mail link, so the form never tells whether an address has an account.

The form takes the agency's and the person's details and always answers "check your
e-mail". A new address gets a signed link (the details ride in it; nothing is stored) that
opens the page where they choose a password and the agency is created. An address that
already has an account gets an e-mail saying so, with links to sign in and to reset the
password, as the password-reset form does for unknown addresses.
"""

from __future__ import annotations

import dataclasses
import datetime as dt

from django.conf import settings
from django.core import signing
from django.db import transaction
from django.urls import reverse
from django.utils import timezone

from accounts import emails
from accounts.models import canonical_email
from accounts.services import email_taken
from accounts.time_zones import EASTERN as DEFAULT_TIME_ZONE
from accounts.time_zones import time_zone_for_state

SIGNUP_SALT = "accounts.signup"
SIGNUP_MAX_AGE = dt.timedelta(days=2)


@dataclasses.dataclass(frozen=True)
class SignupDetails:
    agency_name: str
    full_name: str
    email: str
    state: str
    time_zone: str
    # Letterhead details; a link e-mailed before they were asked for carries none.
    address: str = ""
    phone: str = ""


class SignupInvalid(Exception):
    """A sign-up link that cannot be used; `str(exc)` is the message for the visitor."""

    def __init__(self, message: str, *, status: int = 410) -> None:
        super().__init__(message)
        self.status = status


def signup_token(details: SignupDetails) -> str:
    return signing.dumps(dataclasses.asdict(details), salt=SIGNUP_SALT, compress=True)


def signup_from_token(token: str) -> SignupDetails:
    try:
        data = signing.loads(token, salt=SIGNUP_SALT, max_age=SIGNUP_MAX_AGE)
        details = SignupDetails(**data)
    except signing.SignatureExpired as exc:
        raise SignupInvalid("This sign-up link has expired. Please sign up again.") from exc
    except (signing.BadSignature, TypeError) as exc:
        raise SignupInvalid(
            "This sign-up link is not valid. Check that you copied the whole link, "
            "or sign up again.",
            status=400,
        ) from exc
    if email_taken(details.email):
        raise SignupInvalid(f"An account for {details.email} already exists. Sign in instead.")
    return details


def signup_start(
    *,
    agency_name: str,
    full_name: str,
    email: str,
    state: str,
    time_zone: str,
    address: str = "",
    phone: str = "",
) -> None:
    """E-mail the link that finishes sign-up, or tell the address's owner it has an account.

    `time_zone` empty: the state's (accounts.time_zones.time_zone_for_state)."""
    details = SignupDetails(
        agency_name=agency_name.strip(),
        full_name=full_name.strip(),
        email=canonical_email(email),
        state=state,
        time_zone=time_zone or time_zone_for_state(state) or DEFAULT_TIME_ZONE,
        address=address.strip(),
        phone=phone.strip(),
    )
    with transaction.atomic():
        if email_taken(details.email):
            emails.queue_signup_existing_account(
                email=details.email,
                sign_in_url=f"{settings.SITE_URL}{reverse('login')}",
                reset_url=f"{settings.SITE_URL}{reverse('password_reset')}",
            )
        else:
            path = reverse("accounts:signup_finish", kwargs={"token": signup_token(details)})
            emails.queue_signup_link(
                email=details.email,
                agency_name=details.agency_name,
                finish_url=f"{settings.SITE_URL}{path}",
                expires_at=timezone.now() + SIGNUP_MAX_AGE,
            )
