"""Writes of the tracker: the sweep and the delivery of notices (the schedule: tracker.schedule).

Exactly once, in three steps:
1. `sweep` reads only the requests whose indexed `next_due_at` has passed, creates one
   Notification row per due (request, milestone) under the unique constraint, advances
   `next_due_at` and enqueues each delivery on commit;
2. `notification_deliver` (the Celery task's body) claims the row with a conditional
   UPDATE (0 rows: another worker has it), re-checks the request, sends, marks it sent;
3. on an error the row is `failed` with its error and a backoff; the sweep re-enqueues
   failed rows, pending rows nobody picked up and claims older than CLAIM_TIMEOUT (a
   worker killed between claim and send), so nothing is lost.
The only window for a duplicate is a worker dying after the SMTP server accepted the
message and before the row is marked sent; every message carries a Message-ID derived
from the notification id so the receiving side can de-duplicate even that.
"""

from __future__ import annotations

import datetime as dt
import logging
from collections import defaultdict
from dataclasses import dataclass, field

from django.db import connection, transaction
from django.db.models import F, Q
from django.utils import timezone

from tracker.calendar import calendar_for_agency, closed_days_by_agency
from tracker.models import Notification
from tracker.schedule import LIVE, agency_clock, request_milestones
from tracker.timeline import DuePlan, plan_due
from vault.models import LossRunRequest

logger = logging.getLogger(__name__)

# A new notice is enqueued at once; the sweep re-enqueues it if no worker claimed it by then.
ENQUEUE_GRACE = dt.timedelta(minutes=5)
# A claim older than this is considered abandoned (the worker died) and may be taken over.
CLAIM_TIMEOUT = dt.timedelta(minutes=10)
MAX_BACKOFF = dt.timedelta(hours=1)
SWEEP_BATCH = 1000
SWEEP_MAX_BATCHES = 50
MAX_GROUPED = 20
FANOUT_ABOVE = 50
FANOUT_CHUNK = 100


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
    enqueued: list[int] = field(default_factory=list)  # notification ids handed to delivery
    requeued: list[int] = field(default_factory=list)  # of which: stuck, failed or abandoned rows
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
            clock = agency_clock(r.agency, cal)
            plans[r.pk] = plan_due(
                request_milestones(r, cal), existing=existing[r.pk], now=now, clock=clock
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


def _sweep_batch(now: dt.datetime, result: SweepResult, batch_size: int, enqueue: bool) -> int:
    with transaction.atomic():
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
                        next_attempt_at=now + ENQUEUE_GRACE,
                    )
                )
            rows += [
                Notification(
                    agency_id=r.agency_id,
                    request_id=r.pk,
                    milestone=m.kind,
                    basis=m.basis,
                    due_at=m.due_at,
                    created_at=now,
                    status=Notification.Status.SUPERSEDED,
                    last_error=f"Superseded: {plan.send.kind.replace('_', ' ')} was due too and was sent instead.",
                )
                for m in plan.superseded
            ]
            r.next_due_at = plan.next_due_at
        Notification.objects.bulk_create(rows, ignore_conflicts=True)
        _store_next_due(requests)
        sending = [r.pk for r in requests if plans[r.pk].send]
        ids = []
        if sending:
            ids = list(
                Notification.objects.filter(
                    request_id__in=sending, status=Notification.Status.PENDING
                ).values_list("id", flat=True)
            )
        result.enqueued += ids
        if enqueue:
            _enqueue_on_commit(ids)
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


def _requeue(now: dt.datetime, result: SweepResult, enqueue: bool, limit: int) -> None:
    """Re-enqueue rows still not sent: unclaimed, failed after their backoff, abandoned claims."""
    stuck = Notification.objects.filter(
        next_attempt_at__lte=now,
        status__in=[
            Notification.Status.PENDING,
            Notification.Status.FAILED,
            Notification.Status.SENDING,
        ],
    ).order_by("next_attempt_at")
    ids = list(stuck.values_list("id", flat=True)[:limit])
    if not ids:
        return
    result.requeued += ids
    result.enqueued += ids
    if result.dry_run:
        return
    for i in range(0, len(ids), SWEEP_BATCH):  # bounded IN lists (SQLite's variable limit)
        chunk = ids[i : i + SWEEP_BATCH]
        with transaction.atomic():
            # Not again before a worker had the time to claim it.
            Notification.objects.filter(pk__in=chunk, next_attempt_at__lte=now).update(
                next_attempt_at=now + ENQUEUE_GRACE
            )
            if enqueue:
                _enqueue_on_commit(chunk)


def _enqueue_on_commit(ids: list[int]) -> None:
    """One delivery task per notice, published after the rows are committed.

    Up to FANOUT_ABOVE notices (a normal minute) are published directly; a larger backlog
    goes out as one `deliver_notifications` task per FANOUT_CHUNK ids that publishes the
    single-notice tasks from a worker, so the sweep publishes a handful of messages instead
    of thousands. A broker error is logged, not raised (robust): the rows keep their
    `next_attempt_at` and the next sweep enqueues them again.
    """
    if ids:
        transaction.on_commit(lambda: enqueue_deliveries(ids), robust=True)


def enqueue_deliveries(ids: list[int], *, fan_out: bool = True) -> None:
    from tracker.tasks import deliver_notification, deliver_notifications

    if not fan_out or len(ids) <= FANOUT_ABOVE:
        for pk in ids:
            deliver_notification.delay(pk)
        return
    for i in range(0, len(ids), FANOUT_CHUNK):
        deliver_notifications.delay(ids[i : i + FANOUT_CHUNK])


