"""Views of accounts: parse the input, call one service or selector, respond."""

from __future__ import annotations

import dataclasses

from django.conf import settings
from django.contrib import messages
from django.contrib.auth import login, update_session_auth_hash
from django.core.exceptions import ValidationError
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render, resolve_url
from django.views.decorators.http import require_http_methods, require_POST

from accounts import rate_limits, selectors, services
from accounts import signup as signup_flow
from accounts.decorators import agency_member_required, agency_owner_required
from accounts.forms import (
    InvitationAcceptForm,
    InviteForm,
    SignupFinishForm,
    SignupForm,
)

SESSION_BACKEND = "accounts.backends.UserBackend"


def landing_url() -> str:
    """Where a newly signed-in person lands: LOGIN_REDIRECT_URL (today's work)."""
    return resolve_url(settings.LOGIN_REDIRECT_URL)


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
            rate_limits.check(request, action="signup", address=data["email"])
        except rate_limits.RateLimited as exc:
            form.add_error(None, str(exc))
            return render(request, "accounts/signup.html", {"form": form}, status=exc.status)
        try:
            signup_flow.signup_start(**data)
        except ValidationError as exc:
            _add_service_errors(form, exc)
        else:
            request.session["signup_email"] = data["email"]
            return redirect("accounts:signup_sent")
    return render(request, "accounts/signup.html", {"form": form})


@require_http_methods(["GET"])
def signup_sent(request: HttpRequest) -> HttpResponse:
    """The same answer whether or not the address has an account."""
    email = request.session.get("signup_email", "")
    return render(request, "accounts/signup_sent.html", {"email": email})


@require_http_methods(["GET", "POST"])
def signup_finish(request: HttpRequest, token: str) -> HttpResponse:
    if request.user.is_authenticated:
        return redirect(landing_url())
    try:
        details = signup_flow.signup_from_token(token)
    except signup_flow.SignupInvalid as exc:
        return render(
            request, "accounts/signup_invalid.html", {"reason": str(exc)}, status=exc.status
        )
    form = SignupFinishForm(_post_data(request), email=details.email, full_name=details.full_name)
    if request.method == "POST" and form.is_valid():
        try:
            user = services.agency_signup(
                **dataclasses.asdict(details), password=form.cleaned_data["password1"]
            )
        except ValidationError as exc:
            _add_service_errors(form, exc)
        else:
            login(request, user, backend=SESSION_BACKEND)
            request.session.pop("signup_email", None)
            messages.success(
                request,
                f"Welcome! {user.agency.name} is ready. Invite your colleagues from the Agency page.",
            )
            return redirect(landing_url())
    return render(request, "accounts/signup_finish.html", {"form": form, "details": details})


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
            rate_limits.check(request, action="invitation", address=form.cleaned_data["email"])
        except rate_limits.RateLimited as exc:
            form.add_error(None, str(exc))
            return render(request, "accounts/invite.html", {"form": form}, status=exc.status)
        try:
            invitation = services.invitation_create(
                agency=request.agency,
                invited_by=request.user,
                email=form.cleaned_data["email"],
                role=form.cleaned_data["role"],
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


@agency_member_required
@require_POST
def digest_preference(request: HttpRequest) -> HttpResponse:
    """The signed-in person's weekly digest: on or off (a checkbox on the Team page)."""
    enabled = request.POST.get("weekly_digest") == "on"
    services.user_digest_set(user=request.user, enabled=enabled)
    messages.success(
        request,
        "You will get the weekly digest on Mondays."
        if enabled
        else "You will no longer get the weekly digest.",
    )
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
        if member.pk == request.user.pk:  # an owner stepping down stays signed in here
            update_session_auth_hash(request, member)
        article = "an owner" if member.is_agency_owner else "a member"
        messages.success(request, f"{member.get_full_name()} is now {article}.")
    return redirect("accounts:team")
