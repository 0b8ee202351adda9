"""The ticket's message thread: staff messages and internal notes, agency replies with uploads."""

from __future__ import annotations

from collections.abc import Sequence

from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import UploadedFile
from django.db import transaction
from django.utils import timezone

from accounts.models import User
from helpdesk import emails
from helpdesk.models import (
    Ticket,
    TicketEvent,
    TicketMessage,
)
from helpdesk.services import updates
from helpdesk.services.trail import event_record, is_staff_actor, ticket_move, ticket_touch
from vault.documents import document_create
from vault.models import Document

Status = Ticket.Status
Action = TicketEvent.Action


@transaction.atomic
def ticket_add_message(
    *,
    ticket: Ticket,
    author: User,
    body: str,
    is_internal: bool = False,
    documents: Sequence[Document] = (),
) -> TicketMessage:
    """A message from staff (public or internal) or a reply from the agency.

    An agency reply is always public and moves a ticket waiting on the agency back to review.
    """
    body = body.strip()
    if not body and not documents:
        raise ValidationError({"body": ["Write a message or attach a document."]})
    from_staff = is_staff_actor(ticket, author)
    if not from_staff:
        if author.agency_id != ticket.agency_id:
            raise ValidationError("Not your ticket.")
        if not ticket.is_open:
            raise ValidationError("This ticket is closed; start a new one from the request.")
        is_internal = False
    for doc in documents:
        if doc.agency_id != ticket.agency_id:
            raise ValidationError("That document belongs to another agency.")
    now = timezone.now()
    msg = TicketMessage.objects.create(
        agency_id=ticket.agency_id,
        ticket=ticket,
        author=author,
        from_staff=from_staff,
        is_internal=is_internal,
        body=body,
        created_at=now,
    )
    if documents:
        msg.documents.add(*documents)
    if from_staff:
        fields = []
        if not is_internal and ticket.first_responded_at is None:
            ticket.first_responded_at = now
            fields.append("first_responded_at")
        ticket_touch(ticket, now, *fields)
        action = Action.INTERNAL_NOTE if is_internal else Action.MESSAGE
        event_record(ticket, actor=author, action=action, detail=f"Message #{msg.pk}")
        if not is_internal:
            updates.agency_update_add(ticket=ticket, message=msg)
        return msg
    event_record(ticket, actor=author, action=Action.AGENCY_REPLY, detail=f"Message #{msg.pk}")
    if ticket.status == Status.WAITING_ON_AGENCY:
        ticket_move(
            ticket,
            to=Status.IN_REVIEW,
            actor=author,
            action=Action.STATUS,
            detail="Agency replied.",
        )
    else:
        ticket_touch(ticket, now)
    emails.queue_helpdesk_agency_reply(message_id=msg.pk)
    return msg


@transaction.atomic
def ticket_reply(
    *,
    ticket: Ticket,
    author: User,
    body: str,
    uploaded_files: Sequence[UploadedFile] = (),
    kind: str = Document.Kind.OTHER,
) -> TicketMessage:
    """An agency reply with uploads: the files become vault documents of the request."""
    if author.agency_id != ticket.agency_id:
        raise ValidationError("Not your ticket.")
    if not ticket.is_open:
        raise ValidationError("This ticket is closed; start a new one from the request.")
    documents = []
    for upload in uploaded_files:
        try:
            documents.append(
                document_create(
                    agency=ticket.agency,
                    uploaded_by=author,
                    uploaded_file=upload,
                    kind=kind,
                    request=ticket.request,
                    insured=ticket.request.insured,
                )
            )
        except ValidationError as exc:
            raise ValidationError({"files": [f"{upload.name}: {m}" for m in exc.messages]}) from exc
    return ticket_add_message(ticket=ticket, author=author, body=body, documents=documents)
