"""Send windows: a kind held to a window is delivered only inside it (outbox.windows)."""

import datetime as dt
import smtplib
from unittest import mock

import pytest
import time_machine
from django.core import mail

from outbox import windows
from outbox.delivery import (
    CLAIM_TIMEOUT,
    ENQUEUE_GRACE,
    DeliveryError,
    email_claim,
    email_deliver,
    requeue,
    timed_by_caller,
)
from outbox.models import Email
from outbox.services import email_queue
from outbox.windows import window_opens, window_register

S = Email.Status
QUEUED = dt.datetime(2026, 3, 4, 17, 58, tzinfo=dt.UTC)  # two minutes before the window shuts
OPENS = dt.datetime(2026, 3, 5, 8, 0, tzinfo=dt.UTC)


def office_hours(email, at):
    """Open 08:00-18:00 UTC every day; else the next 08:00."""
    if 8 <= at.hour < 18:
        return at
    day = at.date() if at.hour < 8 else at.date() + dt.timedelta(days=1)
    return dt.datetime.combine(day, dt.time(8), tzinfo=dt.UTC)


@pytest.fixture(autouse=True)
def held_kind():
    saved = dict(windows._windows)
    window_register(kind_prefix="held.", window=office_hours)
    yield
    windows._windows.clear()
    windows._windows.update(saved)


def queue(kind="held.note", at=QUEUED):
    with time_machine.travel(at, tick=False):
        return email_queue(
            kind=kind,
            to=["a@example.test"],
            subject="Hello",
            template="accounts/invitation",
            context={"agency": None, "invitation": None, "accept_url": "http://x/"},
        )


def smtp_down():
    return mock.patch(
        "django.core.mail.EmailMultiAlternatives.send",
        side_effect=smtplib.SMTPServerDisconnected("gone"),
    )


def test_window_opens_asks_the_window_of_the_kind_only():
    held, free = Email(kind="held.note"), Email(kind="heldout.note")
    night = dt.datetime(2026, 3, 4, 22, 0, tzinfo=dt.UTC)
    assert window_opens(held, night) == OPENS
    assert window_opens(held, QUEUED) == QUEUED
    assert window_opens(free, night) == night


def test_a_window_answering_the_past_or_a_missing_prefix_is_refused():
    window_register(kind_prefix="bad.", window=lambda email, at: at - dt.timedelta(seconds=1))
    with pytest.raises(ValueError, match="'bad.' answered a moment before"):
        window_opens(Email(kind="bad.note"), QUEUED)
    with pytest.raises(ValueError, match=r"^A send window needs a kind prefix\.$"):
        window_register(kind_prefix="", window=office_hours)


def test_registering_a_prefix_again_replaces_its_window():
    window_register(kind_prefix="held.", window=lambda email, at: at)
    assert window_opens(Email(kind="held.note"), dt.datetime(2026, 3, 4, 22, tzinfo=dt.UTC)) == (
        dt.datetime(2026, 3, 4, 22, tzinfo=dt.UTC)
    )


def test_the_first_attempt_right_after_queueing_is_the_callers_moment(db):
    email = queue()
    assert timed_by_caller(email, QUEUED + ENQUEUE_GRACE - dt.timedelta(seconds=1))
    assert not timed_by_caller(email, QUEUED + ENQUEUE_GRACE)
    # Sent at 18:02: the caller queued it inside the window two minutes before.
    assert email_deliver(email_id=email.pk, now=QUEUED + dt.timedelta(minutes=4)) == "sent"
    assert len(mail.outbox) == 1


def test_a_first_attempt_after_the_grace_waits_for_the_window(db):
    """No worker took it in time (workers down): the outbox sweep's re-enqueue is held."""
    email = queue()
    late = QUEUED + ENQUEUE_GRACE
    assert requeue(now=late, enqueue=False).requeued == [email.pk]
    assert email_deliver(email_id=email.pk, now=late) == "deferred"
    email.refresh_from_db()
    assert email.status == S.PENDING and email.attempts == 0 and email.next_attempt_at == OPENS
    assert mail.outbox == []
    assert requeue(now=OPENS - dt.timedelta(seconds=1), enqueue=False).requeued == []
    assert requeue(now=OPENS, enqueue=False).requeued == [email.pk]
    assert email_deliver(email_id=email.pk, now=OPENS) == "sent"
    assert len(mail.outbox) == 1


def test_a_kind_without_a_window_goes_whenever_it_is_delivered(db):
    email = queue(kind="free.note")
    night = QUEUED + dt.timedelta(hours=4)
    assert email_deliver(email_id=email.pk, now=night) == "sent"


def test_a_backoff_that_ends_outside_the_window_ends_at_its_opening(db):
    email = queue()
    with smtp_down(), pytest.raises(DeliveryError):
        email_deliver(email_id=email.pk, now=QUEUED)  # backoff 2 minutes: 18:00, closed
    email.refresh_from_db()
    assert email.status == S.FAILED and email.next_attempt_at == OPENS
    assert requeue(now=QUEUED + dt.timedelta(hours=3), enqueue=False).requeued == []


