"""The escalation kit: what an agency sends once a carrier misses its statutory deadline.

Two PDFs on the agency's letterhead, rendered on demand from the request as it stands
(so a corrected date is never out of date in a stored copy): a certified-mail letter to
the carrier citing the statute, the original request date and what was sent, and a draft
complaint to the state's department of insurance with the request's history attached.
The kit exists only while the request is past its statutory due date with nothing received.
"""

from __future__ import annotations

import datetime as dt

from django.core.exceptions import ValidationError
from django.db.models import Prefetch
from django.utils import timezone
from django.utils.text import slugify

from accounts.models import Agency
from accounts.tenancy import get_for_agency
from statutes.rules import StatutoryDeadline
from vault.derived import is_past_statutory, request_deadline
from vault.letters import letter_pdf
from vault.models import Document, LossRunRequest
from vault.rules import agency_today, request_years_text
from vault.selectors_history import request_history

# What the letter says went with the 1st request: the signed authorization (proof of carrier
# is for the Help Desk, not the carrier; it is listed in the complaint's documents).
SENT_WITH_FIRST_REQUEST = (Document.Kind.AUTH_SIGNED,)
NO_KIT = (
    "The escalation kit is available once the statutory due date has passed with nothing received."
)


def _kit_queryset():
    return LossRunRequest.objects.select_related("agency", "insured", "carrier").prefetch_related(
        "policies",
        Prefetch("documents", queryset=Document.objects.order_by("uploaded_at", "id")),
        "helpdesk_tickets__events",
    )


def kit_request_get(*, agency: Agency, request_id: int) -> LossRunRequest:
    """An agency's request loaded with everything the kit prints (another agency's: 404)."""
    return get_for_agency(_kit_queryset(), agency=agency, pk=request_id)


def kit_request_for_staff(*, request_id: int) -> LossRunRequest:
    """Help-desk staff work across agencies: the same request, unscoped."""
    return _kit_queryset().get(pk=request_id)


def kit_available(request: LossRunRequest, today: dt.date | None = None) -> bool:
    return is_past_statutory(request, today or agency_today(request.agency))


def _context(request: LossRunRequest) -> dict:
    agency = request.agency
    tz = agency.tz
    deadline: StatutoryDeadline = request_deadline(request)
    documents = list(request.documents.all())
    tickets = list(request.helpdesk_tickets.all())
    return {
        "req": request,
        "agency": agency,
        "insured": request.insured,
        "carrier": request.carrier,
        "policies": list(request.policies.all()),
        "years_text": request_years_text(request),
        "rule": deadline.rule,
        "deadline": deadline,
        "today": agency_today(agency),
        "created_on": request.created_at.astimezone(tz).date(),
        "second_request_on": (
            request.second_request_at.astimezone(tz).date() if request.second_request_at else None
        ),
        "sent": [d for d in documents if d.kind in SENT_WITH_FIRST_REQUEST],
        "documents": documents,
        # Help Desk tickets (reached through the reverse relation: helpdesk sits above this
        # app): the submission, then the changes the agency was told of, no internal notes.
        "tickets": [
            (
                t,
                [
                    e
                    for e in t.events.all()
                    if e.action in e.PUBLIC_ACTIONS and e.action != "submitted"
                ],
            )
            for t in tickets
        ],
        "history": request_history(agency=agency, request=request),
        "tz": tz,
    }


def _check(request: LossRunRequest) -> None:
    if not kit_available(request):
        raise ValidationError(NO_KIT)


def _render(template: str, request: LossRunRequest) -> bytes:
    _check(request)
    # Dates and times on the agency's clock, whoever prints it (agency page or staff admin).
    with timezone.override(request.agency.tz):
        return letter_pdf(template, _context(request))


def kit_letter_pdf(*, request: LossRunRequest) -> bytes:
    """The certified-mail letter to the carrier citing the statute."""
    return _render("escalation/certified_letter.html", request)


def kit_complaint_pdf(*, request: LossRunRequest) -> bytes:
    """The draft complaint to the state's department of insurance, history attached."""
    return _render("escalation/doi_complaint.html", request)


def kit_filename(request: LossRunRequest, what: str) -> str:
    insured = slugify(request.insured.legal_name)[:60] or "insured"
    return f"{what}-{insured}-{request.pk}.pdf"
