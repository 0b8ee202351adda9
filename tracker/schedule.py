"""The tracker's schedule: a request's due columns and its unsent notices follow its dates.

Every write that changes a request's dates, its Help Desk hold or the agency's calendar
calls one of these (in the caller's transaction); the sweep (tracker.services) then
creates the notices that are due.
"""

from __future__ import annotations

import datetime as dt
from collections import defaultdict

from django.db import transaction
from django.utils import timezone

from accounts.tenancy import scoped
from tracker.calendar import BusinessCalendar, calendar_for_agency
from tracker.models import Notification
from tracker.timeline import AgencyClock, Milestone, RequestDates, deadlines, milestones
from vault.models import LossRunRequest

SCHEDULE_FIELDS = ["second_request_due_at", "helpdesk_due_at", "next_due_at"]
LIVE = (Notification.Status.PENDING, Notification.Status.FAILED)


def agency_clock(agency, cal: BusinessCalendar | None = None) -> AgencyClock:
    """The agency's calendar, zone, notify time and working hours for the timeline."""
    return AgencyClock(
        cal=cal or calendar_for_agency(agency),
        tz=agency.tz,
        notify_time=agency.notify_time,
        opens=agency.work_opens,
        closes=agency.work_closes,
    )


def _dates(request: LossRunRequest) -> RequestDates:
    return RequestDates(
        created_at=request.created_at,
        first_request_on=request.first_request_on,
        second_request_at=request.second_request_at,
        received_on=request.received_on,
        helpdesk_open=request.helpdesk_open,
    )


def request_milestones(
    request: LossRunRequest, cal: BusinessCalendar | None = None
) -> list[Milestone]:
    return milestones(_dates(request), agency_clock(request.agency, cal))


def _compute(
    request: LossRunRequest, holding: set[tuple[str, str]], cal: BusinessCalendar | None = None
) -> list[Milestone]:
    """Set the due columns in memory; `holding`: the (milestone, basis) with a live slot."""
    clock = agency_clock(request.agency, cal)
    found = milestones(_dates(request), clock)
    due = deadlines(_dates(request), clock)
    request.second_request_due_at = due.second_request_due_at
    request.helpdesk_due_at = due.helpdesk_due_at
    pending = [m.due_at for m in found if (m.kind, m.basis) not in holding]
    request.next_due_at = min(pending) if pending else None
    return found


def _holding(rows) -> set[tuple[str, str]]:
    return {
        (kind, basis) for kind, basis, status in rows if status != Notification.Status.CANCELLED
    }


def request_schedule_compute(request: LossRunRequest) -> None:
    """Set the request's derived due columns from its dates (in memory; caller saves).

    `next_due_at` is the earliest notice that has no row holding its (milestone, dates)
    yet, so the sweep only ever reads requests with something due. It may lie in the past
    (a date entered late): the next sweep then handles it.
    """
    rows = []
    if request.pk:
        rows = Notification.objects.filter(request=request).values_list(
            "milestone", "basis", "status"
        )
    _compute(request, _holding(rows))


@transaction.atomic
def request_schedule_refresh(request: LossRunRequest) -> None:
    """Recompute and store the due columns of a saved request after its dates changed.

    Stored with a queryset update (no history row, no `updated_at` change: these columns
    are derived). Notices not sent yet follow the new dates: one that no longer applies
    (received, a date entered or corrected, a Help Desk ticket opened) is cancelled; one
    whose due time moved is re-timed. A cancelled notice that applies again comes back
    through the sweep; sent notices are history and stay as they are.
    """
    now = timezone.now()
    rows = list(
        Notification.objects.filter(request=request).values_list(
            "id", "milestone", "basis", "status", "due_at"
        )
    )
    found = {(m.kind, m.basis): m for m in request_milestones(request)}
    holding = _holding(_follow_dates(request, rows, found, now))
    _compute(request, holding)
    LossRunRequest.objects.filter(pk=request.pk).update(
        **{f: getattr(request, f) for f in SCHEDULE_FIELDS}
    )


def _cancel_reason(request: LossRunRequest) -> str:
    if request.received_on:
        return "Loss runs received."
    if request.helpdesk_open:
        return "Paused: a Help Desk ticket is open for this request."
    return "No longer applies: the request's dates changed."


def _follow_dates(
    request: LossRunRequest,
    rows: list[tuple],
    found: dict[tuple[str, str], Milestone],
    now: dt.datetime,
) -> list[tuple[str, str, str]]:
    """Cancel or re-time the unsent rows; returns every row's (milestone, basis, status)."""
    out = []
    for pk, kind, basis, status, due_at in rows:
        m = found.get((kind, basis))
        if status in LIVE and m is None:
            Notification.objects.filter(pk=pk, status__in=LIVE).update(
                status=Notification.Status.CANCELLED,
                last_error=_cancel_reason(request),
                next_attempt_at=None,
            )
            status = Notification.Status.CANCELLED
        elif status in LIVE and m.due_at != due_at:
            Notification.objects.filter(pk=pk, status__in=LIVE).update(
                due_at=m.due_at, next_attempt_at=max(m.due_at, now)
            )
        out.append((kind, basis, status))
    return out


@transaction.atomic
def request_helpdesk_hold(*, request: LossRunRequest, ticket_open: bool) -> None:
    """Helpdesk calls this when a ticket opens or closes: no notice while one is open.

    Opening cancels the unsent notices; closing (without the loss runs) lets the ones
    that still apply come back, the overdue ones as a single notice (plan_due).
    """
    request.helpdesk_open = ticket_open
    changed = (
        LossRunRequest.objects.filter(pk=request.pk)
        .exclude(helpdesk_open=ticket_open)
        .update(helpdesk_open=ticket_open)
    )
    if changed:
        request_schedule_refresh(LossRunRequest.objects.select_related("agency").get(pk=request.pk))


@transaction.atomic
def agency_schedule_refresh(*, agency) -> int:
    """Recompute every open request of an agency after its calendar settings changed.

    Time zone, notify time, working hours, holiday calendar (federal or federal + state)
    and closed days all move the milestones; call this after saving any of them. Returns
    the number of open requests recomputed. Cost: one pass over the agency's open requests.
    """
    now = timezone.now()
    cal = calendar_for_agency(agency)
    requests = list(scoped(LossRunRequest, agency).filter(received_on__isnull=True))
    rows: dict[int, list[tuple]] = defaultdict(list)
    open_notices = scoped(Notification, agency).filter(request__received_on__isnull=True)
    for notice in open_notices.values_list(
        "request_id", "id", "milestone", "basis", "status", "due_at"
    ):
        rows[notice[0]].append(notice[1:])
    for r in requests:
        r.agency = agency
        found = {(m.kind, m.basis): m for m in request_milestones(r, cal)}
        _compute(r, _holding(_follow_dates(r, rows[r.pk], found, now)), cal)
    LossRunRequest.objects.bulk_update(requests, SCHEDULE_FIELDS, batch_size=500)
    return len(requests)
