"""Celery tasks of the outbox: thin wrappers, ids in, one service call.

Celery's own retries are short (at most 10 minutes, below the Redis visibility timeout);
the durable retry is the beat sweep, which re-enqueues failed rows after their backoff, so
an e-mail whose Celery retries ran out is still not lost.
"""

from celery import shared_task

from outbox import delivery


@shared_task(
    name="outbox.tasks.email_deliver",
    ignore_result=True,
    autoretry_for=(delivery.DeliveryError,),
    retry_backoff=30,
    retry_backoff_max=600,
    retry_jitter=True,
    max_retries=5,
)
def email_deliver(email_id: int) -> str:
    return delivery.email_deliver(email_id=email_id)


@shared_task(name="outbox.tasks.email_deliver_many", ignore_result=True)
def email_deliver_many(email_ids: list[int]) -> None:
    """Fan-out of a large backlog: one email_deliver task per id."""
    delivery.enqueue_deliveries(email_ids, fan_out=False)


@shared_task(name="outbox.tasks.outbox_sweep", ignore_result=True)
def outbox_sweep() -> dict:
    return {"requeued": len(delivery.requeue().requeued)}
