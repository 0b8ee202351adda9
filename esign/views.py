"""The agent's side of e-signature: send for signature in bulk, revoke (the one-request
form lives on the request's "Signature and sending" page, dispatch.views)."""

from __future__ import annotations

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.shortcuts import redirect
from django.views.decorators.http import require_POST

from accounts.decorators import agency_view
from esign import selectors, services


@require_POST
@agency_view
def signature_revoke(request, agency, signature_id: int):
    signature = selectors.signature_get(agency=agency, signature_id=signature_id)
    try:
        services.signature_revoke(agency=agency, signature=signature, user=request.user)
    except ValidationError as exc:
        messages.error(request, " ".join(exc.messages))
    else:
        messages.success(request, f"The link sent to {signature.signer_email} no longer works.")
    return redirect("dispatch:request_send", request_id=signature.request_id)


@require_POST
@agency_view
def signature_send_bulk(request, agency):
    """From the vault list: send for signature every checked request whose insured has a
    signer with an e-mail on file; say which were skipped and why."""
    ids = []
    for value in request.POST.getlist("request"):
        if value.isdigit():
            ids.append(int(value))
    results = services.signature_send_many(agency=agency, request_ids=ids, user=request.user)
    if results.sent:
        messages.success(request, f"Sent for signature: {len(results.sent)} request(s).")
    for label, reason in results.skipped:
        messages.warning(request, f"Not sent: {label}: {reason}")
    if not ids:
        messages.error(request, "Tick the requests to send for signature first.")
    return redirect("vault:list")
