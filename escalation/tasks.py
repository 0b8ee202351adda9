"""Celery task of the escalation kit: the beat sweep, a thin wrapper around one service call."""

from celery import shared_task
from django.utils import timezone

from escalation.sending import kit_sweep


@shared_task(name="escalation.tasks.kit_sweep", ignore_result=True)
def statutory_kit_sweep() -> dict:
    result = kit_sweep(now=timezone.now())
    return {
        "sent": len(result.sent),
        "waiting": result.waiting,
        "withdrawn": len(result.withdrawn),
        "errors": len(result.errors),
    }
