"""An agency hands a request to the help desk: the checks, the ticket, its proofs and uploads."""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence
from dataclasses import dataclass, field

from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import UploadedFile
from django.db import IntegrityError, transaction
from django.utils import timezone

from accounts.models import Agency, User
from accounts.tenancy import scoped
from helpdesk import emails, rules
from helpdesk.models import (
    ProofCoverage,
    Ticket,
    TicketEvent,
    TicketMessage,
)
from helpdesk.services.trail import (
    agency_hears_of,
    errors_merge,
    errors_raise,
    event_record,
    tracker_hold,
)
from tracker.calendar import calendar_for_agency
from tracker.timeline import local_at
from vault.documents import document_create
from vault.models import Document, LossRunRequest

Status = Ticket.Status
Action = TicketEvent.Action


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


def _validate_submission(
    *,
    agency: Agency,
    request: LossRunRequest,
    signed_first_request: Document | None,
    proofs: Sequence[ProofChoice],
    confirmed_common_mistakes: bool,
) -> None:
    if request.agency_id != agency.pk:
        raise ValidationError("No such request.")
    errors: rules.Errors = {}
    if request.received_on is not None:
        errors["__all__"] = [
            "The loss runs for this request were already received; there is nothing to escalate."
        ]
    if signed_first_request is not None and signed_first_request.agency_id != agency.pk:
        errors["signed_first_request"] = [rules.NOT_SIGNED]
    else:
        errors_merge(errors, rules.signed_first_request_errors(document=signed_first_request))
    covered: set[str] = set()
    for proof in proofs:
        if proof.document.agency_id != agency.pk:
            errors_merge(
                errors, {"proofs": [f"{proof.document.original_name} is not a proof of carrier."]}
            )
        else:
            errors_merge(errors, rules.proof_document_errors(proof.document))
        covered.update(proof.policy_numbers)
    errors_merge(
        errors,
        rules.proof_coverage_errors(
            policy_numbers=list(request.policies.values_list("policy_number", flat=True)),
            covered=covered,
            has_proof=bool(proofs),
        ),
    )
    errors_merge(errors, rules.common_mistakes_errors(confirmed_common_mistakes))
    errors_raise(errors)


def ticket_open_for_request(*, request: LossRunRequest) -> Ticket | None:
    return (
        scoped(Ticket, request.agency)
        .filter(request=request, status__in=Ticket.OPEN_STATUSES)
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
    scoped(LossRunRequest.objects.select_for_update(), agency).filter(pk=request.pk).first()
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
    assert signed_first_request is not None  # the rules above refuse a missing one
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
    tracker_hold(request)
    event = event_record(ticket, actor=user, action=Action.SUBMITTED, to_status=Status.SUBMITTED)
    emails.queue_helpdesk_new_ticket(ticket_id=ticket.pk)
    agency_hears_of(ticket, event)
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
