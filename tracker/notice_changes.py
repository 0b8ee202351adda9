"""Unsent notices following a change of dates, written in a bounded number of queries.

Collected while the schedules are recomputed, then applied in batches, however many
requests moved. A notice follows the new dates only while its e-mail can still be
withdrawn (none yet, or pending/failed in the outbox): the e-mail is cancelled with one
conditional UPDATE per batch, and only the notices whose e-mail is now withdrawn change.
One whose e-mail a worker is sending or has sent is history and stays as it is.
"""

from __future__ import annotations

import datetime as dt
from collections import defaultdict
from dataclasses import dataclass, field

from django.db.models import Case, DateTimeField, Q, Value, When

from outbox.models import Email
from tracker.models import Notification

BATCH = 500
_WITHDRAWABLE = (Email.Status.PENDING, Email.Status.FAILED)


def _withdrawn(notice_ids: list[int]) -> list[int]:
    """Cancel the unsent e-mails of these live notices; return the notices now free to move."""
    live = Notification.objects.filter(
        pk__in=notice_ids, status__in=(Notification.Status.PENDING, Notification.Status.QUEUED)
    )
    Email.objects.filter(tracker_notice__in=live.filter(email__status__in=_WITHDRAWABLE)).update(
        status=Email.Status.CANCELLED, next_attempt_at=None, claim_token=None
    )
    return list(
        live.filter(Q(email__isnull=True) | Q(email__status=Email.Status.CANCELLED)).values_list(
            "id", flat=True
        )
    )


@dataclass
class NoticeChanges:
    cancelled: dict[str, list[int]] = field(default_factory=lambda: defaultdict(list))
    retimed: dict[int, dt.datetime] = field(default_factory=dict)

    def cancel(self, notice_id: int, reason: str) -> None:
        self.cancelled[reason].append(notice_id)

    def retime(self, notice_id: int, due_at: dt.datetime) -> None:
        self.retimed[notice_id] = due_at

    def apply(self) -> None:
        for reason, ids in self.cancelled.items():
            for start in range(0, len(ids), BATCH):
                free = _withdrawn(ids[start : start + BATCH])
                Notification.objects.filter(pk__in=free).update(
                    status=Notification.Status.CANCELLED, last_error=reason
                )
        items = list(self.retimed.items())
        for start in range(0, len(items), BATCH):
            batch = dict(items[start : start + BATCH])
            free = _withdrawn(list(batch))
            if not free:
                continue
            due = Case(
                *(When(pk=pk, then=Value(batch[pk])) for pk in free), output_field=DateTimeField()
            )
            # Pending again without an e-mail: the sweep queues a fresh one at the new time.
            Notification.objects.filter(pk__in=free).update(
                status=Notification.Status.PENDING, due_at=due, email=None
            )
