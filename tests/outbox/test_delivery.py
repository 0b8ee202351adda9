import datetime as dt
import smtplib
from unittest import mock

import pytest
from django.core import mail
from django.core.files.base import ContentFile
from django.core.files.storage import default_storage
from django.core.management import call_command
from django.utils import timezone

from outbox import delivery
from outbox.checks import claim_outlasts_smtp
from outbox.delivery import (
    CLAIM_TIMEOUT,
    DeliveryError,
    email_claim,
    email_deliver,
    requeue,
    retry_backoff,
)
from outbox.models import Email
from outbox.services import email_queue
from outbox.types import Attachment

S = Email.Status
NOW = dt.datetime(2026, 3, 4, 13, 0, tzinfo=dt.UTC)


def queue(**kwargs):
    fields = {
        "kind": "test.note",
        "to": ["a@example.test"],
        "subject": "Hello",
        "template": "accounts/invitation",
        "context": {"agency": None, "invitation": None, "accept_url": "http://x/"},
    }
    return email_queue(**(fields | kwargs))


@pytest.fixture
def email(db):
    return queue()


def smtp_down():
    return mock.patch(
        "django.core.mail.EmailMultiAlternatives.send",
        side_effect=smtplib.SMTPServerDisconnected("gone"),
    )


def test_claim_timeout_is_more_than_twice_the_smtp_timeout(settings):
    assert CLAIM_TIMEOUT.total_seconds() > 2 * settings.EMAIL_TIMEOUT
    assert claim_outlasts_smtp(None) == []
    settings.EMAIL_TIMEOUT = int(CLAIM_TIMEOUT.total_seconds() / 2)
    assert [e.id for e in claim_outlasts_smtp(None)] == ["outbox.E001"]


def test_deliver_sends_once_and_marks_sent(email):
    assert email_deliver(email_id=email.pk, now=NOW) == "sent"
    assert email_deliver(email_id=email.pk, now=NOW) == "skipped"
    assert len(mail.outbox) == 1
    assert mail.outbox[0].extra_headers["Message-ID"] == email.message_id
    email.refresh_from_db()
    assert email.status == S.SENT and email.sent_at == NOW and email.attempts == 1
    assert email.next_attempt_at is None and email.claim_token is None
    assert requeue(now=NOW + dt.timedelta(hours=2)).requeued == []


def test_a_claim_blocks_a_second_worker_until_it_is_stale(email):
    assert email_claim(email_id=email.pk, now=NOW)
    assert email_claim(email_id=email.pk, now=NOW) is None
    # Worker 1 died. Another worker's delivery does nothing before the timeout ...
    assert email_deliver(email_id=email.pk, now=NOW + CLAIM_TIMEOUT / 2) == "skipped"
    assert requeue(now=NOW + CLAIM_TIMEOUT / 2).requeued == []
    # ... and after it the sweep hands the abandoned claim out again: sent once.
    later = NOW + CLAIM_TIMEOUT + dt.timedelta(seconds=1)
    assert requeue(now=later).requeued == [email.pk]
    assert email_deliver(email_id=email.pk, now=later) == "sent"
    assert email_deliver(email_id=email.pk, now=later) == "skipped"
    assert len(mail.outbox) == 1
    email.refresh_from_db()
    assert email.attempts == 2


def test_only_the_worker_holding_the_claim_finishes_it(email):
    """A slow worker whose claim was taken over cannot mark the row (sent or failed)."""
    later = NOW + CLAIM_TIMEOUT + dt.timedelta(seconds=1)
    real_send = mail.EmailMultiAlternatives.send

    def slow_send(message, *args, **kwargs):
        # While worker 1 is stuck in SMTP, its claim goes stale and worker 2 takes over.
        with mock.patch("django.core.mail.EmailMultiAlternatives.send", real_send):
            assert email_deliver(email_id=email.pk, now=later) == "sent"
        raise smtplib.SMTPServerDisconnected("worker 1 finally gave up")

    with (
        mock.patch("django.core.mail.EmailMultiAlternatives.send", slow_send),
        pytest.raises(DeliveryError),
    ):
        email_deliver(email_id=email.pk, now=NOW)
    email.refresh_from_db()
    assert email.status == S.SENT and email.last_error == "" and email.sent_at == later


def test_smtp_failure_is_kept_then_retried_after_backoff_and_sent_once(email):
    with smtp_down(), pytest.raises(DeliveryError):
        email_deliver(email_id=email.pk, now=NOW)
    email.refresh_from_db()
    assert email.status == S.FAILED and email.claim_token is None
    assert "SMTPServerDisconnected: gone" in email.last_error
    assert email.next_attempt_at == NOW + dt.timedelta(minutes=2)
    assert mail.outbox == []
    assert requeue(now=NOW + dt.timedelta(minutes=1)).requeued == []
    assert requeue(now=NOW + dt.timedelta(minutes=2)).requeued == [email.pk]
    assert email_deliver(email_id=email.pk, now=NOW + dt.timedelta(minutes=2)) == "sent"
    assert email_deliver(email_id=email.pk, now=NOW + dt.timedelta(minutes=3)) == "skipped"
    assert len(mail.outbox) == 1
    email.refresh_from_db()
    assert email.status == S.SENT and email.last_error == "" and email.attempts == 2


