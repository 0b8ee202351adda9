"""The help desk's triage queue: attach a message to the request it belongs to, or dismiss it.

Staff work across agencies (the admin), so the request they pick sets the agency. A message
refused for a forged or altered token can never be attached.
"""

from __future__ import annotations

from django.core.exceptions import ValidationError
from django.db import transaction

from accounts.models import User
from inbound.models import InboundMessage
from inbound.services.effects import apply_effects
from inbound.services.receive import raw_message
from vault.models import LossRunRequest

Status = InboundMessage.Status


def attach_errors(*, message: InboundMessage, request: LossRunRequest | None) -> list[str]:
    if message.status == Status.REFUSED:
        return ["This message was sent to a forged or altered address: it is never attached."]
    if message.status == Status.ATTACHED:
        return ["This message is already attached to a request."]
    if request is None:
        return ["Choose the request this message belongs to."]
    return []


@transaction.atomic
def triage_attach(
    *, message: InboundMessage, request: LossRunRequest | None, staff: User
) -> InboundMessage:
    """Attach a triaged (or unmatched) message to `request` and act on it as if it had been
    routed there: file its attachments, mark received or flag it, tell the agent."""
    row = InboundMessage.objects.select_for_update().get(pk=message.pk)  # tenancy: staff
    errors = attach_errors(message=row, request=request)
    if errors:
        raise ValidationError(errors)
    assert request is not None
    requests = LossRunRequest.objects.select_related("agency")  # tenancy: staff pick any agency's
    req = requests.select_related("insured", "carrier").get(pk=request.pk)
    row.request, row.agency = req, req.agency
    row.status = Status.ATTACHED
    row.routed_by = InboundMessage.Route.STAFF
    row.actions = [*row.actions, f"Attached by {staff.email} (help desk)"]
    row.save(update_fields=["request", "agency", "status", "routed_by", "actions"])
    apply_effects(row, raw_message(row))
    row.save(update_fields=["actions", "skipped", "needs_attention", "marked_received_on"])
    return row


@transaction.atomic
def triage_dismiss(*, message: InboundMessage, staff: User) -> InboundMessage:
    """Not for any request (spam, a misdirected e-mail): out of the queue, kept on record."""
    row = InboundMessage.objects.select_for_update().get(pk=message.pk)  # tenancy: staff
    if row.status == Status.ATTACHED:
        raise ValidationError("This message is attached to a request: it cannot be dismissed.")
    if row.status != Status.DISMISSED:
        row.status = Status.DISMISSED
        row.actions = [*row.actions, f"Dismissed by {staff.email} (help desk)"]
        row.save(update_fields=["status", "actions"])
    return row
