"""Only the claim holder writes the row: a claim taken over while the first worker is still
sending, a claim lost between the check and the claim, and what a failure keeps."""

import datetime as dt
import logging
import smtplib
from unittest import mock

import pytest
from django.core import mail

from outbox import delivery
from outbox.delivery import CLAIM_TIMEOUT, DeliveryError, email_claim, email_deliver
from outbox.models import Email
from outbox.services import email_queue

S = Email.Status
NOW = dt.datetime(2026, 3, 4, 13, 0, tzinfo=dt.UTC)
LATER = NOW + CLAIM_TIMEOUT + dt.timedelta(seconds=1)


@pytest.fixture
def email(db):
    return email_queue(
        kind="test.note",
        to=["a@example.test"],
        subject="Hello",
        template="accounts/invitation",
        context={"agency": None, "invitation": None, "accept_url": "http://x/"},
    )


def taken_over_while_sending(email, outcome):
    """Worker 1's send, during which worker 2 takes the stale claim over (and is still
    sending itself when worker 1 comes back): `outcome` is what worker 1's server says."""
    taken = {}

    def send(message, *args, **kwargs):
        taken["token"] = email_claim(email_id=email.pk, now=LATER)
        if outcome == "error":
            raise smtplib.SMTPServerDisconnected("worker 1 gave up")
        return 1

    return mock.patch("django.core.mail.EmailMultiAlternatives.send", send), taken


def test_a_worker_whose_claim_was_taken_over_cannot_fail_the_row(email):
    patch, taken = taken_over_while_sending(email, "error")
    with patch, pytest.raises(DeliveryError):
        email_deliver(email_id=email.pk, now=NOW)
    email.refresh_from_db()
    assert email.status == S.SENDING and email.claim_token == taken["token"]
    assert email.last_error == "" and email.next_attempt_at == LATER + CLAIM_TIMEOUT


def test_a_worker_whose_claim_was_taken_over_cannot_mark_the_row_sent(email, caplog):
    patch, taken = taken_over_while_sending(email, "sent")
    with patch, caplog.at_level(logging.ERROR, logger="outbox.delivery"):
        assert email_deliver(email_id=email.pk, now=NOW) == "sent"
    email.refresh_from_db()
    assert email.status == S.SENDING and email.claim_token == taken["token"]
    assert email.sent_at is None
    (record,) = caplog.records
    assert record.getMessage() == f"E-mail {email.pk} was sent but its claim had been taken over."


def test_a_claim_lost_between_the_check_and_the_claim_is_skipped(email):
    real_claim = delivery.email_claim

    def raced(*, email_id, now):
        assert real_claim(email_id=email_id, now=now)  # another worker got there first
        return real_claim(email_id=email_id, now=now)

    with mock.patch("outbox.delivery.email_claim", raced):
        assert email_deliver(email_id=email.pk, now=NOW) == "skipped"
    assert mail.outbox == []
    email.refresh_from_db()
    assert email.status == S.SENDING and email.attempts == 1


def test_a_failure_keeps_its_error_bounded_and_logs_the_attempt(email, caplog):
    error = smtplib.SMTPDataError(554, "x" * 3000)
    with (
        mock.patch("django.core.mail.EmailMultiAlternatives.send", side_effect=error),
        caplog.at_level(logging.WARNING, logger="outbox.delivery"),
        pytest.raises(DeliveryError, match="^SMTPDataError: "),
    ):
        email_deliver(email_id=email.pk, now=NOW)
    email.refresh_from_db()
    assert len(email.last_error) == 2000 and email.last_error.startswith("SMTPDataError: (554")
    (record,) = caplog.records
    assert record.getMessage().startswith(f"E-mail {email.pk} failed (attempt 1): (554, ")


def test_a_normal_send_logs_no_error(email, caplog):
    with caplog.at_level(logging.WARNING, logger="outbox.delivery"):
        assert email_deliver(email_id=email.pk, now=NOW) == "sent"
    assert caplog.records == []
    email.refresh_from_db()
    assert email.status == S.SENT
