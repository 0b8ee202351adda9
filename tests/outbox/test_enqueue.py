"""Handing e-mails to the workers: direct tasks for a normal minute, fan-out for a backlog."""

from unittest import mock

import pytest
from django.db import transaction

from outbox.delivery import FANOUT_ABOVE, FANOUT_CHUNK, enqueue_deliveries, enqueue_on_commit


@pytest.mark.parametrize(
    ("count", "direct", "fanned"),
    [(FANOUT_ABOVE, FANOUT_ABOVE, 0), (FANOUT_ABOVE + 1, 0, 1), (FANOUT_CHUNK + 1, 0, 2)],
)
def test_up_to_fanout_above_emails_are_published_directly(count, direct, fanned):
    with (
        mock.patch("outbox.tasks.email_deliver.delay") as one,
        mock.patch("outbox.tasks.email_deliver_many.delay") as many,
    ):
        enqueue_deliveries(list(range(count)))
    assert (one.call_count, many.call_count) == (direct, fanned)


@pytest.mark.django_db(transaction=True)
def test_a_broker_error_on_commit_is_logged_not_raised(caplog):
    broker_down = mock.patch("outbox.tasks.email_deliver.delay", side_effect=OSError("broker"))
    with broker_down, transaction.atomic():
        enqueue_on_commit([1, 2])
    assert "broker" in caplog.text


def test_rows_queued_inside_a_batch_are_published_together_fanned_out(
    db, django_capture_on_commit_callbacks
):
    from outbox.delivery import enqueue_batched

    with (
        mock.patch("outbox.tasks.email_deliver.delay") as one,
        mock.patch("outbox.tasks.email_deliver_many.delay") as many,
        django_capture_on_commit_callbacks(execute=True) as callbacks,
        transaction.atomic(),
        enqueue_batched(),
    ):
        for pk in range(FANOUT_ABOVE + 1):
            enqueue_on_commit([pk])
    assert len(callbacks) == 1
    assert one.call_count == 0 and many.call_count == 1
