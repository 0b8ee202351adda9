"""What the vault's pages read of the Help Desk, installed into vault/helpdesk_port.py."""

from __future__ import annotations

from django.urls import reverse

from accounts.models import Agency
from accounts.tenancy import scoped
from helpdesk.models import Ticket
from vault.helpdesk_port import OpenTicket

_FIELDS = ("id", "request_id", "status", "waiting_for", "updated_at")


def _row(ticket: Ticket) -> OpenTicket:
    return OpenTicket(
        request_id=ticket.request_id,
        ticket_id=ticket.pk,
        status_label=ticket.get_status_display(),
        url=reverse("helpdesk:ticket_detail", kwargs={"ticket_id": ticket.pk}),
        waits_on_agency=ticket.status == Ticket.Status.WAITING_ON_AGENCY,
        waiting_for=ticket.waiting_for,
    )


def open_tickets_for_requests(*, agency: Agency, request_ids: list[int]) -> dict[int, OpenTicket]:
    """The open ticket of each of these requests (at most one each): one query."""
    tickets = (
        scoped(Ticket, agency)
        .filter(request_id__in=request_ids, status__in=Ticket.OPEN_STATUSES)
        .only(*_FIELDS)
    )
    return {t.request_id: _row(t) for t in tickets}


def tickets_waiting_on_agency(*, agency: Agency, limit: int) -> tuple[list[OpenTicket], int]:
    """Open tickets where staff asked the agency for something, longest waiting first."""
    qs = scoped(Ticket, agency).filter(status=Ticket.Status.WAITING_ON_AGENCY)
    rows = [_row(t) for t in qs.only(*_FIELDS).order_by("updated_at", "id")[:limit]]
    return rows, (len(rows) if len(rows) < limit else qs.count())
