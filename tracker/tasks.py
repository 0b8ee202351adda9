"""Celery task of the tracker: the beat sweep, a thin wrapper around one service call.

A notice is never scheduled as a countdown/ETA task: the beat sweep creates it when due
and queues its e-mail in the outbox, whose own task delivers it (outbox.tasks).
"""

from celery import shared_task
from django.utils import timezone

from tracker import digest, services


@shared_task(name="tracker.tasks.sweep", ignore_result=True)
def sweep() -> dict:
    result = services.sweep(now=timezone.now())
    return {
        "created": len(result.created),
        "enqueued": len(result.enqueued),
        "errors": len(result.errors),
    }


@shared_task(name="tracker.tasks.weekly_digests", ignore_result=True)
def weekly_digests() -> dict:
    """Every quarter hour: the agencies whose digest moment it is get theirs (once a week)."""
    run = digest.digests_send(now=timezone.now())
    return {"sent": run.sent, "empty": run.empty, "errors": len(run.errors)}
