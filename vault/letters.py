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
from vault.rules import request_years_text


def _agency_today(request: LossRunRequest) -> dt.date:
    return timezone.now().astimezone(request.agency.tz).date()


def _context(request: LossRunRequest) -> dict:
    return {
        "req": request,
        "agency": request.agency,
        "insured": request.insured,
        "carrier": request.carrier,
        "policies": list(request.policies.all()),
        "years_text": request_years_text(request),
        "today": _agency_today(request),
    }


def html_document(html: str, *, allow_data_urls: bool = False):
    """A WeasyPrint document of `html` that fetches nothing (only `data:` URLs the
    product built itself, such as a signature image, when `allow_data_urls`)."""
    # Imported here: WeasyPrint is heavy and only letters need it. It reports every
    # rendering step at INFO, which would drown the application's own logs.
    logging.getLogger("weasyprint.progress").setLevel(logging.WARNING)
    from weasyprint import HTML
    from weasyprint.urls import URLFetcher

    protocols = ("data",) if allow_data_urls else ()
    return HTML(string=html, url_fetcher=URLFetcher(allowed_protocols=protocols))


def _pdf(template: str, context: dict) -> bytes:
    return html_document(render_to_string(template, context)).write_pdf()


def authorization_letter_html(*, request: LossRunRequest) -> str:
    """The unsigned authorization letter's HTML (frozen by the e-signature flow)."""
    return render_to_string("vault/letters/authorization.html", _context(request))


def signature_block_html(*, request: LossRunRequest, signature: dict | None) -> str:
    """The letter's signature block, empty or filled in (see _signature.html)."""
    context = {**_context(request), "signature": signature}
    return render_to_string("vault/letters/_signature.html", context)


def letter_pdf(template: str, context: dict) -> bytes:
    """Any letter template rendered the same locked-down way (the escalation kit uses it)."""
    return _pdf(template, context)


def authorization_letter_pdf(*, request: LossRunRequest) -> bytes:
    """The insured's signed authorization for the carrier to release its loss runs."""
    return html_document(authorization_letter_html(request=request)).write_pdf()


def first_request_letter_pdf(*, request: LossRunRequest) -> bytes:
    """The 1st request's cover letter, sent with the signed authorization."""
    return _pdf("vault/letters/first_request.html", _context(request))


def second_request_letter_pdf(*, request: LossRunRequest) -> bytes:
    """The printable second request: cites the first, asks for the loss runs within 24
    hours, and needs no signature (the signed authorization went with the first request)."""
    return _pdf("vault/letters/second_request.html", _context(request))


def letter_filename(request: LossRunRequest, what: str) -> str:
    insured = slugify(request.insured.legal_name)[:60] or "insured"
    return f"{what}-{insured}-{request.pk}.pdf"
