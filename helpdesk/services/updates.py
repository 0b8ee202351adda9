"""The agency's e-mails about its ticket: what staff do within one window is one e-mail.

Exactly once, in three steps (as the outbox itself):
1. a change calls `agency_update_add` in its own transaction: it joins the ticket's open
   AgencyUpdate (locked with SELECT ... FOR UPDATE, so a send waits for it) or opens a new
   one due HELPDESK_UPDATE_WINDOW_SECONDS later, whose send is published on commit with
   that countdown;
2. `agency_update_send` claims a due update with one conditional UPDATE (`queued_at` from
   NULL) and, in the same transaction, renders every event and message it holds into one
   outbox row: an update is claimed once, so it becomes one e-mail, and nothing added to
   it is left out (an addition commits before the claim or opens the next update);
3. the beat sweep `agency_updates_send_due` sends what a lost countdown left behind.
The outbox then delivers the row exactly once. No e-mail is sent here.
"""

from __future__ import annotations

import datetime as dt
import logging

from django.conf import settings
from django.db import transaction
from django.utils import timezone

from accounts.tenancy import scoped
from helpdesk import emails
from helpdesk.models import AgencyUpdate, Ticket, TicketEvent, TicketMessage
from outbox.models import Email

logger = logging.getLogger(__name__)
# A countdown may fire a little early (clocks of web and worker): give it a second more.
COUNTDOWN_SLACK = dt.timedelta(seconds=1)


def update_window() -> dt.timedelta:
    return dt.timedelta(seconds=settings.HELPDESK_UPDATE_WINDOW_SECONDS)


def _send_later(update_id: int, delay: dt.timedelta) -> None:
    from helpdesk.tasks import agency_update_send

    agency_update_send.apply_async(args=[update_id], countdown=delay.total_seconds())


@transaction.atomic
def agency_update_add(
    *,
    ticket: Ticket,
    event: TicketEvent | None = None,
    message: TicketMessage | None = None,
    now: dt.datetime | None = None,
) -> AgencyUpdate:
    """Put a change the agency should hear of into the ticket's next e-mail."""
    now = now or timezone.now()
    update = (
        scoped(AgencyUpdate, ticket.agency)
        .select_for_update()
        .filter(ticket=ticket, queued_at__isnull=True, due_at__gt=now)
        .order_by("-opened_at", "-id")
        .first()
    )
    if update is None:
        window = update_window()
        update = AgencyUpdate.objects.create(
            agency_id=ticket.agency_id, ticket=ticket, opened_at=now, due_at=now + window
        )
        pk = update.pk
        transaction.on_commit(lambda: _send_later(pk, window + COUNTDOWN_SLACK), robust=True)
    if event is not None:
        update.events.add(event)
    if message is not None:
        update.messages.add(message)
    return update


def agency_update_send(*, update_id: int, now: dt.datetime | None = None) -> Email | None:
    """Turn a due update into its one outbox row; None when not due, or already queued."""
    now = now or timezone.now()
    with transaction.atomic():
        claimed = AgencyUpdate.objects.filter(  # tenancy: a worker sends by id, any agency
            pk=update_id, queued_at__isnull=True, due_at__lte=now
        ).update(queued_at=now)
        if not claimed:
            return None
        related = emails.TICKET_RELATED_UPDATE
        update = AgencyUpdate.objects.select_related(*related).get(pk=update_id)  # tenancy: by id
        email = emails.queue_agency_update(update=update)
        if email is not None:
            update.email = email
            update.save(update_fields=["email"])
        return email


def agency_updates_send_due(*, now: dt.datetime | None = None) -> list[int]:
    """The beat's backstop: send every update past its window (a lost countdown task)."""
    now = now or timezone.now()
    due = list(
        AgencyUpdate.objects.filter(queued_at__isnull=True, due_at__lte=now)  # tenancy: beat
        .order_by("due_at")
        .values_list("id", flat=True)[:500]
    )
    sent = []
    for pk in due:
        if agency_update_send(update_id=pk, now=now) is not None:
            sent.append(pk)
    return sent
