"""The staff's ticket queue at a glance: counts by status and overdue, the tickets due next.

Shown first on the admin's index (templates/admin/index.html) and above the ticket list.
Staff work across agencies: these reads are not tenant-scoped on purpose.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from django.db.models import Count, F, Q
from django.urls import reverse
from django.utils import timezone
from django.utils.http import urlencode

from helpdesk.admin.filters import overdue_q
from helpdesk.admin.panels import first_response_due_html
from helpdesk.models import Ticket

NEXT_UP = 8


@dataclass(frozen=True)
class StatusCount:
    label: str
    count: int
    url: str
    tone: str = ""  # "alert" draws the count in the admin's error colour


@dataclass(frozen=True)
class Queue:
    counts: list[StatusCount]
    next_up: list[tuple[Ticket, str]]  # the ticket and its first-response-due text
    open_total: int


def _list_url(**params: str) -> str:
    return f"{reverse('admin:helpdesk_ticket_changelist')}?{urlencode(params)}"


def ticket_queue(*, now: dt.datetime | None = None, next_up: int = NEXT_UP) -> Queue:
    """Open tickets by status, overdue and unassigned, in one aggregate; and the next due."""
    now = now or timezone.now()
    open_q = Q(status__in=Ticket.OPEN_STATUSES)
    per_status = {status: Count("id", filter=Q(status=status)) for status in Ticket.OPEN_STATUSES}
    figures = Ticket.objects.aggregate(
        overdue=Count("id", filter=overdue_q(now)),
        unassigned=Count("id", filter=open_q & Q(assignee__isnull=True)),
        open_total=Count("id", filter=open_q),
        **per_status,
    )
    counts = [
        StatusCount(
            "First response overdue",
            figures["overdue"],
            _list_url(overdue="yes"),
            "alert" if figures["overdue"] else "",
        ),
        *(
            StatusCount(Ticket.Status(s).label, figures[s], _list_url(status__exact=s))
            for s in Ticket.OPEN_STATUSES
        ),
        StatusCount("Open, unassigned", figures["unassigned"], _list_url(assignee__isnull="True")),
    ]
    tickets = list(
        Ticket.objects.filter(open_q)
        .select_related("agency", "request__insured", "request__carrier", "assignee")
        .order_by(F("first_responded_at").asc(nulls_first=True), "first_response_due_at", "id")[
            :next_up
        ]
    )
    return Queue(
        counts=counts,
        next_up=[(t, first_response_due_html(t)) for t in tickets],
        open_total=figures["open_total"],
    )
