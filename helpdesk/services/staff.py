"""Staff work a ticket: status, assignee, priority, return to the agency, resolve, escalate."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable

from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import UploadedFile
from django.db import transaction
from django.utils import timezone

from accounts.models import User
from config.dates import human_date
from helpdesk import rules
from helpdesk.models import (
    CommonMistake,
    Ticket,
    TicketEvent,
)
from helpdesk.services.submission import ticket_open_for_request
from helpdesk.services.trail import errors_raise, event_record, ticket_move, ticket_touch
from vault.documents import document_create
from vault.models import Document
from vault.services import request_record_received

Status = Ticket.Status
Action = TicketEvent.Action


@transaction.atomic
def ticket_set_status(
    *, ticket: Ticket, status: str, actor: User, note: str = ""
) -> TicketEvent | None:
    """Staff move a ticket to submitted, in review, escalated or closed: cannot pursue."""
    if status == ticket.status:
        return None
    if status == Status.RESOLVED_RECEIVED:
        raise ValidationError({"received_on": [rules.MISSING_RECEIVED_ON]})
    errors_raise(rules.status_change_errors(current=ticket.status, to=status))
    reopening = status in Ticket.OPEN_STATUSES and not ticket.is_open
    if reopening and ticket_open_for_request(request=ticket.request) is not None:
        raise ValidationError("The request already has another open ticket.")
    return ticket_move(ticket, to=status, actor=actor, action=Action.STATUS, detail=note.strip())


@transaction.atomic
def ticket_assign(*, ticket: Ticket, assignee: User | None, actor: User) -> TicketEvent | None:
    if assignee is not None and not assignee.is_staff:
        raise ValidationError("Only staff can be assigned.")
    if ticket.assignee_id == (assignee.pk if assignee else None):
        return None
    ticket.assignee = assignee
    ticket_touch(ticket, timezone.now(), "assignee")
    who = assignee.get_full_name() if assignee else "nobody"
    return event_record(ticket, actor=actor, action=Action.ASSIGNED, detail=f"Assigned to {who}.")


@transaction.atomic
def ticket_set_priority(*, ticket: Ticket, priority: str, actor: User) -> TicketEvent | None:
    if priority not in Ticket.Priority.values:
        raise ValidationError(f"Unknown priority {priority!r}.")
    if ticket.priority == priority:
        return None
    previous = ticket.get_priority_display()
    ticket.priority = priority
    ticket_touch(ticket, timezone.now(), "priority")
    return event_record(
        ticket,
        actor=actor,
        action=Action.PRIORITY,
        detail=f"Priority {previous} → {ticket.get_priority_display()}.",
    )


@transaction.atomic
def ticket_return_to_agency(
    *, ticket: Ticket, actor: User, reasons: Iterable[CommonMistake], note: str = ""
) -> TicketEvent:
    """Ask the agency to fix something. At least one Common Mistake must be the reason."""
    reasons = list(reasons)
    errors_raise(rules.return_reasons_errors(reasons))
    errors_raise(
        rules.status_change_errors(
            current=ticket.status, to=Status.WAITING_ON_AGENCY, via_return=True
        )
    )
    event = ticket_move(
        ticket,
        to=Status.WAITING_ON_AGENCY,
        actor=actor,
        action=Action.RETURNED,
        detail=note.strip(),
        reasons=reasons,
    )
    ticket.waiting_for = "; ".join(r.title for r in reasons)
    ticket.save(update_fields=["waiting_for"])
    return event


@transaction.atomic
def ticket_resolve_received(
    *,
    ticket: Ticket,
    actor: User,
    received_on: dt.date | None,
    note: str = "",
    loss_run_file: UploadedFile | None = None,
) -> TicketEvent:
    """The loss runs arrived: record the received date on the request (stops the tracker).

    `loss_run_file`: the loss runs staff obtained, kept on the request as its loss-run
    document; the request page then opens the claims import for it."""
    if ticket.status == Status.RESOLVED_RECEIVED:
        raise ValidationError("The ticket is already resolved.")
    errors_raise(
        rules.status_change_errors(
            current=ticket.status, to=Status.RESOLVED_RECEIVED, received_on=received_on
        )
    )
    assert received_on is not None  # the rule above refuses a missing date
    if received_on > timezone.localdate(timezone.now(), ticket.agency.tz):
        raise ValidationError({"received_on": ["The received date cannot be in the future."]})
    request_record_received(request=ticket.request, received_on=received_on, actor=actor)
    detail = f"Loss runs received on {human_date(received_on)}."
    if loss_run_file is not None:
        document = document_create(
            agency=ticket.agency,
            uploaded_by=actor,
            uploaded_file=loss_run_file,
            kind=Document.Kind.LOSS_RUN,
            request=ticket.request,
        )
        detail = f"{detail} The loss runs are on the request: {document.original_name}."
    if note.strip():
        detail = f"{detail} {note.strip()}"
    return ticket_move(
        ticket, to=Status.RESOLVED_RECEIVED, actor=actor, action=Action.RESOLVED, detail=detail
    )


@transaction.atomic
def ticket_staff_update(
    *,
    ticket: Ticket,
    actor: User,
    status: str,
    assignee: User | None,
    priority: str,
    received_on: dt.date | None = None,
    note: str = "",
    loss_run_file: UploadedFile | None = None,
) -> list[TicketEvent]:
    """The admin's change form: status, assignee and priority in one transaction.

    Any step that fails raises ValidationError and rolls back the steps before it, so the
    caller never reports half a change.
    """
    events: list[TicketEvent | None] = []
    if status != ticket.status:
        if status == Status.RESOLVED_RECEIVED:
            events.append(
                ticket_resolve_received(
                    ticket=ticket,
                    actor=actor,
                    received_on=received_on,
                    note=note,
                    loss_run_file=loss_run_file,
                )
            )
        else:
            events.append(ticket_set_status(ticket=ticket, status=status, actor=actor, note=note))
    events.append(ticket_assign(ticket=ticket, assignee=assignee, actor=actor))
    events.append(ticket_set_priority(ticket=ticket, priority=priority, actor=actor))
    return [e for e in events if e is not None]


@transaction.atomic
def ticket_escalation_letter_record(*, ticket: Ticket, actor: User) -> TicketEvent:
    """Audit that staff sent the escalation letter to the carrier.

    An explicit staff action (a POST from the ticket page): opening the PDF writes nothing.
    """
    ticket_touch(ticket, timezone.now())
    return event_record(
        ticket,
        actor=actor,
        action=Action.ESCALATION_LETTER,
        detail=f"Escalation letter to {ticket.request.carrier.legal_name}.",
    )
