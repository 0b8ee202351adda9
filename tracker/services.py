"""Writes of the tracker: keeping a request's due columns current."""

from __future__ import annotations

from tracker.calendar import calendar_for_agency
from tracker.models import Notification
from tracker.timeline import HELPDESK_DUE, SECOND_REQUEST_DUE, RequestDates, milestones
from vault.models import LossRunRequest

SCHEDULE_FIELDS = ["second_request_due_at", "helpdesk_due_at", "next_due_at"]


def request_schedule_compute(request: LossRunRequest) -> None:
    """Set the request's derived due columns from its dates (in memory; caller saves).

    `next_due_at` is the earliest milestone that has no notice row yet, so the sweep only
    ever reads requests with something due; a notice already created is never recreated.
    """
    agency = request.agency
    found = milestones(
        RequestDates(
            created_at=request.created_at,
            first_request_on=request.first_request_on,
            second_request_at=request.second_request_at,
            received_on=request.received_on,
        ),
        cal=calendar_for_agency(agency),
        tz=agency.tz,
        notify_time=agency.notify_time,
    )
    by_kind = {m.kind: m.due_at for m in found}
    request.second_request_due_at = by_kind.get(SECOND_REQUEST_DUE)
    request.helpdesk_due_at = by_kind.get(HELPDESK_DUE)
    done = set()
    if request.pk:
        done = set(Notification.objects.filter(request=request).values_list("milestone", flat=True))
    pending = [m.due_at for m in found if m.kind not in done]
    request.next_due_at = min(pending) if pending else None


def request_schedule_refresh(request: LossRunRequest) -> None:
    """Recompute and store the due columns of a saved request."""
    request_schedule_compute(request)
    request.save(update_fields=SCHEDULE_FIELDS)
