"""The next-step card's own form: the tracking dates saved alone (htmx, or a plain POST)."""

from __future__ import annotations

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.shortcuts import redirect, render
from django.urls import reverse
from django.views.decorators.http import require_POST

from accounts.decorators import agency_view
from vault import selectors
from vault.forms_tracking import TrackingDatesForm
from vault.request_page import request_page_context
from vault.services_tracking import request_dates_update
from vault.views import edit_page


def _card(request, agency, req, *, dates_form=None, notice: str = ""):
    context = request_page_context(request, agency, req, dates_form=dates_form)
    context.update({"req": req, "notice": notice})
    return render(request, "vault/_next_step.html", context)


@require_POST
@agency_view
def request_dates(request, agency, request_id: int):
    req = selectors.request_get_for_edit(agency=agency, request_id=request_id)
    form = TrackingDatesForm(request.POST, agency=agency, current=req)
    if form.is_valid():
        try:
            request_dates_update(agency=agency, request=req, user=request.user, **form.cleaned_data)
        except ValidationError as exc:
            for name, errors in exc.message_dict.items():
                form.add_error(name if name in form.fields else None, errors)
        else:
            notice = "Dates saved. The tracker follows them from now on."
            if not request.htmx:
                messages.success(request, notice)
                return redirect(reverse("vault:request_edit", args=[req.pk]) + "#next-step")
            req = selectors.request_get_for_edit(agency=agency, request_id=request_id)
            return _card(request, agency, req, notice=notice)
    if request.htmx:
        return _card(request, agency, req, dates_form=form)
    return edit_page(request, agency, req, dates_form=form)
