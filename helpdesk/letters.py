"""The escalation letter the help desk sends the carrier (PDF, WeasyPrint)."""

from __future__ import annotations

from django.template.loader import render_to_string
from django.utils import timezone
from weasyprint import HTML

from helpdesk.models import Ticket
from vault.rules import request_years_text


def escalation_letter_context(ticket: Ticket) -> dict:
    req = ticket.request
    agency = ticket.agency
    tz = agency.tz
    return {
        "ticket": ticket,
        "req": req,
        "agency": agency,
        "carrier": req.carrier,
        "insured": req.insured,
        "policies": list(req.policies.all()),
        "years_text": request_years_text(req),
        "today": timezone.localdate(timezone.now(), tz),
        "second_request_on": (
            timezone.localdate(req.second_request_at, tz) if req.second_request_at else None
        ),
        "requested_on": timezone.localdate(req.created_at, tz),
    }


def escalation_letter_pdf(*, ticket: Ticket) -> bytes:
    html = render_to_string("helpdesk/letters/escalation.html", escalation_letter_context(ticket))
    return HTML(string=html).write_pdf()
