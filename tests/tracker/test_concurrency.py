"""Two sweeps and two delivery workers at once, on PostgreSQL: every notice is sent once.

Run with DATABASE_URL=postgres://... (skipped on SQLite, which has no concurrent writers).
"""

import datetime as dt
import threading
from collections import Counter
from unittest import mock
from zoneinfo import ZoneInfo

import pytest
from django.core import mail
from django.db import connection, connections

from outbox.delivery import email_deliver
from outbox.models import Email
from tracker.models import Notification
from tracker.services import sweep

NY = ZoneInfo("America/New_York")
N_REQUESTS = 40

pytestmark = [pytest.mark.postgres, pytest.mark.django_db(transaction=True)]


@pytest.fixture(autouse=True)
def _postgres_only():
    if connection.vendor != "postgresql":
        pytest.skip("needs PostgreSQL (set DATABASE_URL)")


def run_in_threads(target, n=2):
    barrier = threading.Barrier(n)
    results, errors = [None] * n, []

    def worker(i):
        try:
            barrier.wait()
            results[i] = target(i)
        except Exception as exc:  # surfaced below
            errors.append(exc)
        finally:
            connections.close_all()

    threads = [threading.Thread(target=worker, args=(i,)) for i in range(n)]
    for t in threads:
        t.start()
    for t in threads:
        t.join(60)
    assert not errors, errors
    return results


def test_two_sweeps_and_two_workers_at_once_send_each_notice_once(make_request):
    created = dt.datetime(2026, 3, 2, 10, tzinfo=NY)
    for _ in range(N_REQUESTS):
        make_request(created_at=created)
    now = dt.datetime(2026, 3, 4, 8, 1, tzinfo=NY)

    # Two beats fire at the same moment (a duplicated beat): small batches interleave. The
    # on-commit hand-over to the (eager) delivery task is held back: the workers below send.
    with mock.patch("outbox.delivery.enqueue_deliveries") as enqueue:
        swept = run_in_threads(lambda i: sweep(now=now, batch_size=5))
    assert sorted(pk for call in enqueue.call_args_list for pk in call.args[0]) == sorted(
        Email.objects.values_list("id", flat=True)
    )
    assert sum(len(r.created) for r in swept) == N_REQUESTS
    assert Notification.objects.count() == N_REQUESTS
    ids = sorted(Notification.objects.values_list("email_id", flat=True))
    assert len(set(ids)) == N_REQUESTS and Email.objects.count() == N_REQUESTS

    # Both workers were handed every e-mail (duplicate enqueues): each is sent once.
    outcomes = run_in_threads(lambda i: [email_deliver(email_id=pk, now=now) for pk in ids])
    counts = Counter(o for worker in outcomes for o in worker)
    assert counts == {"sent": N_REQUESTS, "skipped": N_REQUESTS}
    message_ids = Counter(m.extra_headers["Message-ID"] for m in mail.outbox)
    assert len(message_ids) == N_REQUESTS and set(message_ids.values()) == {1}
    assert set(Email.objects.values_list("status", flat=True)) == {Email.Status.SENT}