def test_a_backoff_that_ends_inside_the_window_keeps_its_time(db):
    email = queue(at=QUEUED - dt.timedelta(minutes=10))
    with smtp_down(), pytest.raises(DeliveryError):
        email_deliver(email_id=email.pk, now=QUEUED - dt.timedelta(minutes=10))
    email.refresh_from_db()
    assert email.next_attempt_at == QUEUED - dt.timedelta(minutes=8)


def test_a_retry_outside_the_window_is_deferred_then_sent_once_at_its_opening(db):
    """Celery's own retry (30 s after the failure) comes at 17:58:30 and 18:00:30."""
    email = queue()
    with smtp_down(), pytest.raises(DeliveryError):
        email_deliver(email_id=email.pk, now=QUEUED)
    inside = QUEUED + dt.timedelta(seconds=30)
    with smtp_down(), pytest.raises(DeliveryError):
        email_deliver(email_id=email.pk, now=inside)  # a retry inside the window is tried
    after = QUEUED + dt.timedelta(minutes=2, seconds=30)
    assert email_deliver(email_id=email.pk, now=after) == "deferred"
    email.refresh_from_db()
    assert email.status == S.FAILED and email.attempts == 2
    assert "gone" in email.last_error and email.next_attempt_at == OPENS
    assert mail.outbox == []
    assert email_deliver(email_id=email.pk, now=OPENS) == "sent"
    assert email_deliver(email_id=email.pk, now=OPENS) == "skipped"
    assert len(mail.outbox) == 1


def test_an_abandoned_claim_outside_the_window_is_taken_over_at_its_opening(db):
    email = queue()
    assert email_claim(email_id=email.pk, now=QUEUED)  # the worker dies
    stale = QUEUED + CLAIM_TIMEOUT
    assert email_deliver(email_id=email.pk, now=stale) == "deferred"
    email.refresh_from_db()
    assert email.status == S.SENDING and email.next_attempt_at == OPENS
    assert email_deliver(email_id=email.pk, now=OPENS) == "sent"
    assert len(mail.outbox) == 1


def test_a_row_another_worker_finished_meanwhile_is_skipped_not_deferred(db):
    email = queue()
    with smtp_down(), pytest.raises(DeliveryError):
        email_deliver(email_id=email.pk, now=QUEUED)

    def finished_elsewhere(row, at):
        Email.objects.filter(pk=row.pk).update(status=S.SENT, next_attempt_at=None)
        return OPENS

    window_register(kind_prefix="held.", window=finished_elsewhere)
    assert email_deliver(email_id=email.pk, now=QUEUED + dt.timedelta(hours=1)) == "skipped"
    email.refresh_from_db()
    assert email.status == S.SENT and email.next_attempt_at is None


def test_a_sent_or_cancelled_row_is_skipped_without_asking_the_window(db):
    sent, cancelled = queue(), queue()
    assert email_deliver(email_id=sent.pk, now=QUEUED) == "sent"
    Email.objects.filter(pk=cancelled.pk).update(status=S.CANCELLED)

    def never(row, at):
        raise AssertionError("the window was asked")

    window_register(kind_prefix="held.", window=never)
    night = QUEUED + dt.timedelta(hours=3)
    assert email_deliver(email_id=sent.pk, now=night) == "skipped"
    assert email_deliver(email_id=cancelled.pk, now=night) == "skipped"
    assert email_deliver(email_id=10**9, now=night) == "skipped"


def test_outbox_deliver_reports_a_deferral_with_its_next_moment(db):
    from io import StringIO

    from django.core.management import call_command

    email = queue()
    night = QUEUED + dt.timedelta(hours=4)
    out = StringIO()
    with time_machine.travel(night, tick=False):
        call_command("outbox_deliver", stdout=out)
    text = out.getvalue()
    assert f"e-mail {email.pk}: deferred to {OPENS.isoformat()} (send window)" in text
    assert "Sent 0, failed 0, skipped 0, deferred 1." in text
    assert mail.outbox == []


def test_the_window_asked_and_moved_is_the_delivered_rows_own(db):
    held = queue()
    with smtp_down(), pytest.raises(DeliveryError):
        email_deliver(email_id=held.pk, now=QUEUED)
    other_held = queue(at=QUEUED + dt.timedelta(minutes=1))
    free = queue(kind="free.note", at=QUEUED + dt.timedelta(minutes=2))  # the newest row
    night = QUEUED + dt.timedelta(hours=3)
    assert email_deliver(email_id=held.pk, now=night) == "deferred"
    assert mail.outbox == []
    assert Email.objects.get(pk=held.pk).next_attempt_at == OPENS
    assert Email.objects.get(pk=other_held.pk).next_attempt_at == other_held.next_attempt_at
    assert Email.objects.get(pk=free.pk).next_attempt_at == free.next_attempt_at
