"""Celery signal handlers: each task logs under its id, and the work /metrics reports
(sweep durations, notices sent per milestone) is counted when a worker finishes it."""

from __future__ import annotations

import logging
import time

from celery.signals import task_postrun, task_prerun

from ops import logs
from ops.metrics import NOTICE_SENT, SWEEP, task_metric_add

log = logging.getLogger(__name__)
_started: dict[str, float] = {}


@task_prerun.connect
def _task_prerun(task_id=None, task=None, **kwargs) -> None:
    logs.task_started(task_id)
    _started[task_id] = time.monotonic()


@task_postrun.connect
def _task_postrun(task_id=None, task=None, args=(), retval=None, state=None, **kwargs) -> None:
    seconds = time.monotonic() - _started.pop(task_id, time.monotonic())
    try:
        if task.name == "tracker.tasks.sweep" and state == "SUCCESS":
            task_metric_add(name=SWEEP, seconds=seconds)
        elif task.name == "outbox.tasks.email_deliver" and retval == "sent":
            from outbox.models import Email

            email_id = args[0] if args else kwargs.get("kwargs", {}).get("email_id")
            kind = Email.objects.filter(pk=email_id).values_list("kind", flat=True).first() or ""
            if kind.startswith("tracker."):  # a deadline notice: tracker.<milestone>
                task_metric_add(
                    name=NOTICE_SENT, label=kind.removeprefix("tracker."), seconds=seconds
                )
    except Exception:
        log.exception("Could not count task %s for the metrics", task.name)  # never fail a task
    finally:
        logs.task_finished()
