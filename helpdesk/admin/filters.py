"""List filters of the ticket queue."""

from __future__ import annotations

import datetime as dt

from django.contrib import admin
from django.db.models import Q
from django.utils import timezone

from helpdesk.models import Ticket


def overdue_q(now: dt.datetime) -> Q:
    """Ticket.is_overdue as a query: open, no first response, its due time passed."""
    return Q(
        first_responded_at__isnull=True,
        status__in=Ticket.OPEN_STATUSES,
        first_response_due_at__lte=now,
    )


class OverdueFilter(admin.SimpleListFilter):
    title = "first response"
    parameter_name = "overdue"

    def lookups(self, request, model_admin):
        return [("yes", "Overdue"), ("no", "Not overdue")]

    def queryset(self, request, queryset):
        overdue = overdue_q(timezone.now())
        if self.value() == "yes":
            return queryset.filter(overdue)
        if self.value() == "no":
            return queryset.exclude(overdue)
        return queryset
