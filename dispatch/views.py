"""The request's "Signature and sending" page and its actions."""

from __future__ import annotations

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.http import HttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone
from django.views.decorators.http import require_GET, require_POST

from accounts.decorators import agency_view
from config.forms import add_service_errors
from dispatch import selectors, services
from dispatch.forms import ManualSendForm
from dispatch.models import CarrierSend
from esign.forms import SendForSignatureForm
from esign.selectors import signatures_for_request
from esign.services import signature_send as signature_send_service
from esign.services import signature_send_errors
from vault.carrier_directory import carrier_route
from vault.letters import first_request_letter_pdf, letter_filename
from vault.selectors import request_get, request_get_for_edit, request_row


def _page(request, agency, req, *, manual_form=None, signature_form=None, status=200):
    insured = req.insured
    signature_form = signature_form or SendForSignatureForm(
        initial={
            "signer_name": insured.signer_name,
            "signer_title": insured.signer_title,
            "signer_email": insured.signer_email,
        }
    )
    signatures = signatures_for_request(agency=agency, request=req)
    return render(
        request,
        "dispatch/request_send.html",
        {
            "req": req,
            "row": request_row(req, timezone.now()),
            "route": carrier_route(agency=agency, carrier=req.carrier),
            "signatures": signatures,
            "pending": next((s for s in signatures if s.status == "pending"), None),
            "signature_form": signature_form,
            "signature_errors": signature_send_errors(request=req),
            "signed_document": services.signed_authorization(req),
            "first_errors": services.send_errors(request=req, kind=CarrierSend.Kind.FIRST),
            "second_errors": services.send_errors(request=req, kind=CarrierSend.Kind.SECOND),
            "manual_first": manual_form
            if manual_form is not None and manual_form["kind"].value() == "first"
            else ManualSendForm(initial={"kind": "first"}, tz=agency.tz, prefix="first"),
            "manual_second": manual_form
            if manual_form is not None and manual_form["kind"].value() == "second"
            else ManualSendForm(initial={"kind": "second"}, tz=agency.tz, prefix="second"),
            "sends": selectors.sends_for_request(agency=agency, request=req),
        },
        status=status,
    )


@require_GET
@agency_view
def request_send(request, agency, request_id: int):
    req = request_get_for_edit(agency=agency, request_id=request_id)
    return _page(request, agency, req)


@require_POST
@agency_view
def signature_send(request, agency, request_id: int):
    """Send for signature to the signer typed in (kept on the insured for next time)."""
    req = request_get_for_edit(agency=agency, request_id=request_id)
    form = SendForSignatureForm(request.POST)
    if form.is_valid():
        try:
            signature = signature_send_service(
                agency=agency, request=req, user=request.user, **form.cleaned_data
            )
        except ValidationError as exc:
            add_service_errors(form, exc)
        else:
            messages.success(request, f"Sent for signature to {signature.signer_email}.")
            return redirect("dispatch:request_send", request_id=req.pk)
    return _page(request, agency, req, signature_form=form, status=400)


@require_POST
@agency_view
def send_email(request, agency, request_id: int):
    req = request_get(agency=agency, request_id=request_id)
    kind = request.POST.get("kind")
    if kind not in CarrierSend.Kind.values:
        messages.error(request, "Choose the 1st or the 2nd request.")
        return redirect("dispatch:request_send", request_id=req.pk)
    try:
        send = services.carrier_send_email(agency=agency, request=req, user=request.user, kind=kind)
    except ValidationError as exc:
        messages.error(request, " ".join(exc.messages))
    else:
        messages.success(request, f"{send.get_kind_display()} e-mailed to {send.to}.")
    return redirect("dispatch:request_send", request_id=req.pk)


@require_POST
@agency_view
def send_manual(request, agency, request_id: int):
    req = request_get_for_edit(agency=agency, request_id=request_id)
    prefix = "second" if request.POST.get("second-kind") == "second" else "first"
    form = ManualSendForm(request.POST, tz=agency.tz, prefix=prefix)
    if form.is_valid():
        try:
            services.carrier_send_manual(
                agency=agency, request=req, user=request.user, **form.cleaned_data
            )
        except ValidationError as exc:
            add_service_errors(form, exc)
        else:
            messages.success(request, "Recorded: the request's date is set.")
            return redirect("dispatch:request_send", request_id=req.pk)
    return _page(request, agency, req, manual_form=form, status=400)


@require_GET
@agency_view
def first_request_letter(request, agency, request_id: int):
    req = request_get(agency=agency, request_id=request_id)
    pdf = first_request_letter_pdf(request=req)
    response = HttpResponse(pdf, content_type="application/pdf")
    filename = letter_filename(req, "first-request")
    response["Content-Disposition"] = f'inline; filename="{filename}"'
    return response
