"""One-click unsubscribe from the weekly digest (RFC 8058), without signing in.

Each digest e-mail carries a token: its WeeklyDigest row and the agent it was sent to,
signed with SECRET_KEY (django.core.signing), so an edited token (another row, another
agent) fails its signature before the database is read, and a row only answers to the agent
the token names. The token does not expire: a mail provider may follow the
List-Unsubscribe header days later, and an old e-mail's link must still work.

Once and idempotent: the first use turns the digest off and stamps the row; a repeat use
(a retried one-click POST, a second press) changes nothing and says the digest is off. A
link used before the agent turned the digest back on does not turn it off again: the page
says so and points to the latest digest or the Team page.

A GET only shows the confirmation page with its button (link scanners follow GETs); the
POST, from that button or from the mail provider's one-click, unsubscribes.
"""

from __future__ import annotations

import datetime as dt
import enum

from django.core import signing
from django.db import transaction
from django.urls import reverse

from accounts.services import user_digest_set
from tracker.emails import absolute_url
from tracker.models import WeeklyDigest

SALT = "tracker.digest-unsubscribe"


class State(enum.StrEnum):
    SUBSCRIBED = "subscribed"  # the link can unsubscribe (the confirmation page asks)
    UNSUBSCRIBED = "unsubscribed"  # the digest is off (this link or another way)
    USED_BEFORE = "used_before"  # the link was used; the agent turned the digest back on


def unsubscribe_token(digest: WeeklyDigest) -> str:
    return signing.Signer(salt=SALT).sign_object({"d": digest.pk, "u": digest.user_id})


def unsubscribe_url(digest: WeeklyDigest) -> str:
    return absolute_url(
        reverse(
            "tracker:digest_unsubscribe", kwargs={"unsubscribe_token": unsubscribe_token(digest)}
        )
    )


def unsubscribe_headers(digest: WeeklyDigest) -> dict[str, str]:
    """The RFC 8058 one-click headers for the digest's outbox e-mail (RFC 2369 form).

    Only over HTTPS (RFC 8058 requires it; mail providers ignore a plain-http one): a
    development SITE_URL of http:// gets none, the link in the body works either way. No
    mailto: no mailbox reads unsubscribe requests, and a mailto nobody reads would be a
    promise the product does not keep.
    """
    url = unsubscribe_url(digest)
    if not url.startswith("https://"):
        return {}
    return {
        "List-Unsubscribe": f"<{url}>",
        "List-Unsubscribe-Post": "List-Unsubscribe=One-Click",
    }


def digest_from_token(token: str) -> WeeklyDigest | None:
    """The digest row the token names, with its agent, or None when the token is malformed,
    its signature does not verify, or the row is gone or belongs to another agent."""
    try:
        data = signing.Signer(salt=SALT).unsign_object(token)
    except (signing.BadSignature, ValueError, TypeError, UnicodeError):
        return None
    if not isinstance(data, dict):
        return None
    digest_id, user_id = data.get("d"), data.get("u")
    if not isinstance(digest_id, int) or not isinstance(user_id, int):
        return None
    # tenancy: the signed token is the credential; the row must be the named agent's own.
    return (
        WeeklyDigest.objects.select_related("user", "agency")
        .filter(pk=digest_id, user_id=user_id)
        .first()
    )


def unsubscribe_state(digest: WeeklyDigest) -> State:
    """What the link would do now (the GET page shows it)."""
    if not digest.user.weekly_digest:
        return State.UNSUBSCRIBED
    if digest.unsubscribed_at is not None:
        return State.USED_BEFORE
    return State.SUBSCRIBED


@transaction.atomic
def digest_unsubscribe(*, digest: WeeklyDigest, now: dt.datetime) -> State:
    """Use the link: turn the agent's digest off the first time; any later use changes
    nothing. Returns the state after (UNSUBSCRIBED, or USED_BEFORE when the agent turned
    the digest back on after this link was used)."""
    row = WeeklyDigest.objects.select_for_update().select_related("user").get(pk=digest.pk)
    state = unsubscribe_state(row)
    if state is State.SUBSCRIBED:
        user_digest_set(user=row.user, enabled=False, unsubscribed_at=now)
        state = State.UNSUBSCRIBED
    if row.unsubscribed_at is None:
        row.unsubscribed_at = now
        row.save(update_fields=["unsubscribed_at"])
    digest.unsubscribed_at, digest.user = row.unsubscribed_at, row.user
    return state
