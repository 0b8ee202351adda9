"""Celery tasks of the tracker: thin wrappers, ids in, one service call.

A notice is never scheduled as a countdown/ETA task: the beat sweep creates it when due
and enqueues it at once. Celery's own retries are short (at most 10 minutes, below the
Redis visibility timeout); the durable retry is the sweep, which re-enqueues failed rows
after their backoff, so a notice whose retries ran out is still not lost.
"""

from celery import shared_task
from django.utils import timezone

from tracker import services


@shared_task(name="tracker.tasks.sweep", ignore_result=True)
def sweep() -> dict:
    result = services.sweep(now=timezone.now())
    return {
        "created": len(result.created),
        "enqueued": len(result.enqueued),
        "errors": len(result.errors),
    }


@shared_task(
    name="tracker.tasks.deliver_notification",
    ignore_result=True,
    autoretry_for=(services.DeliveryError,),
    retry_backoff=30,
    retry_backoff_max=600,
    retry_jitter=True,
    max_retries=5,
)
def deliver_notification(notification_id: int) -> str:
    return services.notification_deliver(notification_id=notification_id)


@shared_task(name="tracker.tasks.deliver_notifications", ignore_result=True)
def deliver_notifications(notification_ids: list[int]) -> None:
    """Fan-out of a large backlog: one deliver_notification task per id."""
    services.enqueue_deliveries(notification_ids, fan_out=False)
