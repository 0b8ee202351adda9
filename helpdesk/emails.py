"""Help-desk e-mails, queued in the outbox inside the caller's transaction.

Each takes ids (or the AgencyUpdate being sent), reloads what it needs and creates one
outbox row; delivery happens later in a worker, so an SMTP error never reaches the web
request. Agency e-mails carry only public content: status changes with their public notes
and reasons, and public staff messages, merged per window (helpdesk.services.updates).
Internal notes are never loaded here. They go to the request's agent and the submitter
(and the agency's copy addresses). Subjects carry the `[Agency]` prefix of the deadline
notices; the outbox keeps them on one line whatever the insured is called.
"""

from __future__ import annotations

from django.conf import settings
from django.urls import reverse
from django.utils import timezone

from accounts.selectors import agency_mail_recipients
from helpdesk.models import AgencyUpdate, Ticket, TicketEvent, TicketMessage
from outbox.models import Email
from outbox.services import email_queue
from vault.rules import request_agent

_TICKET_RELATED = (
    "agency",
    "request__insured",
    "request__carrier",
    "request__created_by",
    "request__owner",
    "submitted_by",
)
TICKET_RELATED_UPDATE = tuple(f"ticket__{r}" for r in _TICKET_RELATED)


def _abs(path: str) -> str:
    return f"{settings.SITE_URL}{path}"


def agency_recipients(ticket: Ticket) -> list[str]:
    """The request's agent, the submitter and the agency's copy addresses, each once
    (accounts' one rule for agency mail, applied to both people)."""
    out: list[str] = []
    for user in (request_agent(ticket.request), ticket.submitted_by):
        for address in agency_mail_recipients(agency=ticket.agency, user=user):
            if address.lower() not in {a.lower() for a in out}:
                out.append(address)
    return out


def _subject(ticket: Ticket, text: str) -> str:
    return f"[{ticket.agency.name}] {text}"


def _to_agency(
    *, ticket: Ticket, kind: str, subject: str, template: str, context: dict
) -> Email | None:
    to = agency_recipients(ticket)
    if not to:
        return None
    return email_queue(
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


def _update_subject(ticket: Ticket, statuses: list[str], n_messages: int) -> str:
    said = []
    if statuses:
        said.append(statuses[-1])
    if n_messages:
        said.append("new message" if n_messages == 1 else f"{n_messages} new messages")
    text = ", and ".join(said) if statuses else said[0]
    return f"Help desk ticket #{ticket.pk}: {text} ({ticket.request.insured})"


def queue_agency_update(*, update: AgencyUpdate) -> Email | None:
    """One e-mail for everything staff did in the update's window, oldest first."""
    ticket = update.ticket
    events = list(update.events.prefetch_related("reasons").order_by("created_at", "id"))
    messages = list(update.messages.prefetch_related("documents").order_by("created_at", "id"))
    messages = [m for m in messages if not m.is_internal]  # internal notes never leave
    items = [
        {
            "when": e.created_at,
            "event": e,
            "reasons": list(e.reasons.all()),
            "status_label": Ticket.Status(e.to_status).label if e.to_status else "",
        }
        for e in events
    ] + [
        {"when": m.created_at, "message": m, "documents": list(m.documents.all())} for m in messages
    ]
    if not items:
        return None
    items.sort(key=lambda item: item["when"])
    statuses = [item["status_label"] for item in items if item.get("status_label")]
    returned = any(
        item["event"].action == TicketEvent.Action.RETURNED for item in items if "event" in item
    )
    context = _ticket_context(ticket) | {
        "items": items,
        "status_label": statuses[-1] if statuses else "",
        "returned": returned,
        "first_response_due": timezone.localtime(ticket.first_response_due_at, ticket.agency.tz),
    }
    return _to_agency(
        ticket=ticket,
        kind="agency_status" if statuses else "agency_message",
        subject=_update_subject(ticket, statuses, len(messages)),
        template="agency_update",
        context=context,
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
