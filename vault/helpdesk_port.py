"""The port through which the vault's pages learn of a request's open Help Desk ticket.

The Help Desk sits above the vault (its tickets point at requests; the vault never imports
it). Today and the vault list still have to say "With the Help Desk: ticket #12, in review"
and head Today with the tickets that wait on the agency, so the helpdesk app installs its
readers here when Django starts (HelpdeskConfig.ready). Without it the calls fail loudly.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable
from dataclasses import dataclass
from typing import TYPE_CHECKING

from django.core.exceptions import ImproperlyConfigured

if TYPE_CHECKING:
    from accounts.models import Agency


@dataclass(frozen=True)
class OpenTicket:
    """What a vault row says about a request's open ticket."""

    request_id: int
    ticket_id: int
    status_label: str
    url: str
    waits_on_agency: bool
    waiting_for: str = ""


@dataclass(frozen=True)
class HelpdeskReader:
    # (agency, request ids) -> {request id: its open ticket}: one query for a page of rows
    open_tickets: Callable[..., dict[int, OpenTicket]]
    # (agency, limit) -> (open tickets waiting on the agency, oldest first; how many in all)
    waiting_on_agency: Callable[..., tuple[list[OpenTicket], int]]


_reader: HelpdeskReader | None = None


def helpdesk_reader_install(reader: HelpdeskReader) -> None:
    global _reader
    _reader = reader


def _installed() -> HelpdeskReader:
    if _reader is None:
        raise ImproperlyConfigured("No Help Desk reader installed: is the helpdesk app missing?")
    return _reader


def open_tickets(*, agency: Agency, request_ids: Iterable[int]) -> dict[int, OpenTicket]:
    ids = list(request_ids)
    return _installed().open_tickets(agency=agency, request_ids=ids) if ids else {}


def tickets_waiting_on_agency(*, agency: Agency, limit: int) -> tuple[list[OpenTicket], int]:
    return _installed().waiting_on_agency(agency=agency, limit=limit)
