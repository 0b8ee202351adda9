"""The escalation kit's PDFs, the Carriers page and the Request Builder's carrier figures."""

from __future__ import annotations

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.http import HttpResponse
from django.shortcuts import redirect, render
from django.utils.http import content_disposition_header
from django.views.decorators.http import require_GET

from accounts.decorators import agency_view
from escalation import kit, selectors
from vault.selectors import carrier_get


def _kit_pdf(request, agency, request_id: int, *, build, what: str):
    req = kit.kit_request_get(agency=agency, request_id=request_id)
    try:
        pdf = build(request=req)
    except ValidationError as exc:
        messages.error(request, " ".join(exc.messages))
        return redirect("vault:request_edit", request_id=req.pk)
    response = HttpResponse(pdf, content_type="application/pdf")
    response["Content-Disposition"] = content_disposition_header(False, kit.kit_filename(req, what))
    response["Cache-Control"] = "private, no-store"
    return response


@require_GET
@agency_view
def kit_letter(request, agency, request_id: int):
    return _kit_pdf(request, agency, request_id, build=kit.kit_letter_pdf, what="certified-letter")


@require_GET
@agency_view
def kit_complaint(request, agency, request_id: int):
    return _kit_pdf(
        request, agency, request_id, build=kit.kit_complaint_pdf, what="doi-complaint-draft"
    )


@require_GET
@agency_view
def carrier_list(request, agency):
    q = request.GET.get("q", "").replace("\x00", "")[:100]
    page, rows = selectors.carrier_page(agency=agency, q=q, page=request.GET.get("page") or 1)
    return render(request, "escalation/carriers.html", {"page": page, "rows": rows, "q": q})


@require_GET
@agency_view
def carrier_figures(request, agency, carrier_id: int):
    """The Request Builder's figures for the chosen carrier (htmx fragment)."""
    carrier = carrier_get(agency=agency, carrier_id=carrier_id)
    return render(
        request,
        "escalation/_carrier_figures.html",
        {"row": selectors.carrier_row(agency=agency, carrier=carrier)},
    )