def sweep(
    *,
    now: dt.datetime | None = None,
    dry_run: bool = False,
    enqueue: bool = True,
    batch_size: int = SWEEP_BATCH,
    max_batches: int = SWEEP_MAX_BATCHES,
) -> SweepResult:
    """Create the notices due at `now` and hand them to delivery; re-enqueue stuck ones.

    Reads only requests with `next_due_at <= now` (indexed), in batches, each in its own
    transaction; its cost grows with what is due, not with the number of requests. With
    `dry_run` nothing is written or enqueued: the result says what would be. With
    `enqueue=False` the caller delivers `result.enqueued` itself (the management command).
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
            if _sweep_batch(now, result, batch_size, enqueue) < batch_size:
                break
    _requeue(now, result, enqueue, limit=batch_size * max_batches)
    return result


# --- delivery ----------------------------------------------------------------------------


def retry_backoff(attempts: int) -> dt.timedelta:
    """When a failed notice is tried again: 2^attempts minutes, at most an hour."""
    return min(dt.timedelta(minutes=2 ** min(attempts, 10)), MAX_BACKOFF)


def notification_claim(*, notification_id: int, now: dt.datetime) -> bool:
    """Take a notice for sending with one conditional UPDATE; False: someone else has it.

    Claimable: pending or failed rows, and `sending` rows whose claim is older than
    CLAIM_TIMEOUT (the worker died). Works the same on SQLite and PostgreSQL.
    """
    claimable = Q(status__in=LIVE) | Q(
        status=Notification.Status.SENDING, claimed_at__lte=now - CLAIM_TIMEOUT
    )
    return bool(
        Notification.objects.filter(claimable, pk=notification_id).update(
            status=Notification.Status.SENDING,
            claimed_at=now,
            attempts=F("attempts") + 1,
            next_attempt_at=now + CLAIM_TIMEOUT,
        )
    )


class DeliveryError(Exception):
    """Sending failed; the notice is marked failed and will be retried."""


def notification_deliver(*, notification_id: int, now: dt.datetime | None = None) -> str:
    """Claim, re-check and send one notice. Returns what happened.

    "skipped": another worker holds it, or it is already sent or cancelled;
    "cancelled": the request was received or the milestone no longer applies;
    "deferred": a correction moved the milestone into the future (re-timed, kept pending);
    "sent". On a sending error the row is marked failed (error and backoff kept) and
    DeliveryError is raised so the task retries.

    Deliberately not one transaction: the claim must be visible to other workers at once
    and no transaction stays open while talking to the mail server; each step is a single
    conditional UPDATE guarded by the claim.
    """
    from tracker.emails import build_notice_message, notice_recipients

    now = now or timezone.now()
    if not notification_claim(notification_id=notification_id, now=now):
        return "skipped"
    mine = Notification.objects.filter(
        pk=notification_id, status=Notification.Status.SENDING, claimed_at=now
    )
    notice = Notification.objects.select_related(
        "agency", "request__agency", "request__created_by", "request__insured", "request__carrier"
    ).get(pk=notification_id)
    req = notice.request
    current = {(m.kind, m.basis): m for m in request_milestones(req)}
    if req.received_on or (notice.milestone, notice.basis) not in current:
        reason = (
            "Loss runs received."
            if req.received_on
            else "No longer applies: the request's dates changed."
        )
        mine.update(status=Notification.Status.CANCELLED, last_error=reason, next_attempt_at=None)
        return "cancelled"
    due_at = current[notice.milestone, notice.basis].due_at
    if due_at > now:
        mine.update(
            status=Notification.Status.PENDING,
            due_at=due_at,
            claimed_at=None,
            next_attempt_at=due_at,
        )
        return "deferred"
    recipients = notice_recipients(req)
    if not recipients:
        mine.update(
            status=Notification.Status.CANCELLED,
            last_error="No recipient: the request's owner is inactive and the agency has no addresses.",
            next_attempt_at=None,
        )
        return "cancelled"
    try:
        build_notice_message(notice, recipients).send(fail_silently=False)
    except Exception as exc:
        attempts = notice.attempts
        mine.update(
            status=Notification.Status.FAILED,
            last_error=f"{type(exc).__name__}: {exc}"[:2000],
            recipients=", ".join(recipients),
            next_attempt_at=now + retry_backoff(attempts),
        )
        logger.warning("Tracker notice %s failed (attempt %s): %s", notification_id, attempts, exc)
        raise DeliveryError(str(exc)) from exc
    if not mine.update(
        status=Notification.Status.SENT,
        sent_at=now,
        last_error="",
        recipients=", ".join(recipients),
        next_attempt_at=None,
    ):
        logger.error(
            "Tracker notice %s was sent but its claim had been taken over.", notification_id
        )
    return "sent"


@transaction.atomic
def notifications_retry_now(
    *, notification_ids: list[int], now: dt.datetime | None = None
) -> list[int]:
    """Admin "retry now": pending or failed notices are enqueued at once (sent ones never)."""
    now = now or timezone.now()
    ids = list(
        Notification.objects.filter(pk__in=notification_ids, status__in=LIVE).values_list(
            "id", flat=True
        )
    )
    Notification.objects.filter(pk__in=ids).update(next_attempt_at=now + ENQUEUE_GRACE)
    _enqueue_on_commit(ids)
    return ids
