"""Letters the agency sends to carriers, rendered to PDF with WeasyPrint.

The HTML lives in templates/vault/letters/ with its own print stylesheet. WeasyPrint is
given no base URL and a fetcher that refuses everything, so a letter can never pull in a
remote or local resource, whatever a user typed into a name or an address.
"""

from __future__ import annotations

import datetime as dt
import logging

from django.template.loader import render_to_string
from django.utils import timezone
from django.utils.text import slugify

from vault.models import LossRunRequest


def _agency_today(request: LossRunRequest) -> dt.date:
    return timezone.now().astimezone(request.agency.tz).date()


def _context(request: LossRunRequest) -> dict:
    return {
        "req": request,
        "agency": request.agency,
        "insured": request.insured,
        "carrier": request.carrier,
        "policies": list(request.policies.all()),
        "today": _agency_today(request),
    }


def _pdf(template: str, context: dict) -> bytes:
    # Imported here: WeasyPrint is heavy and only letters need it. It reports every
    # rendering step at INFO, which would drown the application's own logs.
    logging.getLogger("weasyprint.progress").setLevel(logging.WARNING)
    from weasyprint import HTML
    from weasyprint.urls import URLFetcher

    html = render_to_string(template, context)
    return HTML(string=html, url_fetcher=URLFetcher(allowed_protocols=())).write_pdf()


def letter_pdf(template: str, context: dict) -> bytes:
    """Any letter template rendered the same locked-down way (the escalation kit uses it)."""
    return _pdf(template, context)


def authorization_letter_pdf(*, request: LossRunRequest) -> bytes:
    """The insured's signed authorization for the carrier to release its loss runs."""
    return _pdf("vault/letters/authorization.html", _context(request))


def second_request_letter_pdf(*, request: LossRunRequest) -> bytes:
    """The printable second request: cites the first, asks for the loss runs within 24
    hours, and needs no signature (the signed authorization went with the first request)."""
    return _pdf("vault/letters/second_request.html", _context(request))


def letter_filename(request: LossRunRequest, what: str) -> str:
    insured = slugify(request.insured.legal_name)[:60] or "insured"
    return f"{what}-{insured}-{request.pk}.pdf"
