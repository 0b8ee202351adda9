"""Handing notices to the workers: direct tasks for a normal minute, fan-out for a backlog."""

from unittest import mock

import pytest
from django.db import transaction

from tracker.services import FANOUT_ABOVE, FANOUT_CHUNK, _enqueue_on_commit, enqueue_deliveries


@pytest.mark.parametrize(
    ("count", "direct", "fanned"),
    [(FANOUT_ABOVE, FANOUT_ABOVE, 0), (FANOUT_ABOVE + 1, 0, 1), (FANOUT_CHUNK + 1, 0, 2)],
)
def test_up_to_fanout_above_notices_are_published_directly(count, direct, fanned):
    with (
        mock.patch("tracker.tasks.deliver_notification.delay") as one,
        mock.patch("tracker.tasks.deliver_notifications.delay") as many,
    ):
        enqueue_deliveries(list(range(count)))
    assert (one.call_count, many.call_count) == (direct, fanned)


@pytest.mark.django_db(transaction=True)
def test_a_broker_error_on_commit_is_logged_not_raised(caplog):
    broker_down = mock.patch(
        "tracker.tasks.deliver_notification.delay", side_effect=OSError("broker")
    )
    with broker_down, transaction.atomic():
        _enqueue_on_commit([1, 2])
    assert "broker" in caplog.text
