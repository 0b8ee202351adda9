"""The same message delivered twice at the same moment, on PostgreSQL: one row, one document,
one e-mail to the agent. Both deliveries get past the look-up for an earlier copy (forced
below); the unique constraint makes the second wait for the first, then fail, roll back and
report the first.

Run with DATABASE_URL=postgres://... (skipped on SQLite, which has no concurrent writers).
"""

import threading

import pytest
from django.core.files.storage import default_storage
from django.db import connection

from inbound.models import InboundMessage
from inbound.services import inbound_receive, receive
from outbox.models import Email
from tests.factories import LossRunRequestFactory
from tests.inbound.mail import PDF, attachment, reply
from tests.tracker.test_concurrency import run_in_threads
from vault.addresses import request_reply_address
from vault.models import Document

pytestmark = [pytest.mark.postgres, pytest.mark.django_db(transaction=True)]


@pytest.fixture(autouse=True)
def _postgres_only():
    if connection.vendor != "postgresql":
        pytest.skip("needs PostgreSQL (set DATABASE_URL)")


@pytest.fixture
def first_lookup_misses(monkeypatch):
    """Each thread's first look-up for an earlier copy finds none, as when both race."""
    real, seen = receive._existing, threading.local()

    def racing(message_id, sha256):
        if not getattr(seen, "done", False):
            seen.done = True
            return None
        return real(message_id, sha256)

    monkeypatch.setattr(receive, "_existing", racing)


@pytest.mark.usefixtures("first_lookup_misses")
def test_two_concurrent_deliveries_store_one_message_and_one_document(agency):
    req = LossRunRequestFactory(agency=agency)
    message = reply(
        to=request_reply_address(req.pk),
        attachments=[attachment(PDF, "loss runs.pdf", "application/pdf")],
    )

    def deliver(i):
        return inbound_receive(message=message, esp=f"thread{i}")

    results = run_in_threads(deliver)
    assert sorted(r.duplicate for r in results) == [False, True]
    assert results[0].message.pk == results[1].message.pk
    assert InboundMessage.objects.count() == 1
    assert Document.objects.filter(request=req).count() == 1
    assert Email.objects.filter(kind="inbound.carrier_replied").count() == 1
    req.refresh_from_db()
    assert req.received_on is not None
    raw_files = default_storage.listdir(InboundMessage.objects.get().raw.name.rsplit("/", 1)[0])[1]
    assert len(raw_files) == 1  # the second delivery's copy of the raw message was removed
