"""The port through which vault's writes have a request's deadlines recomputed.

The tracker sits above the vault (it reads requests; the vault never imports it). A vault
write that changes a request's dates calls `schedule_refresh(request)`; the tracker plugs its
scheduler in when Django starts (TrackerConfig.ready). Without the tracker installed the
call fails loudly: a request saved without its schedule would silently never be reminded.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import TYPE_CHECKING

from django.core.exceptions import ImproperlyConfigured

if TYPE_CHECKING:
    from vault.models import LossRunRequest

Scheduler = Callable[["LossRunRequest"], object]

_scheduler: Scheduler | None = None


def scheduler_install(scheduler: Scheduler) -> None:
    """Called once at start-up by the app that owns the timeline (the tracker)."""
    global _scheduler
    _scheduler = scheduler


def schedule_refresh(request: LossRunRequest) -> None:
    """Recompute the request's deadlines and notices from its dates as they stand now."""
    if _scheduler is None:
        raise ImproperlyConfigured("No request scheduler installed: is the tracker app missing?")
    _scheduler(request)
