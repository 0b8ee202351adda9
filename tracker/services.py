"""Writes of the tracker: the request's due columns and the sweep that creates notices.

Exactly once: `sweep` reads only the requests whose indexed `next_due_at` has passed,
creates one Notification row per due (request, milestone) under the unique constraint,
advances `next_due_at` and, in the same transaction, queues each notice's e-mail in the
outbox (tracker.notices). Delivery, claim, retry and backoff are the outbox's
(outbox.delivery); a notice is never recreated, so its e-mail is never queued twice.
"""

from __future__ import annotations

import datetime as dt
import logging
from collections import defaultdict
from dataclasses import dataclass, field

from django.db import connection, transaction
from django.utils import timezone

from accounts.tenancy import scoped
from outbox.delivery import enqueue_batched
from outbox.models import Email
from outbox.services import emails_retry_now
from tracker.calendar import BusinessCalendar, calendar_for_agency, closed_days_by_agency
from tracker.models import Notification
from tracker.notices import notice_retime, notice_withdraw, notices_queue, notices_waiting
from tracker.timeline import (
    HELPDESK_DUE,
    SECOND_REQUEST_DUE,
    DuePlan,
    Milestone,
    RequestDates,
    milestones,
    plan_due,
)
from vault.models import LossRunRequest

logger = logging.getLogger(__name__)

SCHEDULE_FIELDS = ["second_request_due_at", "helpdesk_due_at", "next_due_at"]
SWEEP_BATCH = 1000
SWEEP_MAX_BATCHES = 50
MAX_GROUPED = 20
LIVE = (Notification.Status.PENDING, Notification.Status.QUEUED)


def request_milestones(
    request: LossRunRequest, cal: BusinessCalendar | None = None
) -> list[Milestone]:
    agency = request.agency
    return milestones(
        RequestDates(
            created_at=request.created_at,
            first_request_on=request.first_request_on,
            second_request_at=request.second_request_at,
            received_on=request.received_on,
        ),
        cal=cal or calendar_for_agency(agency),
        tz=agency.tz,
        notify_time=agency.notify_time,
    )


def _compute(
    request: LossRunRequest, existing: set[str], cal: BusinessCalendar | None = None
) -> list[Milestone]:
    found = request_milestones(request, cal)
    by_kind = {m.kind: m.due_at for m in found}
    request.second_request_due_at = by_kind.get(SECOND_REQUEST_DUE)
    request.helpdesk_due_at = by_kind.get(HELPDESK_DUE)
    pending = [m.due_at for m in found if m.kind not in existing]
    request.next_due_at = min(pending) if pending else None
    return found


def request_schedule_compute(request: LossRunRequest) -> None:
    """Set the request's derived due columns from its dates (in memory; caller saves).

    `next_due_at` is the earliest milestone that has no notice row yet, so the sweep only
    ever reads requests with something due; a notice already created is never recreated.
    It may lie in the past (a date entered late): the next sweep then handles it.
    """
    existing: set[str] = set()
    if request.pk:
        existing = set(
            Notification.objects.filter(request=request).values_list("milestone", flat=True)
        )
    _compute(request, existing)


@transaction.atomic
def request_schedule_refresh(request: LossRunRequest) -> None:
    """Recompute and store the due columns of a saved request after its dates changed.

    Stored with a queryset update (no history row, no `updated_at` change: these columns
    are derived). Notices not sent yet follow the new dates: one whose milestone no longer
    applies (received, first-request date entered, second request recorded) is cancelled;
    one whose due time moved is re-timed. Sent notices are history and stay as they are.
    """
    now = timezone.now()
    rows = list(
        Notification.objects.filter(request=request).values_list(
            "id", "milestone", "status", "due_at"
        )
    )
    found = {m.kind: m for m in _compute(request, {r[1] for r in rows})}
    LossRunRequest.objects.filter(pk=request.pk).update(
        **{f: getattr(request, f) for f in SCHEDULE_FIELDS}
    )
    _follow_dates(request, rows, found, now)


def _follow_dates(
    request: LossRunRequest, rows: list[tuple], found: dict[str, Milestone], now: dt.datetime
) -> None:
    for pk, kind, status, due_at in rows:
        if status not in LIVE:
            continue
        m = found.get(kind)
        if m is None:
            reason = (
                "Loss runs received."
                if request.received_on
                else "No longer applies: the request's dates changed."
            )
            notice_withdraw(notice_id=pk, reason=reason)
        elif m.due_at != due_at:
            notice_retime(notice_id=pk, due_at=m.due_at)


