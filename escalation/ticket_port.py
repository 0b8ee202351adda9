"""The port through which an escalation kit reaches the request's Help Desk ticket.

The help desk sits above this app (it reads the kit's links; escalation never imports it).
When a kit goes out, `ticket_note(...)` posts it on the request's open ticket; the help desk
plugs its service in when Django starts (HelpdeskConfig.ready). Without it installed the
call fails loudly: a kit silently missing from the ticket would leave staff uninformed.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from typing import TYPE_CHECKING

from django.core.exceptions import ImproperlyConfigured

if TYPE_CHECKING:
    from vault.models import Document, LossRunRequest

# (*, request, body, documents) -> the id of the open ticket that got the note, or None
TicketNote = Callable[..., "int | None"]

_ticket_note: TicketNote | None = None


def ticket_note_install(note: TicketNote) -> None:
    """Called once at start-up by the app that owns the tickets (the help desk)."""
    global _ticket_note
    _ticket_note = note


def ticket_note(*, request: LossRunRequest, body: str, documents: Sequence[Document]) -> int | None:
    """Post `body` with `documents` on the request's open ticket; its id, or None."""
    if _ticket_note is None:
        raise ImproperlyConfigured("No ticket note installed: is the helpdesk app missing?")
    return _ticket_note(request=request, body=body, documents=documents)
