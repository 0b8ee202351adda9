"""Removing a member: first ask who takes over their open requests, then remove them.

Served under the accounts URL names (tracker/urls_settings.py composes that namespace):
accounts sits below the vault and cannot reassign requests itself.
"""

from __future__ import annotations

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.shortcuts import redirect, render
from django.views.decorators.http import require_http_methods

from accounts import selectors as account_selectors
from accounts.decorators import agency_owner_required
from vault import services_team
from vault.forms_team import HandoverForm


@agency_owner_required
@require_http_methods(["GET", "POST"])
def member_remove(request, user_id: int):
    agency = request.agency
    member = account_selectors.member_get(agency=agency, user_id=user_id)
    open_count = services_team.open_requests_of(agency=agency, user=member).count()
    successors = account_selectors.members_active(agency=agency).exclude(pk=member.pk)
    form = HandoverForm(
        request.POST if request.method == "POST" else None,
        successors=successors,
        needed=bool(open_count),
        initial={"successor": request.user.pk if request.user.pk != member.pk else None},
    )
    if request.method == "POST" and form.is_valid():
        try:
            moved = services_team.member_remove_with_handover(
                agency=agency,
                actor=request.user,
                user=member,
                successor=form.cleaned_data.get("successor"),
            )
        except ValidationError as exc:
            if hasattr(exc, "error_dict") and "successor" in exc.error_dict:
                form.add_error("successor", exc.error_dict["successor"])
            else:
                messages.error(request, " ".join(exc.messages))
                return redirect("accounts:team")
        else:
            taken = form.cleaned_data.get("successor")
            handed = (
                f" {moved} open request{'s' if moved != 1 else ''} went to {taken.get_full_name()}."
                if moved
                else ""
            )
            messages.success(request, f"{member.get_full_name()} can no longer sign in.{handed}")
            return redirect("accounts:team")
    return render(
        request,
        "vault/member_remove.html",
        {"member": member, "open_count": open_count, "form": form},
    )