@transaction.atomic
def agency_schedule_refresh(*, agency) -> int:
    """Recompute every open request of an agency after its calendar settings changed.

    Time zone, notify time, holiday calendar (federal or federal + state) and closed days
    all move the milestones; call this after saving any of them. Returns the number of
    open requests recomputed. Cost: one pass over the agency's open requests.
    """
    now = timezone.now()
    cal = calendar_for_agency(agency)
    requests = list(scoped(LossRunRequest, agency).filter(received_on__isnull=True))
    rows: dict[int, list[tuple]] = defaultdict(list)
    open_notices = scoped(Notification, agency).filter(request__received_on__isnull=True)
    for notice in open_notices.values_list("request_id", "id", "milestone", "status", "due_at"):
        rows[notice[0]].append(notice[1:])
    for r in requests:
        r.agency = agency
        found = {m.kind: m for m in _compute(r, {row[1] for row in rows[r.pk]}, cal)}
        _follow_dates(r, rows[r.pk], found, now)
    LossRunRequest.objects.bulk_update(requests, SCHEDULE_FIELDS, batch_size=500)
    return len(requests)


# --- the sweep ---------------------------------------------------------------------------


@dataclass(frozen=True)
class PlannedNotice:
    request_id: int
    agency_id: int
    milestone: str
    due_at: dt.datetime


@dataclass
class SweepResult:
    now: dt.datetime
    dry_run: bool
    requests_read: int = 0
    created: list[PlannedNotice] = field(default_factory=list)
    superseded: list[PlannedNotice] = field(default_factory=list)
    enqueued: list[int] = field(default_factory=list)  # notices whose e-mail was queued
    requeued: list[int] = field(default_factory=list)  # of which: notices waiting again
    errors: list[tuple[int, str]] = field(default_factory=list)


def _lock_due(qs):
    """Two sweeps at once: on PostgreSQL each skips the rows the other holds.

    SQLite has no row locks; its IMMEDIATE transactions serialize the two sweeps instead.
    """
    if connection.features.has_select_for_update_skip_locked:
        return qs.select_for_update(skip_locked=True, of=("self",))
    return qs


def _plan(
    requests: list[LossRunRequest], now: dt.datetime, result: SweepResult
) -> dict[int, DuePlan]:
    closed = closed_days_by_agency({r.agency_id for r in requests})
    existing: dict[int, set[str]] = defaultdict(set)
    rows = Notification.objects.filter(request_id__in=[r.pk for r in requests]).values_list(
        "request_id", "milestone"
    )
    for request_id, kind in rows:
        existing[request_id].add(kind)
    plans = {}
    for r in requests:
        try:
            cal = calendar_for_agency(r.agency, closed[r.agency_id])
            plans[r.pk] = plan_due(request_milestones(r, cal), existing=existing[r.pk], now=now)
        except Exception as exc:  # one bad row must not stop everyone's notices
            logger.exception("Tracker sweep: cannot plan request %s", r.pk)
            result.errors.append((r.pk, f"{type(exc).__name__}: {exc}"))
            plans[r.pk] = DuePlan(send=None)
        plan = plans[r.pk]
        if plan.send:
            result.created.append(
                PlannedNotice(r.pk, r.agency_id, plan.send.kind, plan.send.due_at)
            )
        result.superseded += [
            PlannedNotice(r.pk, r.agency_id, m.kind, m.due_at) for m in plan.superseded
        ]
    return plans


def _sweep_batch(now: dt.datetime, result: SweepResult, batch_size: int) -> int:
    with transaction.atomic(), enqueue_batched():
        due = LossRunRequest.objects.filter(next_due_at__lte=now).order_by("next_due_at")
        requests = list(_lock_due(due.select_related("agency"))[:batch_size])
        if not requests:
            return 0
        plans = _plan(requests, now, result)
        rows = []
        for r in requests:
            plan = plans[r.pk]
            if plan.send:
                rows.append(
                    Notification(
                        agency_id=r.agency_id,
                        request_id=r.pk,
                        milestone=plan.send.kind,
                        due_at=plan.send.due_at,
                        created_at=now,
                    )
                )
            rows += [
                Notification(
                    agency_id=r.agency_id,
                    request_id=r.pk,
                    milestone=m.kind,
                    due_at=m.due_at,
                    created_at=now,
                    status=Notification.Status.CANCELLED,
                    last_error=f"Superseded: {plan.send.kind.replace('_', ' ')} was due too and was sent instead.",
                )
                for m in plan.superseded
            ]
            r.next_due_at = plan.next_due_at
        Notification.objects.bulk_create(rows, ignore_conflicts=True)
        _store_next_due(requests)
        sending = [r.pk for r in requests if plans[r.pk].send]
        if sending:
            ids = Notification.objects.filter(
                request_id__in=sending, status=Notification.Status.PENDING, email__isnull=True
            ).values_list("id", flat=True)
            queued = notices_queue(list(ids))
            result.enqueued += [n.pk for n in queued if n.email_id]
    result.requests_read += len(requests)
    return len(requests)


