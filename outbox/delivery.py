"""Delivery of outbox rows, exactly once in three steps (moved here from the tracker).

1. `email_queue` creates the row `pending` and enqueues `email_deliver` on commit;
2. `email_deliver` (the Celery task's body) claims the row with a conditional UPDATE that
   sets a fresh claim token (0 rows: another worker has it), sends, and marks it sent with
   an UPDATE guarded by that token, so only the worker holding the claim can finish it;
3. on an error the row is `failed` with its error and a backoff; the beat sweep
   (`requeue`) re-enqueues failed rows after their backoff, pending rows nobody picked up
   and claims older than CLAIM_TIMEOUT (a worker killed between claim and send).
A kind held to a send window (`outbox.windows`: the tracker's notices) is sent only inside
it: an attempt outside it is deferred to the window's next opening, and a backoff that
ends outside it is moved there too.
The only window for a duplicate is a worker dying after the SMTP server accepted the
message and before the row is marked sent; every message carries the row's stable
Message-ID so the receiving side can de-duplicate even that.
"""

from __future__ import annotations

import datetime as dt
import logging
import uuid
from collections.abc import Iterator
from contextlib import contextmanager
from contextvars import ContextVar
from dataclasses import dataclass, field

from django.conf import settings
from django.core.files.storage import default_storage
from django.core.mail import EmailMultiAlternatives
from django.db import transaction
from django.db.models import F, Q
from django.utils import timezone

from outbox.models import Email
from outbox.windows import window_opens

logger = logging.getLogger(__name__)

# A new row is enqueued at once; the sweep re-enqueues it if no worker claimed it by then.
ENQUEUE_GRACE = dt.timedelta(minutes=5)
# A claim older than this is abandoned (the worker died) and may be taken over. It must be
# well above the longest a live worker can spend sending: connecting and sending may each
# take up to EMAIL_TIMEOUT (the system check outbox.E001 holds it above twice that).
CLAIM_TIMEOUT = dt.timedelta(minutes=10)
MAX_BACKOFF = dt.timedelta(hours=1)
SWEEP_BATCH = 1000
SWEEP_MAX_BATCHES = 50
FANOUT_ABOVE = 50
FANOUT_CHUNK = 100
LIVE = (Email.Status.PENDING, Email.Status.FAILED)


class DeliveryError(Exception):
    """Sending failed; the row is marked failed and will be retried."""


def retry_backoff(attempts: int) -> dt.timedelta:
    """When a failed e-mail is tried again: 2^attempts minutes, at most an hour."""
    return min(dt.timedelta(minutes=2 ** min(attempts, 10)), MAX_BACKOFF)


def _claimable(now: dt.datetime) -> Q:
    """Pending or failed rows, and `sending` rows whose claim is older than CLAIM_TIMEOUT."""
    return Q(status__in=LIVE) | Q(status=Email.Status.SENDING, claimed_at__lte=now - CLAIM_TIMEOUT)


def email_claim(*, email_id: int, now: dt.datetime) -> uuid.UUID | None:
    """Take a row for sending with one conditional UPDATE; None: someone else has it.

    Claimable: pending or failed rows, and `sending` rows whose claim is older than
    CLAIM_TIMEOUT (the worker died). The returned token is the claim: every later write
    of this delivery is guarded by it. Works the same on SQLite and PostgreSQL.
    """
    token = uuid.uuid4()
    claimed = Email.objects.filter(_claimable(now), pk=email_id).update(
        status=Email.Status.SENDING,
        claimed_at=now,
        claim_token=token,
        attempts=F("attempts") + 1,
        next_attempt_at=now + CLAIM_TIMEOUT,
    )
    return token if claimed else None


def build_message(email: Email) -> EmailMultiAlternatives:
    """The row as a Django message, with its stable Message-ID and stored attachments."""
    message = EmailMultiAlternatives(
        subject=email.subject,
        body=email.text_body,
        from_email=email.from_email or settings.DEFAULT_FROM_EMAIL,
        to=email.to,
        cc=email.cc,
        reply_to=email.reply_to,
        headers={**email.headers, "Message-ID": email.message_id},
    )
    if email.html_body:
        message.attach_alternative(email.html_body, "text/html")
    for item in email.attachments:
        with default_storage.open(item["storage_name"], "rb") as fh:
            message.attach(item["filename"], fh.read(), item["content_type"])
    return message


def timed_by_caller(email: Email, now: dt.datetime) -> bool:
    """The first attempt right after queueing: the caller chose that moment (the tracker's
    sweep queues a notice only inside the agency's working hours, also when an operator
    replays a past moment), so its window is not asked again. Every later attempt is: a
    retry after a failure, a takeover, a row the outbox sweep re-enqueues after the grace
    (no worker took it in time)."""
    return email.attempts == 0 and now < email.created_at + ENQUEUE_GRACE


