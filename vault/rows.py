"""A request as the vault list, Today and the request page show it.

Status and next action are derived (vault.status), never stored; every value is
preformatted on the agency's clock in the product's one date format (config.dates), so
rendering a page of rows stays cheap.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from django.db.models import QuerySet
from django.utils import timezone

from accounts.models import Agency
from config.dates import human_date, human_datetime
from vault.helpdesk_port import OpenTicket, open_tickets
from vault.links import RequestLinks
from vault.models import LossRunRequest
from vault.rules import request_agent
from vault.status import Status, next_action, request_status

# What a row shows of a request's insured, carrier and agent (request_row, the row partials):
# a list reads these columns of the four related rows instead of all 56 of them.
ROW_RELATED = ("insured", "carrier", "owner", "created_by")
_RELATED_SHOWN = (
    "insured__legal_name",
    "insured__dba",
    "carrier__legal_name",
    *(f"{agent}__{field}" for agent in ("owner", "created_by") for field in ("full_name", "email")),
)

_OWN = tuple(f.name for f in LossRunRequest._meta.concrete_fields)


def with_row_fields(requests: QuerySet[LossRunRequest]) -> QuerySet[LossRunRequest]:
    """The requests with what their rows show: every request column and, of the related
    rows, only the shown ones (a row reading any other would cost a query: the list pages'
    query-count tests catch it)."""
    return requests.select_related(*ROW_RELATED).only(*_OWN, *_RELATED_SHOWN)


@dataclass
class RequestRow:
    req: LossRunRequest
    status: str
    status_label: str
    action_label: str
    action_due_at: dt.datetime | None
    action_url: str | None
    overdue: bool
    waiting: bool = False  # nothing to do but wait: plain text, not a link
    ticket: OpenTicket | None = None
    owner_name: str = ""
    created: str = ""
    first: str = ""
    second: str = ""
    received: str = ""
    action_due: str = ""
    edit_url: str = ""
    row_url: str = ""
    letter_url: str = ""  # the 2nd-request letter, when it is due


def request_row(
    req: LossRunRequest,
    now: dt.datetime,
    tz: dt.tzinfo | None = None,
    tickets: dict[int, OpenTicket] | None = None,
    links: RequestLinks | None = None,
) -> RequestRow:
    """`tz` defaults to the current time zone (views run on the agency's clock); `tickets`
    are the page's open tickets (request_rows reads them once), else read for this row;
    `links` builds the rows' URLs with one reverse() per URL name (request_rows shares one)."""
    tz = tz or timezone.get_current_timezone()
    links = links or RequestLinks()
    status = request_status(req, now)
    action = next_action(req, now)
    if tickets is None:
        tickets = open_tickets(agency=req.agency, request_ids=[req.pk]) if req.helpdesk_open else {}
    ticket = tickets.get(req.pk) if status == Status.WITH_HELP_DESK else None
    label = action.label
    url = links.url(action.url_name, req.pk) if action.url_name else None
    if ticket is not None:
        label, url = (
            f"With the Help Desk: ticket #{ticket.ticket_id}, {ticket.status_label}",
            ticket.url,
        )
    agent = request_agent(req)
    return RequestRow(
        req=req,
        status=status,
        status_label=Status.LABELS[status],
        action_label=label,
        action_due_at=action.due_at,
        action_url=url,
        overdue=bool(action.due_at and action.due_at <= now and status != Status.RECEIVED),
        waiting=action.waiting and ticket is None,
        ticket=ticket,
        owner_name=agent.get_full_name() if agent else "",
        created=human_date(req.created_at.astimezone(tz).date()),
        first=human_date(req.first_request_on),
        second=human_datetime(req.second_request_at, tz),
        received=human_date(req.received_on),
        action_due=human_datetime(action.due_at, tz),
        edit_url=links.url("vault:request_edit", req.pk),
        row_url=links.url("vault:request_row", req.pk),
        letter_url=(
            links.url("vault:second_request_letter", req.pk) if status == Status.SECOND_DUE else ""
        ),
    )


def request_rows(
    requests: list[LossRunRequest],
    now: dt.datetime,
    *,
    agency: Agency,
    tz: dt.tzinfo | None = None,
) -> list[RequestRow]:
    """Rows of one agency's requests: their open tickets read in one query (none when no
    request of the page is with the Help Desk)."""
    tickets = open_tickets(agency=agency, request_ids=[r.pk for r in requests if r.helpdesk_open])
    links = RequestLinks()
    return [request_row(r, now, tz, tickets, links) for r in requests]
