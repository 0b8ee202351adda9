"""Test helper: deliver the outbox now, as a worker would, so tests can assert the sent mail."""

from __future__ import annotations

import contextlib
import datetime as dt

from django.core import mail

from outbox.delivery import DeliveryError, email_deliver
from outbox.selectors import emails_due


def deliver_outbox(*, now: dt.datetime | None = None) -> list[mail.EmailMessage]:
    """Deliver every e-mail not sent yet (failures stay failed); returns Django's mail.outbox."""
    for pk in emails_due():
        with contextlib.suppress(DeliveryError):
            email_deliver(email_id=pk, now=now)
    return mail.outbox
