"""The deadline e-mails: absolute links and the template context of a notice."""

from __future__ import annotations

from django.conf import settings
from django.urls import reverse

from tracker.models import Notification
from tracker.timeline import DAY2, DAY5, HELPDESK_DUE, SECOND_REQUEST_DUE, SECOND_REQUEST_REMINDER

# Which forms each notice links to (URL names reversed at send time, request_id argument).
LINKS = {
    DAY2: ["vault:request_edit"],
    DAY5: ["vault:request_edit"],
    SECOND_REQUEST_DUE: ["vault:request_edit", "vault:second_request_letter"],
    SECOND_REQUEST_REMINDER: ["vault:request_edit", "vault:second_request_letter"],
    HELPDESK_DUE: ["helpdesk:submit", "vault:request_edit"],
}


# The date each notice asks for: its edit link lands on the request page's next-step card
# (#next-step) with that field focused (?focus=, rendered as autofocus).
FOCUS = {
    DAY2: "first_request_on",
    DAY5: "first_request_on",
    SECOND_REQUEST_DUE: "second_request_at",
    SECOND_REQUEST_REMINDER: "second_request_at",
    HELPDESK_DUE: "received_on",
}


def absolute_url(path: str) -> str:
    """A link for an e-mail: SITE_URL plus the path. No token: the form asks for sign-in."""
    return f"{settings.SITE_URL.rstrip('/')}{path}"


def notice_links(request_id: int, milestone: str) -> dict[str, str]:
    """{"request_edit": url, ...} for the notice, keyed by the URL name without namespace."""
    links = {
        name.split(":")[1]: absolute_url(reverse(name, args=[request_id]))
        for name in LINKS[milestone]
    }
    links["request_edit"] += f"?focus={FOCUS[milestone]}#next-step"
    return links


def notice_context(notice: Notification) -> dict:
    """What the notice templates (emails/tracker/<milestone>*) are rendered with."""
    req = notice.request
    tz = req.agency.tz
    return {
        "notice": notice,
        "req": req,
        "agency": req.agency,
        "policies": list(req.policies.all()),
        "due_local": notice.due_at.astimezone(tz),
        "created_local": req.created_at.astimezone(tz),
        "second_request_local": req.second_request_at.astimezone(tz)
        if req.second_request_at
        else None,
        "links": notice_links(req.pk, notice.milestone),
    }