def _store_next_due(requests: list[LossRunRequest]) -> None:
    """Write the new next_due_at of the batch: one UPDATE per distinct value.

    Requests due at the same moment mostly share their next milestone's time (same
    agency zone, same creation day), so this is a handful of queries; beyond
    MAX_GROUPED distinct values one CASE update per 500 rows is cheaper.
    """
    groups: dict[dt.datetime | None, list[int]] = defaultdict(list)
    for r in requests:
        groups[r.next_due_at].append(r.pk)
    if len(groups) > MAX_GROUPED:
        LossRunRequest.objects.bulk_update(requests, ["next_due_at"], batch_size=500)
        return
    for value, ids in groups.items():
        LossRunRequest.objects.filter(pk__in=ids).update(next_due_at=value)


def _queue_waiting(now: dt.datetime, result: SweepResult, limit: int) -> None:
    """Queue the e-mail of notices waiting again (withdrawn by a date change, now due).

    Each is re-checked first: cancelled when received or no longer applying, re-timed
    when its milestone moved into the future.
    """
    ids = notices_waiting(now=now, limit=limit)
    if not ids:
        return
    result.requeued += ids
    if result.dry_run:
        result.enqueued += ids
        return
    with transaction.atomic(), enqueue_batched():
        notices = list(Notification.objects.filter(pk__in=ids).select_related("request__agency"))
        ready = []
        for notice in notices:
            req = notice.request
            current = {m.kind: m for m in request_milestones(req)}
            found = current.get(notice.milestone)
            if req.received_on or found is None:
                notice_withdraw(
                    notice_id=notice.pk,
                    reason="Loss runs received."
                    if req.received_on
                    else "No longer applies: the request's dates changed.",
                )
            elif found.due_at > now:
                notice_retime(notice_id=notice.pk, due_at=found.due_at)
            else:
                ready.append(notice.pk)
        queued = notices_queue(ready)
        result.enqueued += [n.pk for n in queued if n.email_id]


def sweep(
    *,
    now: dt.datetime | None = None,
    dry_run: bool = False,
    batch_size: int = SWEEP_BATCH,
    max_batches: int = SWEEP_MAX_BATCHES,
) -> SweepResult:
    """Create the notices due at `now` and queue their e-mails; queue those waiting again.

    Reads only requests with `next_due_at <= now` (indexed), in batches, each in its own
    transaction; its cost grows with what is due, not with the number of requests. With
    `dry_run` nothing is written or queued: the result says what would be. The e-mails'
    delivery is enqueued on commit by the outbox.
    """
    now = now or timezone.now()
    if now.tzinfo is None:
        raise ValueError("now must be aware.")
    result = SweepResult(now=now, dry_run=dry_run)
    if dry_run:
        due = (
            LossRunRequest.objects.filter(next_due_at__lte=now)
            .order_by("next_due_at")
            .select_related("agency")
        )
        requests = list(due[: batch_size * max_batches])
        result.requests_read = len(requests)
        if requests:
            _plan(requests, now, result)
    else:
        for _ in range(max_batches):
            if _sweep_batch(now, result, batch_size) < batch_size:
                break
    _queue_waiting(now, result, limit=batch_size * max_batches)
    return result


# --- staff actions ------------------------------------------------------------------------


def notifications_retry_now(*, notification_ids: list[int]) -> list[int]:
    """Admin "retry now" on notices: their unsent e-mails are enqueued at once.

    Returns the ids of the notices whose e-mail was re-enqueued (sent ones never are).
    """
    email_ids = dict(
        Notification.objects.filter(pk__in=notification_ids, email__isnull=False).values_list(
            "email_id", "id"
        )
    )
    retried = emails_retry_now(email_ids=list(email_ids))
    return sorted(email_ids[pk] for pk in retried)


def notice_email_ids(notification_ids: list[int]) -> list[int]:
    """The outbox e-mails of these notices that are not sent yet (for delivery in-process)."""
    return list(
        Email.objects.filter(
            tracker_notice__pk__in=notification_ids,
            status__in=[Email.Status.PENDING, Email.Status.FAILED],
        ).values_list("id", flat=True)
    )
