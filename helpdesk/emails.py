"""Help-desk e-mails, queued in the outbox inside the caller's transaction.

Each takes ids, reloads what it needs and creates one outbox row; delivery happens later
in a worker, so an SMTP error never reaches the web request. Agency e-mails carry only
public content: a status change with its public note and reasons, or a public staff
message. Internal notes are never loaded here. Subjects carry the `[Agency]` prefix of
the deadline notices; the outbox keeps them on one line whatever the insured is called.
"""

from __future__ import annotations

from django.conf import settings
from django.urls import reverse
from django.utils import timezone

from accounts.selectors import agency_mail_recipients
from helpdesk.models import Ticket, TicketEvent, TicketMessage
from outbox.services import email_queue

_TICKET_RELATED = ("agency", "request__insured", "request__carrier", "submitted_by")


def _abs(path: str) -> str:
    return f"{settings.SITE_URL}{path}"


def agency_recipients(ticket: Ticket) -> list[str]:
    """The submitter and the agency's copy addresses (accounts' one rule for agency mail)."""
    return agency_mail_recipients(agency=ticket.agency, user=ticket.submitted_by)


def _subject(ticket: Ticket, text: str) -> str:
    return f"[{ticket.agency.name}] {text}"


def _to_agency(*, ticket: Ticket, kind: str, subject: str, template: str, context: dict) -> None:
    to = agency_recipients(ticket)
    if not to:
        return
    email_queue(
        kind=f"helpdesk.{kind}",
        to=to,
        subject=_subject(ticket, subject),
        template=f"helpdesk/{template}",
        context=context,
        agency=ticket.agency,
        about=ticket.request,
    )


def _to_helpdesk(*, ticket: Ticket, kind: str, subject: str, template: str, context: dict) -> None:
    """Platform mail to the help desk: no agency (agencies never see it), about the ticket."""
    email_queue(
        kind=f"helpdesk.{kind}",
        to=[settings.HELPDESK_EMAIL],
        subject=_subject(ticket, subject),
        template=f"helpdesk/{template}",
        context=context,
        about=ticket,
    )


def _ticket_context(ticket: Ticket) -> dict:
    return {
        "ticket": ticket,
        "req": ticket.request,
        "ticket_url": _abs(reverse("helpdesk:ticket_detail", args=[ticket.pk])),
        "admin_url": _abs(reverse("admin:helpdesk_ticket_change", args=[ticket.pk])),
        # Once received, the request page's next-step card opens the claims import.
        "request_url": _abs(reverse("vault:request_edit", args=[ticket.request_id])) + "#next-step",
    }


def queue_agency_status_change(*, event_id: int) -> None:
    event = TicketEvent.objects.select_related(*(f"ticket__{r}" for r in _TICKET_RELATED)).get(
        pk=event_id
    )
    ticket = event.ticket
    context = _ticket_context(ticket) | {
        "event": event,
        "reasons": list(event.reasons.all()),
        "status_label": Ticket.Status(event.to_status).label,
        "first_response_due": timezone.localtime(ticket.first_response_due_at, ticket.agency.tz),
    }
    _to_agency(
        ticket=ticket,
        kind="agency_status",
        subject=f"Help desk ticket #{ticket.pk}: {context['status_label']} ({ticket.request.insured})",
        template="agency_status",
        context=context,
    )


def queue_agency_message(*, message_id: int) -> None:
    msg = TicketMessage.objects.select_related(*(f"ticket__{r}" for r in _TICKET_RELATED)).get(
        pk=message_id
    )
    if msg.is_internal:  # defensive: internal notes never leave the admin
        return
    ticket = msg.ticket
    _to_agency(
        ticket=ticket,
        kind="agency_message",
        subject=f"Help desk ticket #{ticket.pk}: new message ({ticket.request.insured})",
        template="agency_message",
        context=_ticket_context(ticket) | {"message": msg, "documents": list(msg.documents.all())},
    )


def queue_helpdesk_new_ticket(*, ticket_id: int) -> None:
    ticket = Ticket.objects.select_related(*_TICKET_RELATED).get(pk=ticket_id)
    _to_helpdesk(
        ticket=ticket,
        kind="staff_new_ticket",
        subject=f"New help desk ticket #{ticket.pk}: {ticket.request.insured} / {ticket.request.carrier}",
        template="staff_new_ticket",
        context=_ticket_context(ticket)
        | {"policies": list(ticket.request.policies.all()), "message": ticket.messages.first()},
    )


def queue_helpdesk_agency_reply(*, message_id: int) -> None:
    msg = TicketMessage.objects.select_related(
        "author", *(f"ticket__{r}" for r in _TICKET_RELATED)
    ).get(pk=message_id)
    ticket = msg.ticket
    _to_helpdesk(
        ticket=ticket,
        kind="staff_agency_reply",
        subject=f"Agency reply on ticket #{ticket.pk}: {ticket.request.insured}",
        template="staff_agency_reply",
        context=_ticket_context(ticket) | {"message": msg, "documents": list(msg.documents.all())},
    )
