"""Staff reads across agencies for the Help Desk admin: tickets by carrier, statutory dates.

Staff work every agency's tickets, so these are not tenant-scoped. "Today" for the
statutory filter is the platform's date (settings.TIME_ZONE, US Eastern); each ticket's own
column uses its agency's date (vault.derived.is_past_statutory).
"""

from __future__ import annotations

import datetime as dt

from django.db.models import Count, Q, QuerySet
from django.utils import timezone

from helpdesk.models import Ticket
from vault.derived import statutory_past_q


def first_response_overdue_q(now: dt.datetime) -> Q:
    """Ticket.is_overdue as a filter: open, unanswered, due time passed."""
    return Q(
        first_responded_at__isnull=True,
        status__in=Ticket.OPEN_STATUSES,
        first_response_due_at__lte=now,
    )


def carrier_ticket_ranking(*, now: dt.datetime | None = None, limit: int = 100) -> QuerySet:
    """Carriers with open tickets, most overdue first: open, first response overdue, and
    past the statutory date, one grouped query."""
    now = now or timezone.now()
    today = timezone.localdate(now)
    return (
        Ticket.objects.filter(status__in=Ticket.OPEN_STATUSES)
        .values(
            "request__carrier_id", "request__carrier__legal_name", "request__carrier__naic_code"
        )
        .annotate(
            open=Count("id"),
            overdue=Count("id", filter=first_response_overdue_q(now)),
            past_statutory=Count("id", filter=statutory_past_q(today, via="request__")),
        )
        .order_by("-overdue", "-past_statutory", "-open", "request__carrier__legal_name")[:limit]
    )
