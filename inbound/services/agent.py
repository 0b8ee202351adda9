"""The agent's answers to a reply on the request's page: undo "received", acknowledge."""

from __future__ import annotations

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone

from accounts.models import Agency, User
from accounts.tenancy import scoped
from inbound.models import InboundMessage
from vault.authorization import history_reason
from vault.derived import request_derived_refresh
from vault.models import Document, LossRunRequest
from vault.scheduling import schedule_refresh


def undo_errors(*, message: InboundMessage) -> list[str]:
    """Why "received" set by this message cannot be undone now (empty when it can)."""
    if message.marked_received_on is None:
        return ["This reply did not mark the request received."]
    if message.received_undone_at is not None:
        return ["This was already undone."]
    req = message.request
    if req is None or req.received_on != message.marked_received_on:
        return ["The received date was changed since: correct it on the request's form."]
    return []


@transaction.atomic
def reply_received_undo(*, agency: Agency, message: InboundMessage, user: User) -> InboundMessage:
    """The attachment was not the loss runs: clear the received date this reply set (the
    tracker's notices come back), re-file its loss-run documents as "Other", and flag the
    reply for attention."""
    row = scoped(InboundMessage.objects.select_for_update(), agency).get(pk=message.pk)
    req = scoped(LossRunRequest.objects.select_for_update(), agency).get(pk=row.request_id)
    row.request = req
    errors = undo_errors(message=row)
    if errors:
        raise ValidationError(errors)
    req.received_on = None
    req._history_user = user
    req._change_reason = history_reason(f"Undid received: {row.subject or 'the carrier reply'}")
    req.save(update_fields=["received_on", "updated_at"])
    schedule_refresh(req)
    request_derived_refresh(req)
    scoped(Document, agency).filter(
        pk__in=row.documents.values("pk"), kind=Document.Kind.LOSS_RUN
    ).update(kind=Document.Kind.OTHER)
    row.received_undone_at = timezone.now()
    row.needs_attention = True
    row.acknowledged_at = None
    row.actions = [*row.actions, f"{user.get_full_name() or user.email} undid received"]
    row.save(update_fields=["received_undone_at", "needs_attention", "acknowledged_at", "actions"])
    return row


@transaction.atomic
def reply_acknowledge(*, agency: Agency, message: InboundMessage, user: User) -> InboundMessage:
    """The agent has seen the reply: the request no longer shows "needs attention"."""
    row = scoped(InboundMessage.objects.select_for_update(), agency).get(pk=message.pk)
    if row.needs_attention:
        row.needs_attention = False
        row.acknowledged_at = timezone.now()
        row.acknowledged_by = user
        row.save(update_fields=["needs_attention", "acknowledged_at", "acknowledged_by"])
    return row
