"""The audit trail of a ticket and its status moves: every change writes a TicketEvent and
puts it into the agency's next e-mail (helpdesk.services.updates)."""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence

from django.core.exceptions import ValidationError
from django.utils import timezone

from accounts.models import User
from accounts.tenancy import scoped
from helpdesk import rules
from helpdesk.models import (
    CommonMistake,
    Ticket,
    TicketEvent,
)
from helpdesk.services import updates
from tracker.schedule import request_helpdesk_hold
from vault.models import LossRunRequest

Status = Ticket.Status
Action = TicketEvent.Action


def event_record(
    ticket: Ticket,
    *,
    actor: User | None,
    action: str,
    from_status: str = "",
    to_status: str = "",
    detail: str = "",
) -> TicketEvent:
    return TicketEvent.objects.create(
        agency_id=ticket.agency_id,
        ticket=ticket,
        actor=actor,
        action=action,
        from_status=from_status,
        to_status=to_status,
        detail=detail,
    )


def is_staff_actor(ticket: Ticket, user: User | None) -> bool:
    return user is not None and user.is_staff and user.agency_id != ticket.agency_id


def tracker_hold(request: LossRunRequest) -> None:
    """The tracker stays quiet while the request has an open ticket, and resumes after."""
    open_ticket = (
        scoped(Ticket, request.agency)
        .filter(request=request, status__in=Ticket.OPEN_STATUSES)
        .exists()
    )
    request_helpdesk_hold(request=request, ticket_open=open_ticket)


def ticket_touch(ticket: Ticket, now: dt.datetime, *fields: str) -> None:
    ticket.updated_at = now
    ticket.save(update_fields=["updated_at", *fields])


def ticket_move(
    ticket: Ticket,
    *,
    to: str,
    actor: User | None,
    action: str,
    detail: str = "",
    reasons: Sequence[CommonMistake] = (),
) -> TicketEvent:
    """Change the status in memory and save; record the event (with its reasons); queue the
    agency's e-mail in the outbox, in this transaction."""
    now = timezone.now()
    previous = ticket.status
    ticket.status = to
    fields = ["status"]
    if to in Ticket.CLOSED_STATUSES:
        ticket.closed_at = now
        fields.append("closed_at")
    elif ticket.closed_at is not None:
        ticket.closed_at = None
        fields.append("closed_at")
    if to != Status.WAITING_ON_AGENCY and ticket.waiting_for:
        ticket.waiting_for = ""
        fields.append("waiting_for")
    if is_staff_actor(ticket, actor) and ticket.first_responded_at is None:
        ticket.first_responded_at = now
        fields.append("first_responded_at")
    ticket_touch(ticket, now, *fields)
    tracker_hold(ticket.request)
    event = event_record(
        ticket, actor=actor, action=action, from_status=previous, to_status=to, detail=detail
    )
    if reasons:
        event.reasons.add(*reasons, through_defaults={"agency_id": ticket.agency_id})
    agency_hears_of(ticket, event)
    return event


def agency_hears_of(ticket: Ticket, event: TicketEvent) -> None:
    """Put the event into the agency's next e-mail, unless it is the agency's own doing."""
    by_agency = event.actor is not None and event.actor.agency_id == ticket.agency_id
    if rules.agency_hears_of(action=event.action, by_agency=by_agency):
        updates.agency_update_add(ticket=ticket, event=event)


def errors_merge(errors: rules.Errors, more: rules.Errors) -> None:
    for name, messages in more.items():
        errors.setdefault(name, []).extend(messages)


def errors_raise(errors: rules.Errors) -> None:
    if errors:
        raise ValidationError(errors)
