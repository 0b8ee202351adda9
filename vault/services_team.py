"""Ownership writes across requests: handing a leaving member's open requests to a colleague.

Accounts sits below the vault, so removing a member who owns requests is orchestrated
here: the open requests change hands and the member is removed in one transaction.
"""

from __future__ import annotations

from django.core.exceptions import ValidationError
from django.db import transaction

from accounts import services as account_services
from accounts.models import Agency, User
from accounts.tenancy import scoped
from vault.models import LossRunRequest
from vault.rules import owner_errors

SUCCESSOR_MESSAGE = "Choose who takes over the open requests."


def open_requests_of(*, agency: Agency, user: User):
    """The member's open requests (not received yet): what someone must take over."""
    return scoped(LossRunRequest, agency).filter(owner=user, received_on__isnull=True)


@transaction.atomic
def requests_hand_over(*, agency: Agency, from_user: User, to_user: User) -> int:
    """Give every open request of `from_user` to `to_user`; returns how many moved."""
    errors = owner_errors(agency=agency, owner=to_user)
    if errors:
        raise ValidationError(errors)
    if from_user.agency_id != agency.pk:
        raise ValueError("User of another agency.")
    return open_requests_of(agency=agency, user=from_user).update(owner=to_user)


@transaction.atomic
def member_remove_with_handover(
    *, agency: Agency, actor: User, user: User, successor: User | None
) -> int:
    """Remove a member; their open requests go to `successor` first (all or nothing).

    `successor` may be None only when the member owns no open request. Returns how many
    requests changed hands.
    """
    moved = 0
    if open_requests_of(agency=agency, user=user).exists():
        if successor is None:
            raise ValidationError({"successor": [SUCCESSOR_MESSAGE]})
        if successor.pk == user.pk:
            raise ValidationError({"successor": ["Choose someone other than the leaving member."]})
        moved = requests_hand_over(agency=agency, from_user=user, to_user=successor)
    account_services.member_remove(agency=agency, actor=actor, user=user)
    return moved
