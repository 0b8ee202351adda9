"""The port through which vault's writes have a request's deadlines computed.

The tracker sits above the vault (it reads requests; the vault never imports it). A vault
write that changes a request's dates calls `schedule_refresh(request)`; bulk creation calls
`schedule_new(requests, agency=...)` before inserting. The tracker plugs its functions in when
Django starts (TrackerConfig.ready). Without the tracker installed the calls fail loudly: a
request saved without its schedule would silently never be reminded.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

from django.core.exceptions import ImproperlyConfigured

if TYPE_CHECKING:
    from accounts.models import Agency
    from vault.models import LossRunRequest


@dataclass(frozen=True)
class Scheduler:
    refresh: Callable[[LossRunRequest], Any]  # a saved request whose dates changed
    compute_new: Callable[..., Any]  # (requests, *, agency): unsaved requests, in memory
    calendar_for_agency: Callable[..., Any]  # (agency, closed_days=None) -> business calendar
    closed_days_by_agency: Callable[..., Any]  # (agency ids) -> {agency id: closed days}


_scheduler: Scheduler | None = None


def scheduler_install(scheduler: Scheduler) -> None:
    """Called once at start-up by the app that owns the timeline (the tracker)."""
    global _scheduler
    _scheduler = scheduler


def _installed() -> Scheduler:
    if _scheduler is None:
        raise ImproperlyConfigured("No request scheduler installed: is the tracker app missing?")
    return _scheduler


def schedule_refresh(request: LossRunRequest) -> None:
    """Recompute the request's deadlines and notices from its dates as they stand now."""
    _installed().refresh(request)


def business_calendar(agency: Agency, closed_days: Any = None) -> Any:
    """The agency's business calendar (the tracker's), for vault-side day counts such as the
    statutory due date."""
    return _installed().calendar_for_agency(agency, closed_days)


def closed_days_of(agency_ids: Any) -> Any:
    """Closed days of several agencies in one query (for batched recomputes)."""
    return _installed().closed_days_by_agency(agency_ids)


def schedule_new(requests: list[LossRunRequest], *, agency: Agency) -> None:
    """Set the due columns of requests about to be inserted (no query per request)."""
    _installed().compute_new(requests, agency=agency)
