from celery import shared_task

from esign.services import reminders_send_due


@shared_task
def reminders_sweep() -> int:
    """Beat: remind the signers whose 2nd- or 5th-business-day reminder is due."""
    return reminders_send_due()
