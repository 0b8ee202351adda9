"""Writes of the help desk. Every change writes a TicketEvent and queues its e-mails on commit."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from functools import partial

from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import UploadedFile
from django.db import IntegrityError, transaction
from django.utils import timezone

from accounts.models import Agency, User
from helpdesk import emails
from helpdesk.models import (
    CommonMistake,
    ProofCoverage,
    Ticket,
    TicketEvent,
    TicketMessage,
)
from tracker.calendar import calendar_for_agency
from tracker.schedule import request_helpdesk_hold
from tracker.timeline import local_at
from vault.documents import document_create
from vault.models import Document, LossRunRequest
from vault.services import request_record_received

Status = Ticket.Status
Action = TicketEvent.Action

# Statuses staff may set directly; returning needs reasons, resolving needs a received date.
DIRECT_STATUSES = (
    Status.SUBMITTED,
    Status.IN_REVIEW,
    Status.ESCALATED,
    Status.CLOSED_CANNOT_PURSUE,
)


class TicketAlreadyOpen(Exception):
    """The request already has an open ticket; `ticket` is that one."""

    def __init__(self, ticket: Ticket) -> None:
        super().__init__(f"Request {ticket.request_id} already has open ticket #{ticket.pk}.")
        self.ticket = ticket


@dataclass
class ProofChoice:
    """A proof-of-carrier document and the policy numbers it covers."""

    document: Document
    policy_numbers: list[str] = field(default_factory=list)


def first_response_due(*, agency: Agency, submitted_at: dt.datetime) -> dt.datetime:
    """One business day after submission, at the same local time (agency's calendar)."""
    if submitted_at.tzinfo is None:
        raise ValueError("submitted_at must be aware.")
    local = submitted_at.astimezone(agency.tz)
    day = calendar_for_agency(agency).add_business_days(local.date(), 1)
    return local_at(day, local.time(), agency.tz)


def _event(
    ticket: Ticket,
    *,
    actor: User | None,
    action: str,
    from_status: str = "",
    to_status: str = "",
    detail: str = "",
) -> TicketEvent:
    return TicketEvent.objects.create(
        agency_id=ticket.agency_id,
        ticket=ticket,
        actor=actor,
        action=action,
        from_status=from_status,
        to_status=to_status,
        detail=detail,
    )


def _is_staff_actor(ticket: Ticket, user: User | None) -> bool:
    return user is not None and user.is_staff and user.agency_id != ticket.agency_id


def _touch(ticket: Ticket, now: dt.datetime, *fields: str) -> None:
    ticket.updated_at = now
    ticket.save(update_fields=["updated_at", *fields])


def _move(
    ticket: Ticket, *, to: str, actor: User | None, action: str, detail: str = ""
) -> TicketEvent:
    """Change the status in memory and save; record the event; e-mail the agency on commit."""
    now = timezone.now()
    previous = ticket.status
    ticket.status = to
    fields = ["status"]
    if to in Ticket.CLOSED_STATUSES:
        ticket.closed_at = now
        fields.append("closed_at")
    elif ticket.closed_at is not None:
        ticket.closed_at = None
        fields.append("closed_at")
    if to != Status.WAITING_ON_AGENCY and ticket.waiting_for:
        ticket.waiting_for = ""
        fields.append("waiting_for")
    if _is_staff_actor(ticket, actor) and ticket.first_responded_at is None:
        ticket.first_responded_at = now
        fields.append("first_responded_at")
    _touch(ticket, now, *fields)
    _tracker_hold(ticket.request)
    event = _event(
        ticket, actor=actor, action=action, from_status=previous, to_status=to, detail=detail
    )
    transaction.on_commit(partial(emails.send_agency_status_change, event_id=event.pk))
    return event


def _validate_submission(
    *,
    agency: Agency,
    request: LossRunRequest,
    signed_first_request: Document | None,
    proofs: Sequence[ProofChoice],
    confirmed_common_mistakes: bool,
) -> None:
    errors: dict[str, list[str]] = {}
    if request.agency_id != agency.pk:
        raise ValidationError("No such request.")
    if request.received_on is not None:
        errors.setdefault("__all__", []).append(
            "The loss runs for this request were already received; there is nothing to escalate."
        )
    if signed_first_request is None:
        errors["signed_first_request"] = ["Choose or upload the signed first request."]
    elif (
        signed_first_request.agency_id != agency.pk
        or signed_first_request.kind != Document.Kind.AUTH_SIGNED
    ):
        errors["signed_first_request"] = ["That document is not a signed first request."]
    covered: set[str] = set()
    for proof in proofs:
        doc = proof.document
        if doc.agency_id != agency.pk or doc.kind not in Document.PROOF_OF_CARRIER_KINDS:
            errors.setdefault("proofs", []).append(
                f"{doc.original_name} is not a proof of carrier."
            )
        covered.update(proof.policy_numbers)
    numbers = list(request.policies.values_list("policy_number", flat=True))
    if not proofs:
        errors.setdefault("proofs", []).append(
            "Add the most current proof of carrier: a declarations page, a bill or prior-year loss runs."
        )
    else:
        for number in numbers:
            if number not in covered:
                errors.setdefault("proofs", []).append(
                    f"Policy {number} is not covered by any proof of carrier."
                )
    unknown = covered - set(numbers)
    if unknown:
        errors.setdefault("proofs", []).append(
            f"Not a policy number of this request: {', '.join(sorted(unknown))}."
        )
    if not confirmed_common_mistakes:
        errors["confirm_common_mistakes"] = ["Confirm that you reviewed the Common Mistakes list."]
    if errors:
        raise ValidationError(errors)


def _tracker_hold(request: LossRunRequest) -> None:
    """The tracker stays quiet while the request has an open ticket, and resumes after."""
    request_helpdesk_hold(
        request=request, ticket_open=ticket_open_for_request(request=request) is not None
    )


def ticket_open_for_request(*, request: LossRunRequest) -> Ticket | None:
    return (
        Ticket.objects.filter(request=request, status__in=Ticket.OPEN_STATUSES)
        .order_by("-submitted_at")
        .first()
    )


@transaction.atomic
def ticket_submit(
    *,
    agency: Agency,
    request: LossRunRequest,
    user: User,
    signed_first_request: Document | None,
    proofs: Sequence[ProofChoice],
    message: str = "",
    confirmed_common_mistakes: bool,
) -> Ticket:
    """Hand a request to the help desk. Raises TicketAlreadyOpen or ValidationError."""
    LossRunRequest.objects.select_for_update().filter(pk=request.pk).first()
    existing = ticket_open_for_request(request=request)
    if existing is not None:
        raise TicketAlreadyOpen(existing)
    _validate_submission(
        agency=agency,
        request=request,
        signed_first_request=signed_first_request,
        proofs=proofs,
        confirmed_common_mistakes=confirmed_common_mistakes,
    )
    now = timezone.now()
    try:
        with transaction.atomic():
            ticket = Ticket.objects.create(
                agency=agency,
                request=request,
                submitted_by=user,
                submitted_at=now,
                updated_at=now,
                first_response_due_at=first_response_due(agency=agency, submitted_at=now),
                signed_first_request=signed_first_request,
                confirmed_common_mistakes_at=now,
            )
    except IntegrityError as exc:  # a concurrent submission won the race
        existing = ticket_open_for_request(request=request)
        if existing is None:
            raise
        raise TicketAlreadyOpen(existing) from exc
    ProofCoverage.objects.bulk_create(
        ProofCoverage(agency=agency, ticket=ticket, document=p.document, policy_number=number)
        for p in proofs
        for number in sorted(set(p.policy_numbers))
    )
    if message.strip():
        TicketMessage.objects.create(
            agency=agency, ticket=ticket, author=user, body=message.strip(), created_at=now
        )
    _tracker_hold(request)
    event = _event(ticket, actor=user, action=Action.SUBMITTED, to_status=Status.SUBMITTED)
    transaction.on_commit(partial(emails.send_helpdesk_new_ticket, ticket_id=ticket.pk))
    transaction.on_commit(partial(emails.send_agency_status_change, event_id=event.pk))
    return ticket


@transaction.atomic
def submission_uploads_store(
    *,
    agency: Agency,
    user: User,
    request: LossRunRequest,
    signed_file: UploadedFile | None,
    proof_files: Sequence[tuple[str, UploadedFile, str]],
) -> tuple[Document | None, dict[str, Document], dict[str, list[str]]]:
    """Keep the files of a submission in the vault, even when the rest of the form is wrong.

    `proof_files` are (slot, file, kind). Returns the signed document, the stored proof
    documents per slot, and the upload errors per form field name.
    """
    errors: dict[str, list[str]] = {}
    signed = None
    if signed_file is not None:
        try:
            signed = document_create(
                agency=agency,
                uploaded_by=user,
                uploaded_file=signed_file,
                kind=Document.Kind.AUTH_SIGNED,
                request=request,
                insured=request.insured,
            )
        except ValidationError as exc:
            errors["signed_file"] = exc.messages
    stored: dict[str, Document] = {}
    for slot, upload, kind in proof_files:
        try:
            stored[slot] = document_create(
                agency=agency,
                uploaded_by=user,
                uploaded_file=upload,
                kind=kind,
                request=request,
                insured=request.insured,
            )
        except ValidationError as exc:
            errors[f"{slot}_file"] = exc.messages
    return signed, stored, errors


@transaction.atomic
def ticket_set_status(
    *, ticket: Ticket, status: str, actor: User, note: str = ""
) -> TicketEvent | None:
    """Staff move a ticket to submitted, in review, escalated or closed: cannot pursue."""
    if status == ticket.status:
        return None
    if status == Status.WAITING_ON_AGENCY:
        raise ValidationError("Return the ticket to the agency with the reasons instead.")
    if status == Status.RESOLVED_RECEIVED:
        raise ValidationError("Resolve as received with the date the loss runs arrived.")
    if status not in DIRECT_STATUSES:
        raise ValidationError(f"Unknown status {status!r}.")
    reopening = status in Ticket.OPEN_STATUSES and not ticket.is_open
    if reopening and ticket_open_for_request(request=ticket.request) is not None:
        raise ValidationError("The request already has another open ticket.")
    return _move(ticket, to=status, actor=actor, action=Action.STATUS, detail=note.strip())


@transaction.atomic
def ticket_assign(*, ticket: Ticket, assignee: User | None, actor: User) -> TicketEvent | None:
    if assignee is not None and not assignee.is_staff:
        raise ValidationError("Only staff can be assigned.")
    if ticket.assignee_id == (assignee.pk if assignee else None):
        return None
    ticket.assignee = assignee
    _touch(ticket, timezone.now(), "assignee")
    who = assignee.get_full_name() if assignee else "nobody"
    return _event(ticket, actor=actor, action=Action.ASSIGNED, detail=f"Assigned to {who}.")


@transaction.atomic
def ticket_set_priority(*, ticket: Ticket, priority: str, actor: User) -> TicketEvent | None:
    if priority not in Ticket.Priority.values:
        raise ValidationError(f"Unknown priority {priority!r}.")
    if ticket.priority == priority:
        return None
    previous = ticket.get_priority_display()
    ticket.priority = priority
    _touch(ticket, timezone.now(), "priority")
    return _event(
        ticket,
        actor=actor,
        action=Action.PRIORITY,
        detail=f"Priority {previous} → {ticket.get_priority_display()}.",
    )


@transaction.atomic
def ticket_return_to_agency(
    *, ticket: Ticket, actor: User, reasons: Iterable[CommonMistake], note: str = ""
) -> TicketEvent:
    """Ask the agency to fix something. At least one Common Mistake must be the reason."""
    reasons = list(reasons)
    if not reasons:
        raise ValidationError({"reasons": ["Choose at least one Common Mistake as the reason."]})
    if not ticket.is_open:
        raise ValidationError("Only an open ticket can be returned to the agency.")
    event = _move(
        ticket,
        to=Status.WAITING_ON_AGENCY,
        actor=actor,
        action=Action.RETURNED,
        detail=note.strip(),
    )
    ticket.waiting_for = "; ".join(r.title for r in reasons)
    ticket.save(update_fields=["waiting_for"])
    event.reasons.add(*reasons, through_defaults={"agency_id": ticket.agency_id})
    return event


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
    from_staff = _is_staff_actor(ticket, author)
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
        _touch(ticket, now, *fields)
        action = Action.INTERNAL_NOTE if is_internal else Action.MESSAGE
        _event(ticket, actor=author, action=action, detail=f"Message #{msg.pk}")
        if not is_internal:
            transaction.on_commit(partial(emails.send_agency_message, message_id=msg.pk))
        return msg
    _event(ticket, actor=author, action=Action.AGENCY_REPLY, detail=f"Message #{msg.pk}")
    if ticket.status == Status.WAITING_ON_AGENCY:
        _move(
            ticket,
            to=Status.IN_REVIEW,
            actor=author,
            action=Action.STATUS,
            detail="Agency replied.",
        )
    else:
        _touch(ticket, now)
    transaction.on_commit(partial(emails.send_helpdesk_agency_reply, message_id=msg.pk))
    return msg


@transaction.atomic
def ticket_resolve_received(
    *, ticket: Ticket, actor: User, received_on: dt.date, note: str = ""
) -> TicketEvent:
    """The loss runs arrived: record the received date on the request (stops the tracker)."""
    if ticket.status == Status.RESOLVED_RECEIVED:
        raise ValidationError("The ticket is already resolved.")
    if received_on > timezone.localdate(timezone.now(), ticket.agency.tz):
        raise ValidationError({"received_on": ["The received date cannot be in the future."]})
    request_record_received(request=ticket.request, received_on=received_on, actor=actor)
    detail = f"Loss runs received on {received_on:%m/%d/%Y}."
    if note.strip():
        detail = f"{detail} {note.strip()}"
    return _move(
        ticket, to=Status.RESOLVED_RECEIVED, actor=actor, action=Action.RESOLVED, detail=detail
    )


@transaction.atomic
def ticket_escalation_letter_record(*, ticket: Ticket, actor: User) -> TicketEvent:
    """Audit that staff generated the escalation letter to the carrier."""
    _touch(ticket, timezone.now())
    return _event(
        ticket,
        actor=actor,
        action=Action.ESCALATION_LETTER,
        detail=f"Escalation letter to {ticket.request.carrier.legal_name}.",
    )


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