def test_retry_backoff_doubles_up_to_an_hour():
    assert [retry_backoff(n).total_seconds() / 60 for n in (1, 2, 3, 5, 6, 7, 20)] == [
        2,
        4,
        8,
        32,
        60,
        60,
        60,
    ]


def test_requeue_dry_run_moves_nothing(email):
    later = timezone.now() + dt.timedelta(hours=1)
    assert requeue(now=later, dry_run=True).requeued == [email.pk]
    assert requeue(now=later, dry_run=True).requeued == [email.pk]
    assert requeue(now=later).requeued == [email.pk]
    assert requeue(now=later).requeued == []  # pushed back by the grace


def test_the_delivery_task_declares_retries_with_backoff():
    from outbox.tasks import email_deliver as task

    assert task.autoretry_for == (DeliveryError,)
    assert task.retry_backoff and task.max_retries >= 3
    assert task.retry_backoff_max <= 3600


def test_the_delivery_task_failure_stays_failed_and_visible(email, settings):
    from outbox.tasks import email_deliver as task

    settings.CELERY_TASK_EAGER_PROPAGATES = False
    with smtp_down():
        task.apply(args=[email.pk], throw=False)
    email.refresh_from_db()
    assert email.status == S.FAILED and "gone" in email.last_error
    assert mail.outbox == []


def test_the_sweep_task_re_enqueues_what_nobody_picked_up(
    email, django_capture_on_commit_callbacks
):
    from outbox.tasks import outbox_sweep

    Email.objects.filter(pk=email.pk).update(next_attempt_at=timezone.now())
    with django_capture_on_commit_callbacks(execute=True):
        assert outbox_sweep.delay().get() == {"requeued": 1}
    email.refresh_from_db()
    assert email.status == S.SENT and len(mail.outbox) == 1


def test_stored_attachments_are_attached(db):
    name = default_storage.save("letters/x.pdf", ContentFile(b"%PDF-1.4 test"))
    email = queue(attachments=[Attachment(name, "Request.pdf", "application/pdf")])
    assert email.attachments == [
        {"storage_name": name, "filename": "Request.pdf", "content_type": "application/pdf"}
    ]
    assert email_deliver(email_id=email.pk, now=NOW) == "sent"
    assert mail.outbox[0].attachments == [("Request.pdf", b"%PDF-1.4 test", "application/pdf")]


def test_a_missing_attachment_fails_with_its_error(db):
    email = queue(attachments=[Attachment("gone.pdf", "Gone.pdf", "application/pdf")])
    with pytest.raises(DeliveryError):
        email_deliver(email_id=email.pk, now=NOW)
    email.refresh_from_db()
    assert email.status == S.FAILED and "gone.pdf" in email.last_error


def test_outbox_deliver_sends_everything_due_and_says_why_not(db):
    from io import StringIO

    ok, failing = queue(subject="First"), queue(subject="Second", to=["b@example.test"])
    real_send = mail.EmailMultiAlternatives.send

    def send(message, *args, **kwargs):
        if message.subject == "Second":
            raise smtplib.SMTPRecipientsRefused({"b@example.test": (550, b"no such user")})
        return real_send(message, *args, **kwargs)

    out = StringIO()
    with mock.patch("django.core.mail.EmailMultiAlternatives.send", send):
        call_command("outbox_deliver", stdout=out)
    text = out.getvalue()
    assert f"e-mail {ok.pk}: sent to a@example.test: First" in text
    assert f"e-mail {failing.pk}: failed (SMTPRecipientsRefused" in text
    assert "Sent 1, failed 1, skipped 0, deferred 0." in text
    out = StringIO()
    call_command("outbox_deliver", stdout=out)
    assert "Sent 1, failed 0, skipped 0, deferred 0." in out.getvalue()
    assert [m.subject for m in mail.outbox] == ["First", "Second"]
    out = StringIO()
    call_command("outbox_deliver", stdout=out)
    assert out.getvalue().strip() == "Nothing to send."


def test_a_large_backlog_is_fanned_out(db, django_capture_on_commit_callbacks):
    n = delivery.FANOUT_ABOVE + 1
    ids = [queue().pk for _ in range(n)]
    with (
        mock.patch("outbox.tasks.email_deliver_many.delay") as fan,
        mock.patch("outbox.tasks.email_deliver.delay") as single,
    ):
        delivery.enqueue_deliveries(ids)
    assert single.call_count == 0
    assert [pk for call in fan.call_args_list for pk in call.args[0]] == ids


def test_outbox_deliver_enqueue_hands_what_is_due_to_the_workers(
    db, django_capture_on_commit_callbacks
):
    from io import StringIO

    email = queue()
    out = StringIO()
    call_command("outbox_deliver", "--enqueue", stdout=out)
    assert out.getvalue().strip() == "Re-enqueued 0 e-mail(s)"  # still in its grace
    Email.objects.filter(pk=email.pk).update(next_attempt_at=timezone.now())
    out = StringIO()
    with (
        mock.patch("outbox.tasks.email_deliver.delay") as delay,
        django_capture_on_commit_callbacks(execute=True),
    ):
        call_command("outbox_deliver", "--enqueue", stdout=out)
    assert out.getvalue().strip() == f"Re-enqueued 1 e-mail(s): {email.pk}"
    delay.assert_called_once_with(email.pk)
    assert mail.outbox == []
