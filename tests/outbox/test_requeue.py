"""The outbox sweep (outbox.delivery.requeue): what it hands out again, and how."""

import datetime as dt
from unittest import mock

import pytest
import time_machine

from outbox import delivery
from outbox.delivery import CLAIM_TIMEOUT, ENQUEUE_GRACE, email_claim, requeue
from outbox.models import Email
from outbox.services import email_queue

S = Email.Status
NOW = dt.datetime(2026, 3, 4, 13, 0, tzinfo=dt.UTC)
DUE = NOW + ENQUEUE_GRACE  # a row queued at NOW that no worker took


def queue(n=1):
    with time_machine.travel(NOW, tick=False):
        return [
            email_queue(
                kind="test.note",
                to=["a@example.test"],
                subject=f"Hello {i}",
                template="accounts/invitation",
                context={"agency": None, "invitation": None, "accept_url": "http://x/"},
            )
            for i in range(n)
        ]


def next_attempts(emails):
    return [Email.objects.get(pk=e.pk).next_attempt_at for e in emails]


def test_requeue_hands_out_due_rows_oldest_first_and_pushes_them_back_by_the_grace(db):
    a, b = queue(2)
    Email.objects.filter(pk=b.pk).update(next_attempt_at=DUE - dt.timedelta(minutes=1))
    result = requeue(now=DUE, enqueue=False)
    assert result.now == DUE and result.dry_run is False
    assert result.requeued == [b.pk, a.pk]
    assert next_attempts([a, b]) == [DUE + ENQUEUE_GRACE] * 2


def test_a_dry_run_lists_without_moving(db):
    (a,) = queue()
    result = requeue(now=DUE, dry_run=True)
    assert result.dry_run is True and result.requeued == [a.pk]
    assert next_attempts([a]) == [DUE]


def test_rows_not_due_yet_are_left_alone(db):
    (a,) = queue()
    assert requeue(now=DUE - dt.timedelta(seconds=1), enqueue=False).requeued == []
    assert next_attempts([a]) == [DUE]


@pytest.mark.parametrize("status", [S.SENT, S.CANCELLED])
def test_a_sent_or_cancelled_row_is_never_handed_out_again(db, status):
    """Even one whose next attempt was left set (the sweep reads the status, not only the time)."""
    (a,) = queue()
    Email.objects.filter(pk=a.pk).update(status=status)
    assert requeue(now=DUE, enqueue=False).requeued == []


@pytest.mark.parametrize("status", [S.PENDING, S.FAILED, S.SENDING])
def test_every_unfinished_status_is_handed_out_when_due(db, status):
    (a,) = queue()
    Email.objects.filter(pk=a.pk).update(status=status)
    assert requeue(now=DUE, enqueue=False).requeued == [a.pk]


def test_the_limit_bounds_what_is_handed_out_and_moved(db):
    a, b = queue(2)
    Email.objects.filter(pk=b.pk).update(next_attempt_at=DUE + dt.timedelta(seconds=1))
    assert requeue(now=DUE + dt.timedelta(seconds=1), enqueue=False, limit=1).requeued == [a.pk]
    assert next_attempts([a, b]) == [
        DUE + dt.timedelta(seconds=1) + ENQUEUE_GRACE,
        DUE + dt.timedelta(seconds=1),
    ]


def test_rows_are_enqueued_in_bounded_batches_each_once(db, monkeypatch):
    emails = queue(5)
    monkeypatch.setattr(delivery, "SWEEP_BATCH", 2)
    with mock.patch("outbox.delivery.enqueue_on_commit") as enqueue:
        result = requeue(now=DUE)
    ids = [e.pk for e in emails]
    assert result.requeued == ids
    assert [c.args[0] for c in enqueue.call_args_list] == [ids[0:2], ids[2:4], ids[4:5]]
    assert next_attempts(emails) == [DUE + ENQUEUE_GRACE] * 5


def test_without_enqueue_nothing_is_published(db):
    queue(2)
    with mock.patch("outbox.delivery.enqueue_on_commit") as enqueue:
        assert len(requeue(now=DUE, enqueue=False).requeued) == 2
    enqueue.assert_not_called()


def test_a_row_a_worker_claimed_meanwhile_keeps_its_claims_time(db, monkeypatch):
    """Between listing and pushing back a later batch, a worker claims one of its rows: the
    claim's own next attempt (the claim timeout) stands."""
    a, b = queue(2)
    monkeypatch.setattr(delivery, "SWEEP_BATCH", 1)

    def first_batch_out(ids):
        if ids == [a.pk]:
            assert email_claim(email_id=b.pk, now=DUE)

    with mock.patch("outbox.delivery.enqueue_on_commit", side_effect=first_batch_out):
        assert requeue(now=DUE).requeued == [a.pk, b.pk]
    assert next_attempts([a, b]) == [DUE + ENQUEUE_GRACE, DUE + CLAIM_TIMEOUT]