def email_deliver(*, email_id: int, now: dt.datetime | None = None) -> str:
    """Claim and send one row. Returns "skipped" (someone else has it, or it is already
    sent or cancelled), "deferred" (its send window is closed: the next attempt waits for
    its opening) or "sent"; on a sending error the row is marked failed (error and
    backoff kept) and DeliveryError is raised so the task retries.

    Deliberately not one transaction: the claim must be visible to other workers at once
    and no transaction stays open while talking to the mail server; each step is a single
    conditional UPDATE guarded by the claim token.
    """
    now = now or timezone.now()
    fields = ("kind", "agency_id", "attempts", "created_at")
    found = Email.objects.filter(_claimable(now), pk=email_id).only(*fields).first()
    if found is None:
        return "skipped"
    if not timed_by_caller(found, now):
        opens = window_opens(found, now)
        if opens > now:
            held = Email.objects.filter(_claimable(now), pk=email_id)
            return "deferred" if held.update(next_attempt_at=opens) else "skipped"
    token = email_claim(email_id=email_id, now=now)
    if token is None:
        return "skipped"
    mine = Email.objects.filter(pk=email_id, status=Email.Status.SENDING, claim_token=token)
    email = Email.objects.get(pk=email_id)
    try:
        build_message(email).send()
    except Exception as exc:
        mine.update(
            status=Email.Status.FAILED,
            last_error=f"{type(exc).__name__}: {exc}"[:2000],
            next_attempt_at=window_opens(email, now + retry_backoff(email.attempts)),
            claim_token=None,
        )
        logger.warning("E-mail %s failed (attempt %s): %s", email_id, email.attempts, exc)
        raise DeliveryError(f"{type(exc).__name__}: {exc}") from exc
    if not mine.update(
        status=Email.Status.SENT,
        sent_at=now,
        last_error="",
        next_attempt_at=None,
        claim_token=None,
    ):
        logger.error("E-mail %s was sent but its claim had been taken over.", email_id)
    return "sent"


_batch: ContextVar[list[int] | None] = ContextVar("outbox_enqueue_batch", default=None)


def enqueue_on_commit(ids: list[int]) -> None:
    """Delivery tasks for these rows, published after the rows are committed.

    A broker error is logged, not raised (robust): the rows keep their `next_attempt_at`
    and the next sweep enqueues them again. The caller's request never fails on it.
    Inside `enqueue_batched()` the ids are collected and published together.
    """
    if not ids:
        return
    batch = _batch.get()
    if batch is not None:
        batch.extend(ids)
        return
    ids = list(ids)
    transaction.on_commit(lambda: enqueue_deliveries(ids), robust=True)


@contextmanager
def enqueue_batched() -> Iterator[None]:
    """Collect the rows queued in the block and enqueue them with one on-commit callback,
    fanned out when there are many (a sweep queueing hundreds of notices at once).

    Use it inside the caller's `transaction.atomic()` block; nothing is enqueued when the
    block raises.
    """
    ids: list[int] = []
    token = _batch.set(ids)
    try:
        yield
    finally:
        _batch.reset(token)
    if ids:
        transaction.on_commit(lambda: enqueue_deliveries(ids), robust=True)


def enqueue_deliveries(ids: list[int], *, fan_out: bool = True) -> None:
    """Up to FANOUT_ABOVE rows are published directly; a larger backlog goes out as one
    `email_deliver_many` task per FANOUT_CHUNK ids that publishes the single-row tasks from
    a worker, so the sweep publishes a handful of messages instead of thousands.
    """
    from outbox.tasks import email_deliver as deliver_task
    from outbox.tasks import email_deliver_many

    if not fan_out or len(ids) <= FANOUT_ABOVE:
        for pk in ids:
            deliver_task.delay(pk)
        return
    for i in range(0, len(ids), FANOUT_CHUNK):
        email_deliver_many.delay(ids[i : i + FANOUT_CHUNK])


@dataclass
class RequeueResult:
    now: dt.datetime
    dry_run: bool
    requeued: list[int] = field(default_factory=list)


def requeue(
    *,
    now: dt.datetime | None = None,
    dry_run: bool = False,
    enqueue: bool = True,
    limit: int = SWEEP_BATCH * SWEEP_MAX_BATCHES,
) -> RequeueResult:
    """Re-enqueue rows still not sent: unclaimed, failed after their backoff, abandoned claims.

    With `enqueue=False` the rows are pushed back by ENQUEUE_GRACE but not published: the
    caller delivers `result.requeued` itself (`outbox_deliver`).
    """
    now = now or timezone.now()
    result = RequeueResult(now=now, dry_run=dry_run)
    stuck = Email.objects.filter(
        next_attempt_at__lte=now,
        status__in=[Email.Status.PENDING, Email.Status.FAILED, Email.Status.SENDING],
    ).order_by("next_attempt_at")
    result.requeued = list(stuck.values_list("id", flat=True)[:limit])
    if dry_run:
        return result
    for i in range(0, len(result.requeued), SWEEP_BATCH):  # bounded IN lists (SQLite)
        chunk = result.requeued[i : i + SWEEP_BATCH]
        with transaction.atomic():
            # Not again before a worker had the time to claim it.
            Email.objects.filter(pk__in=chunk, next_attempt_at__lte=now).update(
                next_attempt_at=now + ENQUEUE_GRACE
            )
            if enqueue:
                enqueue_on_commit(chunk)
    return result
