"""Unsent notices following a change of dates, written in a bounded number of queries.

Collected while the schedules are recomputed, then applied in batches: one UPDATE per
cancellation reason and one per batch of re-timed notices, however many requests moved.
Each UPDATE keeps to live (pending or failed) notices, so one a worker just claimed or sent
is left as it is.
"""

from __future__ import annotations

import datetime as dt
from collections import defaultdict
from dataclasses import dataclass, field

from django.db.models import Case, DateTimeField, Value, When

from tracker.models import Notification

LIVE = (Notification.Status.PENDING, Notification.Status.FAILED)
BATCH = 500


@dataclass
class NoticeChanges:
    cancelled: dict[str, list[int]] = field(default_factory=lambda: defaultdict(list))
    retimed: dict[int, dt.datetime] = field(default_factory=dict)

    def cancel(self, notice_id: int, reason: str) -> None:
        self.cancelled[reason].append(notice_id)

    def retime(self, notice_id: int, due_at: dt.datetime) -> None:
        self.retimed[notice_id] = due_at

    def apply(self, now: dt.datetime) -> None:
        for reason, ids in self.cancelled.items():
            for start in range(0, len(ids), BATCH):
                Notification.objects.filter(
                    pk__in=ids[start : start + BATCH], status__in=LIVE
                ).update(
                    status=Notification.Status.CANCELLED, last_error=reason, next_attempt_at=None
                )
        items = list(self.retimed.items())
        for start in range(0, len(items), BATCH):
            batch = items[start : start + BATCH]
            due = Case(
                *(When(pk=pk, then=Value(at)) for pk, at in batch), output_field=DateTimeField()
            )
            attempt = Case(
                *(When(pk=pk, then=Value(max(at, now))) for pk, at in batch),
                output_field=DateTimeField(),
            )
            Notification.objects.filter(pk__in=[pk for pk, _ in batch], status__in=LIVE).update(
                due_at=due, next_attempt_at=attempt
            )
