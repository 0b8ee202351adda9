"""The deadline e-mails: recipients, absolute links and the rendered message of a notice."""

from __future__ import annotations

from urllib.parse import urlsplit

from django.conf import settings
from django.core.mail import EmailMultiAlternatives
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import timezone

from accounts.models import User
from tracker.models import Notification
from tracker.timeline import DAY2, DAY5, HELPDESK_DUE, SECOND_REQUEST_DUE, SECOND_REQUEST_REMINDER
from vault.models import LossRunRequest

# Which forms each notice links to (URL names reversed at send time, request_id argument).
LINKS = {
    DAY2: ["vault:request_edit"],
    DAY5: ["vault:request_edit"],
    SECOND_REQUEST_DUE: ["vault:request_edit", "vault:second_request_letter"],
    SECOND_REQUEST_REMINDER: ["vault:request_edit", "vault:second_request_letter"],
    HELPDESK_DUE: ["helpdesk:submit", "vault:request_edit"],
}


def absolute_url(path: str) -> str:
    """A link for an e-mail: SITE_URL plus the path. No token: the form asks for sign-in."""
    return f"{settings.SITE_URL.rstrip('/')}{path}"


def notice_links(request_id: int, milestone: str) -> dict[str, str]:
    """{"request_edit": url, ...} for the notice, keyed by the URL name without namespace."""
    return {
        name.split(":")[1]: absolute_url(reverse(name, args=[request_id]))
        for name in LINKS[milestone]
    }


def notice_recipients(request: LossRunRequest) -> list[str]:
    """The request's owner (when still active) and the agency's copy addresses.

    When the owner has left and no copy address is set, the agency's active owners get it,
    so a deadline is never silently dropped.
    """
    agency = request.agency
    out: list[str] = []
    owner = request.created_by
    if owner is not None and owner.is_active and owner.agency_id == agency.pk:
        out.append(owner.email)
    out += agency.copy_address_list
    if not out:
        out = list(
            User.objects.filter(agency=agency, role=User.Role.OWNER, is_active=True).values_list(
                "email", flat=True
            )
        ) or ([agency.email] if agency.email else [])
    seen: set[str] = set()
    unique = []
    for address in out:
        if address.lower() not in seen:
            seen.add(address.lower())
            unique.append(address)
    return unique


def message_id(notification_id: int) -> str:
    """Stable per notice: a resent message has the same Message-ID, so it can be de-duplicated."""
    host = urlsplit(settings.SITE_URL).hostname or "localhost"
    return f"<tracker-notice-{notification_id}@{host}>"


def build_notice_message(notice: Notification, recipients: list[str]) -> EmailMultiAlternatives:
    req = notice.request
    agency = req.agency
    tz = agency.tz
    context = {
        "notice": notice,
        "req": req,
        "agency": agency,
        "policies": list(req.policies.all()),
        "due_local": notice.due_at.astimezone(tz),
        "created_local": req.created_at.astimezone(tz),
        "second_request_local": req.second_request_at.astimezone(tz)
        if req.second_request_at
        else None,
        "links": notice_links(req.pk, notice.milestone),
    }
    base = f"emails/tracker/{notice.milestone}"
    with timezone.override(tz):  # dates in the templates read in the agency's time zone
        subject = " ".join(render_to_string(f"{base}_subject.txt", context).split())
        text = render_to_string(f"{base}.txt", context)
        html = render_to_string(f"{base}.html", context)
    message = EmailMultiAlternatives(
        subject=subject,
        body=text,
        to=recipients,
        headers={"Message-ID": message_id(notice.pk), "X-Tracker-Notice": str(notice.pk)},
    )
    message.attach_alternative(html, "text/html")
    return message
