"""Writes of the tracker: the sweep that creates notices (the schedule: tracker.schedule).

Exactly once: `sweep` reads only the requests whose indexed `next_due_at` has passed,
creates one Notification row per due (request, milestone, dates) under the unique
constraint, advances `next_due_at` and, in the same transaction, queues each notice's
e-mail in the outbox (tracker.notices). Delivery, claim, retry and backoff are the
outbox's (outbox.delivery); a notice holds its slot unless cancelled, so its e-mail is
never queued twice for the same dates.

Working hours are enforced where an e-mail is queued: the sweep queues one only at a
moment inside the agency's working hours on a business day (tracker.timeline.plan_due,
notice_moment), and the outbox's first attempt, right after, is that moment. Every later
attempt (a retry after a mail-server failure, a backlog the outbox sweep re-enqueues) is
held to the same hours by the send window the tracker registers with the outbox
(tracker.notices.notice_send_window, outbox.windows): it goes at the next notify time.
"""

from __future__ import annotations

import datetime as dt
import logging
from collections import defaultdict
from dataclasses import dataclass, field

from django.db import connection, transaction
from django.db.models import QuerySet
from django.utils import timezone

from outbox.delivery import enqueue_batched
from outbox.models import Email
from outbox.services import emails_retry_now
from tracker.calendar import calendar_for_agency, closed_days_by_agency
from tracker.models import Notification
from tracker.notices import notice_retime, notice_withdraw, notices_queue, notices_waiting
from tracker.schedule import agency_clock, request_milestones, withdraw_reason
from tracker.timeline import DuePlan, notice_moment, plan_due
from vault.models import LossRunRequest

logger = logging.getLogger(__name__)

SWEEP_BATCH = 1000
SWEEP_MAX_BATCHES = 50
MAX_GROUPED = 20


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


def _lock_due(qs: QuerySet[LossRunRequest]) -> QuerySet[LossRunRequest]:
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
    existing: dict[int, set[tuple[str, str]]] = defaultdict(set)
    rows = (
        Notification.objects.filter(request_id__in=[r.pk for r in requests])
        .exclude(status=Notification.Status.CANCELLED)
        .values_list("request_id", "milestone", "basis")
    )
    for request_id, kind, basis in rows:
        existing[request_id].add((kind, basis))
    plans = {}
    for r in requests:
        try:
            cal = calendar_for_agency(r.agency, closed[r.agency_id])
            plans[r.pk] = plan_due(
                request_milestones(r, cal),
                existing=existing[r.pk],
                now=now,
                clock=agency_clock(r.agency, cal),
            )
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
                        basis=plan.send.basis,
                        due_at=plan.send.due_at,
                        created_at=now,
                    )
                )
            sent = plan.send.kind.replace("_", " ") if plan.send else ""
            rows += [
                Notification(
                    agency_id=r.agency_id,
                    request_id=r.pk,
                    milestone=m.kind,
                    basis=m.basis,
                    due_at=m.due_at,
                    created_at=now,
                    status=Notification.Status.SUPERSEDED,
                    last_error=f"Superseded: {sent} was due too and was sent instead.",
                )
                for m in plan.superseded
            ]
            r.next_due_at = plan.next_due_at
        Notification.objects.bulk_create(rows, ignore_conflicts=True)
        _store_next_due(requests)
        sending = [r.pk for r in requests if plans[r.pk].send]
        if sending:
            # The rows created just now (a re-timed notice waiting for a later moment is not).
            ids = Notification.objects.filter(
                request_id__in=sending,
                status=Notification.Status.PENDING,
                email__isnull=True,
                created_at=now,
            ).values_list("id", flat=True)
            queued = notices_queue(list(ids), not_before=now)
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

    Each is re-checked first: cancelled when received or no longer applying for the dates
    it was computed for, re-timed when its milestone moved into the future. Outside the
    agency's working hours it waits (pending) for the next sweep inside them.
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
            clock = agency_clock(req.agency)
            current = {(m.kind, m.basis): m for m in request_milestones(req, clock.cal)}
            found = current.get((notice.milestone, notice.basis))
            if req.received_on or found is None:
                notice_withdraw(notice_id=notice.pk, reason=withdraw_reason(req))
            elif found.due_at > now:
                notice_retime(notice_id=notice.pk, due_at=found.due_at)
            elif notice_moment(now, clock) == now:  # inside working hours
                ready.append(notice.pk)
        queued = notices_queue(ready, not_before=now)
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
