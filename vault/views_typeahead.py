"""The Request Builder's htmx helpers: type-ahead search for insureds and carriers, and
the small add forms that create one and choose it (the dropdown offers "+ Add ...")."""

from __future__ import annotations

import json
import secrets

from django.core.exceptions import ValidationError
from django.http import HttpResponse
from django.shortcuts import render
from django.views.decorators.http import require_GET, require_POST

from accounts.decorators import agency_view
from vault import selectors, services
from vault.forms import CarrierInlineForm, InsuredInlineForm


def _query(request, name: str) -> str:
    text = request.GET.get("q") or request.GET.get(f"{name}_q") or ""
    return text.replace("\x00", "")[:100]  # PostgreSQL text cannot hold NUL


@require_GET
@agency_view
def insured_search(request, agency):
    q = _query(request, "insured")
    results = selectors.insured_search(agency=agency, q=q)
    options = [
        {"id": i.pk, "label": str(i), "detail": i.get_state_display() if i.state else ""}
        for i in results
    ]
    return render(
        request,
        "vault/_typeahead.html",
        {
            "field": "insured",
            "options": options,
            "q": q.strip(),
            "noun": "insured",
            "add_noun": "a new insured",
        },
    )


@require_GET
@agency_view
def carrier_search(request, agency):
    q = _query(request, "carrier")
    results = selectors.carrier_search(agency=agency, q=q)
    options = [
        {
            "id": c.pk,
            "label": str(c),
            "detail": "Your agency's private carrier" if c.is_private else c.group_name,
        }
        for c in results
    ]
    return render(
        request,
        "vault/_typeahead.html",
        {
            "field": "carrier",
            "options": options,
            "q": q.strip(),
            "noun": "carrier",
            "add_noun": "a private carrier",
        },
    )


def _fresh_auto_id() -> str:
    """Field ids for an htmx-swapped inline form that differ from the ones on the page, so
    htmx's settle step never copies a `style` attribute across (CSP forbids inline style)."""
    return f"id_%s_{secrets.token_hex(3)}"


def _picked_response(
    request, template: str, context: dict, field: str, obj, note: str
) -> HttpResponse:
    """The emptied add form; the page chooses the new row and folds the form (vault.js)."""
    response = render(request, template, context)
    response["HX-Trigger"] = json.dumps(
        {"vault:picked": {"field": field, "id": obj.pk, "label": str(obj), "note": note}}
    )
    return response


@require_POST
@agency_view
def insured_create_inline(request, agency):
    form = InsuredInlineForm(request.POST, prefix="ni", auto_id=_fresh_auto_id())
    if form.is_valid():
        try:
            insured = services.insured_create(agency=agency, **form.cleaned_data)
        except ValidationError as exc:
            form.add_error(None, exc)
        else:
            return _picked_response(
                request,
                "vault/_insured_inline.html",
                {
                    "insured_form": InsuredInlineForm(prefix="ni", auto_id=_fresh_auto_id()),
                    "created": insured,
                },
                "insured",
                insured,
                f"Added {insured} and chose it for this request.",
            )
    return render(request, "vault/_insured_inline.html", {"insured_form": form})


@require_POST
@agency_view
def carrier_create_inline(request, agency):
    form = CarrierInlineForm(request.POST, prefix="nc", auto_id=_fresh_auto_id())
    if form.is_valid():
        try:
            carrier = services.carrier_create_private(agency=agency, **form.cleaned_data)
        except ValidationError as exc:
            form.add_error(None, exc)
        else:
            return _picked_response(
                request,
                "vault/_carrier_inline.html",
                {
                    "carrier_form": CarrierInlineForm(prefix="nc", auto_id=_fresh_auto_id()),
                    "created": carrier,
                },
                "carrier",
                carrier,
                f"Added {carrier} (private to your agency) and chose it for this request.",
            )
    return render(request, "vault/_carrier_inline.html", {"carrier_form": form})
