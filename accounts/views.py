"""Views of accounts: parse the input, call one service or selector, respond."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth import login
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import NoReverseMatch, reverse
from django.views.decorators.http import require_http_methods, require_POST

from accounts import selectors, services
from accounts.decorators import agency_member_required, agency_owner_required
from accounts.forms import (
    AgencySettingsForm,
    ClosedDayForm,
    InvitationAcceptForm,
    InviteForm,
    SignupForm,
)

SESSION_BACKEND = "django.contrib.auth.backends.ModelBackend"


def landing_url() -> str:
    """Where a newly signed-in person lands: today's work, or the agency settings."""
    try:
        return reverse("vault:today")
    except NoReverseMatch:
        return reverse("accounts:settings")


def _post_data(request: HttpRequest):
    """The submitted data, or None on GET (an empty POST still binds the form)."""
    return request.POST if request.method == "POST" else None


def _add_service_errors(form, exc: ValidationError) -> None:
    if hasattr(exc, "error_dict"):
        for field, errors in exc.error_dict.items():
            form.add_error(field if field in form.fields else None, errors)
    else:
        form.add_error(None, exc)


# Sign-up and invitations (no agency yet) ---------------------------------------------------


@require_http_methods(["GET", "POST"])
def signup(request: HttpRequest) -> HttpResponse:
    if request.user.is_authenticated:
        return redirect(landing_url())
    form = SignupForm(_post_data(request))
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            user = services.agency_signup(
                agency_name=data["agency_name"],
                full_name=data["full_name"],
                email=data["email"],
                password=data["password1"],
                state=data["state"],
                time_zone=data["time_zone"],
            )
        except ValidationError as exc:
            _add_service_errors(form, exc)
        else:
            login(request, user, backend=SESSION_BACKEND)
            messages.success(
                request,
                f"Welcome! {user.agency.name} is ready. Invite your colleagues from the Agency page.",
            )
            return redirect(landing_url())
    return render(request, "accounts/signup.html", {"form": form})


@require_http_methods(["GET", "POST"])
def invitation_accept(request: HttpRequest, token: str) -> HttpResponse:
    if request.user.is_authenticated:
        return render(request, "accounts/invitation_signed_in.html")
    try:
        invitation = services.invitation_from_token(token)
    except services.InvitationInvalid as exc:
        return _invitation_invalid(request, exc)
    form = InvitationAcceptForm(_post_data(request), email=invitation.email)
    if request.method == "POST" and form.is_valid():
        try:
            user = services.invitation_accept(
                invitation=invitation,
                full_name=form.cleaned_data["full_name"],
                password=form.cleaned_data["password1"],
            )
        except services.InvitationInvalid as exc:
            return _invitation_invalid(request, exc)
        except ValidationError as exc:
            _add_service_errors(form, exc)
        else:
            login(request, user, backend=SESSION_BACKEND)
            messages.success(request, f"Welcome to {invitation.agency.name}!")
            return redirect(landing_url())
    return render(
        request, "accounts/invitation_accept.html", {"form": form, "invitation": invitation}
    )


def _invitation_invalid(request: HttpRequest, exc: services.InvitationInvalid) -> HttpResponse:
    return render(
        request, "accounts/invitation_invalid.html", {"reason": str(exc)}, status=exc.status
    )


# Team --------------------------------------------------------------------------------------


@agency_member_required
@require_http_methods(["GET"])
def team(request: HttpRequest) -> HttpResponse:
    agency = request.agency
    context = {
        "members": selectors.members_active(agency=agency),
        "removed": selectors.members_removed(agency=agency),
        "invitations": selectors.invitations_open(agency=agency),
        "is_owner": request.user.is_agency_owner,
    }
    return render(request, "accounts/team.html", context)


@agency_owner_required
@require_http_methods(["GET", "POST"])
def invite(request: HttpRequest) -> HttpResponse:
    form = InviteForm(_post_data(request))
    if request.method == "POST" and form.is_valid():
        try:
            invitation = services.invitation_create(
                agency=request.agency, invited_by=request.user, email=form.cleaned_data["email"]
            )
        except ValidationError as exc:
            _add_service_errors(form, exc)
        else:
            messages.success(
                request, f"Invitation to {invitation.email} created; its e-mail is on its way."
            )
            return redirect("accounts:team")
    return render(request, "accounts/invite.html", {"form": form})


@agency_owner_required
@require_POST
def invitation_revoke(request: HttpRequest, invitation_id: int) -> HttpResponse:
    invitation = selectors.invitation_get(agency=request.agency, invitation_id=invitation_id)
    try:
        services.invitation_revoke(agency=request.agency, invitation=invitation)
    except ValidationError as exc:
        messages.error(request, " ".join(exc.messages))
    else:
        messages.success(request, f"The invitation to {invitation.email} was withdrawn.")
    return redirect("accounts:team")


@agency_owner_required
@require_POST
def member_remove(request: HttpRequest, user_id: int) -> HttpResponse:
    member = selectors.member_get(agency=request.agency, user_id=user_id)
    try:
        services.member_remove(agency=request.agency, actor=request.user, user=member)
    except ValidationError as exc:
        messages.error(request, " ".join(exc.messages))
    else:
        messages.success(request, f"{member.get_full_name()} can no longer sign in.")
    return redirect("accounts:team")


@agency_owner_required
@require_POST
def member_restore(request: HttpRequest, user_id: int) -> HttpResponse:
    member = selectors.member_get(agency=request.agency, user_id=user_id)
    services.member_restore(agency=request.agency, actor=request.user, user=member)
    messages.success(request, f"{member.get_full_name()} can sign in again.")
    return redirect("accounts:team")


@agency_owner_required
@require_POST
def member_role(request: HttpRequest, user_id: int) -> HttpResponse:
    member = selectors.member_get(agency=request.agency, user_id=user_id)
    role = request.POST.get("role", "")
    try:
        services.member_set_role(agency=request.agency, actor=request.user, user=member, role=role)
    except ValidationError as exc:
        messages.error(request, " ".join(exc.messages))
    else:
        article = "an owner" if member.is_agency_owner else "a member"
        messages.success(request, f"{member.get_full_name()} is now {article}.")
    return redirect("accounts:team")


# Agency settings ---------------------------------------------------------------------------


def _long_date(day) -> str:
    return f"{day:%A, %B} {day.day}, {day.year}"


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
            changed = services.agency_settings_update(agency=request.agency, **form.cleaned_data)
        except ValidationError as exc:
            _add_service_errors(form, exc)
        else:
            if set(changed) & set(services.SCHEDULE_FIELDS):
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
            day = services.closed_day_add(
                agency=request.agency,
                date=form.cleaned_data["date"],
                reason=form.cleaned_data["reason"],
            )
        except ValidationError as exc:
            _add_service_errors(form, exc)
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
    services.closed_day_remove(agency=request.agency, closed_day=day)
    messages.success(request, f"{_long_date(day.date)} is a business day again.")
    return redirect("accounts:settings")
