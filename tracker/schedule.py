"""The tracker's schedule: a request's due columns and its unsent notices follow its dates.

Every write that changes a request's dates (through vault/scheduling.py), its Help Desk
hold or the agency's calendar calls one of these (in the caller's transaction); the sweep
(tracker.services) then creates the notices that are due and queues their e-mails.

A notice follows the dates only while its e-mail can still be withdrawn
(tracker.notice_changes): one that no longer applies for the dates it was computed for
(received, a date entered or corrected, a Help Desk ticket opened) is cancelled with its
unsent e-mail; one whose moment moved (agency settings) is pending again with no e-mail.
A cancelled notice that applies again comes back through the sweep as a new row; sent
notices are history and stay as they are.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable

from django.db import transaction

from accounts.models import Agency
from accounts.tenancy import scoped
from tracker.calendar import BusinessCalendar, calendar_for_agency
from tracker.models import Notification
from tracker.notice_changes import NoticeChanges
from tracker.timeline import AgencyClock, Milestone, RequestDates, deadlines, milestones
from vault.models import LossRunRequest

SCHEDULE_FIELDS = [
    "first_request_due_at",
    "second_request_due_at",
    "helpdesk_due_at",
    "next_due_at",
]
LIVE = (Notification.Status.PENDING, Notification.Status.QUEUED)


def agency_clock(agency: Agency, cal: BusinessCalendar | None = None) -> AgencyClock:
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
    request.first_request_due_at = due.first_request_due_at
    request.second_request_due_at = due.second_request_due_at
    request.helpdesk_due_at = due.helpdesk_due_at
    pending = [m.due_at for m in found if (m.kind, m.basis) not in holding]
    request.next_due_at = min(pending) if pending else None
    return found


def _holding(rows: Iterable[tuple[str, str, str]]) -> set[tuple[str, str]]:
    """(milestone, basis) of the rows that hold their slot: every status but cancelled."""
    return {
        (kind, basis) for kind, basis, status in rows if status != Notification.Status.CANCELLED
    }


def requests_schedule_new(requests: list[LossRunRequest], *, agency: Agency) -> None:
    """Set the derived due columns of new requests of one agency in memory (caller saves).

    For bulk creation: a request not saved yet has no notice, so nothing is read but the
    agency's calendar (one query for its closed days, however many requests).
    """
    cal = calendar_for_agency(agency)
    for request in requests:
        request.agency = agency
        _compute(request, set(), cal)


def withdraw_reason(request: LossRunRequest) -> str:
    """Why a live notice is withdrawn: the one wording for the schedule and the sweep."""
    if request.received_on:
        return "Loss runs received."
    if request.helpdesk_open:
        return "Paused: a Help Desk ticket is open for this request."
    return "No longer applies: the request's dates changed."


def _follow_dates(
    request: LossRunRequest,
    rows: list[tuple],
    found: dict[tuple[str, str], Milestone],
    changes: NoticeChanges,
) -> None:
    """Collect the withdrawal or re-timing of the live rows that no longer match the dates."""
    for pk, kind, basis, status, due_at in rows:
        if status not in LIVE:
            continue
        m = found.get((kind, basis))
        if m is None:
            changes.cancel(pk, withdraw_reason(request))
        elif m.due_at != due_at:
            changes.retime(pk, m.due_at)


@transaction.atomic
def request_schedule_refresh(request: LossRunRequest) -> None:
    """Recompute and store the due columns of a saved request after its dates changed.

    Stored with a queryset update (no history row, no `updated_at` change: these columns
    are derived). The slots are read again after the notices followed the dates, so a
    notice whose e-mail was already sent keeps its slot and is never told twice.
    """
    notices = Notification.objects.filter(request=request)
    rows = list(notices.values_list("id", "milestone", "basis", "status", "due_at"))
    found = {(m.kind, m.basis): m for m in request_milestones(request)}
    changes = NoticeChanges()
    _follow_dates(request, rows, found, changes)
    changes.apply()
    if changes.cancelled or changes.retimed:
        rows = list(notices.values_list("id", "milestone", "basis", "status", "due_at"))
    _compute(request, _holding((r[1], r[2], r[3]) for r in rows))
    LossRunRequest.objects.filter(pk=request.pk).update(
        **{f: getattr(request, f) for f in SCHEDULE_FIELDS}
    )


@transaction.atomic
def request_helpdesk_hold(*, request: LossRunRequest, ticket_open: bool) -> None:
    """Helpdesk calls this when a ticket opens or closes: no notice while one is open.

    Opening withdraws the unsent notices; closing (without the loss runs) lets the ones
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
def agency_schedule_refresh(*, agency: Agency) -> int:
    """Recompute every open request of an agency after its calendar settings changed.

    Time zone, notify time, working hours, holiday calendar (federal or federal + state)
    and closed days all move the milestones; call this after saving any of them. Returns
    the number of open requests recomputed. Cost: a bounded number of queries however
    many requests (the notices are read twice: before and after they follow the dates).
    """
    cal = calendar_for_agency(agency)
    requests = list(scoped(LossRunRequest, agency).filter(received_on__isnull=True))
    open_notices = scoped(Notification, agency).filter(request__received_on__isnull=True)
    fields = ("request_id", "id", "milestone", "basis", "status", "due_at")

    def by_request() -> dict[int, list[tuple]]:
        rows: dict[int, list[tuple]] = defaultdict(list)
        for notice in open_notices.values_list(*fields):
            rows[notice[0]].append(notice[1:])
        return rows

    rows = by_request()
    changes = NoticeChanges()
    for r in requests:
        r.agency = agency
        found = {(m.kind, m.basis): m for m in request_milestones(r, cal)}
        _follow_dates(r, rows[r.pk], found, changes)
    changes.apply()
    if changes.cancelled or changes.retimed:
        rows = by_request()
    for r in requests:
        _compute(r, _holding((row[1], row[2], row[3]) for row in rows[r.pk]), cal)
    LossRunRequest.objects.bulk_update(requests, SCHEDULE_FIELDS, batch_size=500)
    return len(requests)
