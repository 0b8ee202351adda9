"""The carrier directory pages and the Request Builder's "where it goes" snippet."""

from __future__ import annotations

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.shortcuts import redirect, render
from django.views.decorators.http import require_GET, require_http_methods

from accounts.decorators import agency_view
from vault import selectors
from vault.carrier_directory import (
    carrier_note_get,
    carrier_note_save,
    carrier_route,
    carrier_update_private,
)
from vault.forms_carriers import CarrierNoteForm, PrivateCarrierForm


def _int(value: str | None) -> int | None:
    try:
        return int(value) if value else None
    except (TypeError, ValueError):
        return None


@require_GET
@agency_view
def carrier_list(request, agency):
    q = (request.GET.get("q") or "").replace("\x00", "")[:100]
    carriers = selectors.carrier_directory(agency=agency, q=q)
    return render(request, "vault/carriers/list.html", {"carriers": carriers, "q": q})


@require_http_methods(["GET", "POST"])
@agency_view
def carrier_detail(request, agency, carrier_id: int):
    carrier = selectors.carrier_get(agency=agency, carrier_id=carrier_id)
    note = carrier_note_get(agency=agency, carrier=carrier)
    note_form = CarrierNoteForm(instance=note)
    private_form = PrivateCarrierForm(instance=carrier) if carrier.is_private else None
    if request.method == "POST":
        if request.POST.get("form") == "private" and carrier.is_private:
            private_form = PrivateCarrierForm(request.POST, instance=carrier)
            if private_form.is_valid():
                try:
                    carrier_update_private(
                        agency=agency, carrier=carrier, **private_form.cleaned_data
                    )
                except ValidationError as exc:
                    private_form.add_error(None, exc)
                else:
                    messages.success(request, "Carrier saved.")
                    return redirect("vault:carrier_detail", carrier_id=carrier.pk)
        else:
            note_form = CarrierNoteForm(request.POST, instance=note)
            if note_form.is_valid():
                try:
                    carrier_note_save(agency=agency, carrier=carrier, **note_form.cleaned_data)
                except ValidationError as exc:
                    note_form.add_error(None, exc)
                else:
                    messages.success(request, "Your agency's notes for this carrier are saved.")
                    return redirect("vault:carrier_detail", carrier_id=carrier.pk)
    return render(
        request,
        "vault/carriers/detail.html",
        {
            "carrier": carrier,
            "route": carrier_route(agency=agency, carrier=carrier, note=note),
            "note_form": note_form,
            "private_form": private_form,
        },
    )


@require_GET
@agency_view
def carrier_route_snippet(request, agency):
    """The Builder's "where the request will go" box for the picked carrier (htmx)."""
    carrier_id = _int(request.GET.get("carrier"))
    route = None
    if carrier_id:
        carrier = selectors.carrier_get(agency=agency, carrier_id=carrier_id)
        route = carrier_route(agency=agency, carrier=carrier)
    return render(request, "vault/carriers/_route.html", {"route": route})
