"""Help-desk e-mails. Called on commit with ids; each reloads what it needs and sends once.

Agency e-mails carry only public content: a status change with its public note and
reasons, or a public staff message. Internal notes are never loaded here.
"""

from __future__ import annotations

from django.conf import settings
from django.core.mail import EmailMultiAlternatives
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import timezone

from helpdesk.models import Ticket, TicketEvent, TicketMessage

_TICKET_RELATED = ("agency", "request__insured", "request__carrier", "submitted_by")


def _abs(path: str) -> str:
    return f"{settings.SITE_URL}{path}"


def agency_recipients(ticket: Ticket) -> list[str]:
    """The submitter plus the agency's copy addresses (the agency's address when no submitter)."""
    out: list[str] = []
    if ticket.submitted_by is not None and ticket.submitted_by.is_active:
        out.append(ticket.submitted_by.email)
    out.extend(ticket.agency.copy_address_list)
    if not out and ticket.agency.email:
        out.append(ticket.agency.email)
    seen: set[str] = set()
    return [a for a in out if not (a.lower() in seen or seen.add(a.lower()))]


def _send(*, subject: str, to: list[str], template: str, context: dict) -> None:
    if not to:
        return
    text = render_to_string(f"emails/helpdesk/{template}.txt", context)
    html = render_to_string(f"emails/helpdesk/{template}.html", context)
    msg = EmailMultiAlternatives(subject=subject, body=text, to=to)
    msg.attach_alternative(html, "text/html")
    msg.send()


def _ticket_context(ticket: Ticket) -> dict:
    return {
        "ticket": ticket,
        "req": ticket.request,
        "ticket_url": _abs(reverse("helpdesk:ticket_detail", args=[ticket.pk])),
        "admin_url": _abs(reverse("admin:helpdesk_ticket_change", args=[ticket.pk])),
    }


def send_agency_status_change(*, event_id: int) -> None:
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
    _send(
        subject=f"Help desk ticket #{ticket.pk}: {context['status_label']} ({ticket.request.insured})",
        to=agency_recipients(ticket),
        template="agency_status",
        context=context,
    )


def send_agency_message(*, message_id: int) -> None:
    msg = TicketMessage.objects.select_related(*(f"ticket__{r}" for r in _TICKET_RELATED)).get(
        pk=message_id
    )
    if msg.is_internal:  # defensive: internal notes never leave the admin
        return
    ticket = msg.ticket
    _send(
        subject=f"Help desk ticket #{ticket.pk}: new message ({ticket.request.insured})",
        to=agency_recipients(ticket),
        template="agency_message",
        context=_ticket_context(ticket) | {"message": msg, "documents": list(msg.documents.all())},
    )


def send_helpdesk_new_ticket(*, ticket_id: int) -> None:
    ticket = Ticket.objects.select_related(*_TICKET_RELATED).get(pk=ticket_id)
    _send(
        subject=f"New help desk ticket #{ticket.pk}: {ticket.request.insured} / {ticket.request.carrier}",
        to=[settings.HELPDESK_EMAIL],
        template="staff_new_ticket",
        context=_ticket_context(ticket)
        | {"policies": list(ticket.request.policies.all()), "message": ticket.messages.first()},
    )


def send_helpdesk_agency_reply(*, message_id: int) -> None:
    msg = TicketMessage.objects.select_related(
        "author", *(f"ticket__{r}" for r in _TICKET_RELATED)
    ).get(pk=message_id)
    ticket = msg.ticket
    _send(
        subject=f"Agency reply on ticket #{ticket.pk}: {ticket.request.insured}",
        to=[settings.HELPDESK_EMAIL],
        template="staff_agency_reply",
        context=_ticket_context(ticket) | {"message": msg, "documents": list(msg.documents.all())},
    )
