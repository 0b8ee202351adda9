"""The agency settings page (under the accounts URL names): parse, call
tracker.agency_settings (which stores through accounts and re-times requests), respond."""

from __future__ import annotations

from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.views.decorators.http import require_http_methods, require_POST

from accounts import selectors
from accounts.decorators import agency_member_required, agency_owner_required
from accounts.forms import AgencySettingsForm, ClosedDayForm
from config.dates import human_date
from config.forms import add_service_errors
from tracker import agency_settings as settings_services


def _long_date(day) -> str:
    return f"{day:%A}, {human_date(day)}"


def _settings_page(request, *, form=None, closed_form=None) -> HttpResponse:
    agency = request.agency
    is_owner = request.user.is_agency_owner
    if is_owner and form is None:
        form = AgencySettingsForm(instance=agency)
    context = {
        "agency": agency,
        "is_owner": is_owner,
        "form": form,
        "closed_form": closed_form or (ClosedDayForm() if is_owner else None),
        "closed_days": selectors.closed_days(agency=agency),
    }
    return render(request, "accounts/settings.html", context)


@agency_member_required
@require_http_methods(["GET", "POST"])
def agency_settings(request: HttpRequest) -> HttpResponse:
    if request.method == "GET":
        return _settings_page(request)
    if not request.user.is_agency_owner:
        raise PermissionDenied("Only the agency's owner can change its settings.")
    form = AgencySettingsForm(request.POST)
    if form.is_valid():
        try:
            changed = settings_services.agency_settings_save(
                agency=request.agency, **form.cleaned_data
            )
        except ValidationError as exc:
            add_service_errors(form, exc)
        else:
            if settings_services.moves_deadlines(changed):
                messages.success(request, "Settings saved. Open requests were rescheduled.")
            elif changed:
                messages.success(request, "Settings saved.")
            else:
                messages.info(request, "Nothing changed.")
            return redirect("accounts:settings")
    return _settings_page(request, form=form)


@agency_owner_required
@require_POST
def closed_day_add(request: HttpRequest) -> HttpResponse:
    form = ClosedDayForm(request.POST)
    if form.is_valid():
        try:
            day = settings_services.agency_closed_day_add(
                agency=request.agency,
                date=form.cleaned_data["date"],
                reason=form.cleaned_data["reason"],
            )
        except ValidationError as exc:
            add_service_errors(form, exc)
        else:
            messages.success(
                request,
                f"{_long_date(day.date)} is now a closed day. Open requests were rescheduled.",
            )
            return redirect("accounts:settings")
    return _settings_page(request, closed_form=form)


@agency_owner_required
@require_POST
def closed_day_remove(request: HttpRequest, closed_day_id: int) -> HttpResponse:
    day = selectors.closed_day_get(agency=request.agency, closed_day_id=closed_day_id)
    settings_services.agency_closed_day_remove(agency=request.agency, closed_day=day)
    messages.success(request, f"{_long_date(day.date)} is a business day again.")
    return redirect("accounts:settings")
