"""The escalation kit on the ticket's thread (installed into escalation.ticket_port)."""

from __future__ import annotations

from collections.abc import Sequence

from django.db import transaction
from django.utils import timezone

from accounts.tenancy import scoped
from helpdesk.models import Ticket, TicketEvent, TicketMessage
from helpdesk.services.trail import event_record, ticket_touch
from vault.models import Document, LossRunRequest


@transaction.atomic
def ticket_kit_note(
    *, request: LossRunRequest, body: str, documents: Sequence[Document]
) -> int | None:
    """Post the kit on the request's open ticket: a public message by the product with the
    PDFs attached, seen by staff and the agency. No e-mail (the agency gets the kit's own)
    and no first response (no person answered). Returns the ticket's id, or None when no
    ticket is open for the request."""
    ticket = (
        scoped(Ticket, request.agency)
        .filter(request=request, status__in=Ticket.OPEN_STATUSES)
        .first()
    )
    if ticket is None:
        return None
    now = timezone.now()
    msg = TicketMessage.objects.create(
        agency_id=ticket.agency_id,
        ticket=ticket,
        author=None,
        from_staff=False,
        by_product=True,
        body=body,
        created_at=now,
    )
    msg.documents.add(*documents)
    ticket_touch(ticket, now)
    event_record(
        ticket,
        actor=None,
        action=TicketEvent.Action.MESSAGE,
        detail=f"Escalation kit posted by the product: message #{msg.pk}",
    )
    return ticket.pk
