"""Celery tasks of the help desk: ids in, one service call."""

from celery import shared_task

from helpdesk.services import updates


@shared_task(name="helpdesk.tasks.agency_update_send", ignore_result=True)
def agency_update_send(update_id: int) -> bool:
    return updates.agency_update_send(update_id=update_id) is not None


@shared_task(name="helpdesk.tasks.agency_updates_sweep", ignore_result=True)
def agency_updates_sweep() -> dict:
    return {"sent": len(updates.agency_updates_send_due())}
