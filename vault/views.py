"""Vault pages: the Request Builder (Today and the vault list: vault/views_list.py).

Views parse, call one service or selector and respond. Every page runs on the agency's
wall clock (timezone.override) so dates and the 2nd-request time read as the agency's.
"""

from __future__ import annotations

import contextlib

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.http import Http404
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.http import url_has_allowed_host_and_scheme
from django.views.decorators.http import require_http_methods

from accounts.decorators import agency_view
from vault import selectors, services
from vault.carrier_directory import carrier_route
from vault.forms import (
    TRACKING_DATES,
    CarrierInlineForm,
    InsuredInlineForm,
    PolicyFormSet,
    RequestForm,
)
from vault.request_page import request_page_context


def _int(value: str | None) -> int | None:
    try:
        return int(value) if value not in (None, "") else None
    except (TypeError, ValueError):
        return None


# Request Builder ----------------------------------------------------------------------


def _initial_policies(req) -> list[dict]:
    return [
        {
            "id": p.pk,
            "policy_number": p.policy_number,
            "line_of_business": p.line_of_business,
            "term_start": p.term_start,
            "term_end": p.term_end,
        }
        for p in req.policies.all()
    ]


def _apply_service_errors(exc: ValidationError, form: RequestForm, formset) -> None:
    """Put a service's ValidationError on the matching fields, nothing lost."""
    if not hasattr(exc, "error_dict"):
        form.add_error(None, exc)
        return
    for name, errors in exc.error_dict.items():
        if name == "policies":
            formset._non_form_errors = formset.error_class(
                [m for e in errors for m in e.messages], error_class="nonform"
            )
        elif name in form.fields:
            form.add_error(name, errors)
        else:
            form.add_error(None, errors)


def _picked_labels(form: RequestForm) -> dict[str, str]:
    """The names shown in the typeahead boxes for the chosen insured and carrier."""
    labels = {}
    for name in ("insured", "carrier"):
        typed = form.data.get(f"{name}_q", "") if form.is_bound else ""
        obj = None
        if form.is_bound:
            obj = form.cleaned_data.get(name) if hasattr(form, "cleaned_data") else None
        else:
            obj = form.initial.get(name)
        labels[name] = str(obj) if obj is not None else typed
    return labels


def _picked_carrier(form: RequestForm):
    if form.is_bound:
        return getattr(form, "cleaned_data", {}).get("carrier")
    return form.initial.get("carrier")


def _builder_context(request, agency, form, formset, req=None) -> dict:
    carrier = _picked_carrier(form)
    return {
        "route": carrier_route(agency=agency, carrier=carrier) if carrier else None,
        "form": form,
        "formset": formset,
        "req": req,
        "labels": _picked_labels(form),
        "insured_form": InsuredInlineForm(prefix="ni"),
        "carrier_form": CarrierInlineForm(prefix="nc"),
    }


def _save_request(request, agency, form, formset, req=None):
    data = form.cleaned_data
    fields = {
        "agency": agency,
        "user": request.user,
        "insured": data["insured"],
        "carrier": data["carrier"],
        "policies": formset.policy_data(),
        "years_requested": data["years_requested"],
        "recipient_name": data["recipient_name"],
        "recipient_email": data["recipient_email"],
        "notes": data["notes"],
        # The edit page's dates are saved by the next-step card: keep the stored ones.
        **{name: data[name] if req is None else getattr(req, name) for name in TRACKING_DATES},
        "governing_state": data["governing_state"],
        "statute_condition_met": data["statute_condition_met"],
        "owner": data.get("owner"),
    }
    if req is None:
        return services.request_create(**fields)
    return services.request_update(request=req, **fields)


@require_http_methods(["GET", "POST"])
@agency_view
def request_create(request, agency):
    if request.method == "POST":
        form = RequestForm(request.POST, agency=agency)
        formset = PolicyFormSet(request.POST, prefix="policies")
        if form.is_valid() and formset.is_valid():
            try:
                req = _save_request(request, agency, form, formset)
            except ValidationError as exc:
                _apply_service_errors(exc, form, formset)
            else:
                messages.success(
                    request,
                    f"Request saved for {req.insured}. Next: have the authorization signed "
                    "and send the 1st request to the carrier.",
                )
                return redirect("vault:request_edit", request_id=req.pk)
    else:
        initial = {
            "recipient_name": request.user.get_full_name(),
            "recipient_email": request.user.email,
            "owner": request.user,
        }
        insured_id = _int(request.GET.get("insured"))
        carrier_id = _int(request.GET.get("carrier"))
        if insured_id:
            with contextlib.suppress(Http404):
                initial["insured"] = selectors.insured_get(agency=agency, insured_id=insured_id)
        if carrier_id:
            with contextlib.suppress(Http404):
                initial["carrier"] = selectors.carrier_get(agency=agency, carrier_id=carrier_id)
        form = RequestForm(initial=initial, agency=agency)
        formset = PolicyFormSet(prefix="policies", initial=[{}])
    return render(
        request, "vault/request_form.html", _builder_context(request, agency, form, formset)
    )


def _safe_next(request) -> str | None:
    target = request.POST.get("next") or request.GET.get("next")
    if target and url_has_allowed_host_and_scheme(
        target, allowed_hosts={request.get_host()}, require_https=request.is_secure()
    ):
        return target
    return None


def _edit_form(agency, req) -> RequestForm:
    """The edit page's details form as stored (its dates are the next-step card's)."""
    fields = ("insured", "carrier", "years_requested", "recipient_name", "recipient_email")
    fields += ("notes", "governing_state", "statute_condition_met", "owner")
    return RequestForm(
        initial={name: getattr(req, name) for name in fields},
        agency=agency,
        current=req,
        with_dates=False,
    )


def edit_page(request, agency, req, *, form=None, formset=None, dates_form=None, status=200):
    """The request page: the next-step card, then the details form and the rest."""
    form = form or _edit_form(agency, req)
    formset = formset or PolicyFormSet(prefix="policies", initial=_initial_policies(req))
    context = _builder_context(request, agency, form, formset, req=req)
    context.update(request_page_context(request, agency, req, dates_form=dates_form))
    context["next"] = _safe_next(request) or ""
    return render(request, "vault/request_form.html", context, status=status)


@require_http_methods(["GET", "POST"])
@agency_view
def request_edit(request, agency, request_id: int):
    req = selectors.request_get_for_edit(agency=agency, request_id=request_id)
    if request.method != "POST":
        return edit_page(request, agency, req)
    form = RequestForm(request.POST, agency=agency, current=req, with_dates=False)
    formset = PolicyFormSet(request.POST, prefix="policies")
    if form.is_valid() and formset.is_valid():
        try:
            _save_request(request, agency, form, formset, req=req)
        except ValidationError as exc:
            _apply_service_errors(exc, form, formset)
        else:
            messages.success(request, f"Request for {req.insured} updated.")
            return redirect(_safe_next(request) or reverse("vault:list"))
    return edit_page(request, agency, req, form=form, formset=formset)
