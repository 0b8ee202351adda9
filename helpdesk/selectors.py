"""Reads of the help desk for agency pages. Every selector takes the agency."""

from __future__ import annotations

from django.db.models import Prefetch, Q, QuerySet

from accounts.models import Agency
from accounts.tenancy import get_for_agency, scoped
from helpdesk.models import CommonMistake, ProofCoverage, Ticket, TicketEvent, TicketMessage
from vault.models import Document, LossRunRequest


def common_mistakes_active() -> QuerySet[CommonMistake]:
    """Platform-wide list kept by staff (not tenant data)."""
    return CommonMistake.objects.filter(active=True)


def request_for_submission(*, agency: Agency, request_id: int) -> LossRunRequest:
    qs = scoped(LossRunRequest, agency).select_related("insured", "carrier", "agency")
    return get_for_agency(qs.prefetch_related("policies"), agency=agency, pk=request_id)


def _request_documents(*, agency: Agency, request: LossRunRequest) -> QuerySet[Document]:
    """The request's documents plus the insured's documents not tied to another request."""
    return scoped(Document, agency).filter(
        Q(request=request) | Q(request__isnull=True, insured_id=request.insured_id)
    )


def signed_first_request_choices(*, agency: Agency, request: LossRunRequest) -> QuerySet[Document]:
    return _request_documents(agency=agency, request=request).filter(kind=Document.Kind.AUTH_SIGNED)


def proof_of_carrier_choices(*, agency: Agency, request: LossRunRequest) -> QuerySet[Document]:
    return _request_documents(agency=agency, request=request).filter(
        kind__in=Document.PROOF_OF_CARRIER_KINDS
    )


def ticket_open_for_request(*, agency: Agency, request: LossRunRequest) -> Ticket | None:
    return (
        scoped(Ticket, agency)
        .filter(request=request, status__in=Ticket.OPEN_STATUSES)
        .order_by("-submitted_at")
        .first()
    )


def ticket_list(*, agency: Agency) -> QuerySet[Ticket]:
    return (
        scoped(Ticket, agency)
        .select_related("request__insured", "request__carrier")
        .order_by("-updated_at", "-id")
    )


def ticket_get(*, agency: Agency, ticket_id: int) -> Ticket:
    qs = scoped(Ticket, agency).select_related(
        "request__insured", "request__carrier", "signed_first_request", "submitted_by"
    )
    return get_for_agency(qs, agency=agency, pk=ticket_id)


def ticket_public_messages(*, agency: Agency, ticket: Ticket) -> QuerySet[TicketMessage]:
    """The thread as the agency sees it: internal notes are never included."""
    return (
        scoped(TicketMessage, agency)
        .filter(ticket=ticket, is_internal=False)
        .select_related("author")
        .prefetch_related("documents")
    )


def ticket_public_events(*, agency: Agency, ticket: Ticket) -> QuerySet[TicketEvent]:
    """Status history the agency may see (submitted, status changes, returns, resolution)."""
    return (
        scoped(TicketEvent, agency)
        .filter(ticket=ticket, action__in=TicketEvent.PUBLIC_ACTIONS)
        .prefetch_related(Prefetch("reasons", queryset=CommonMistake.objects.all()))
    )


def ticket_proofs(*, agency: Agency, ticket: Ticket) -> list[tuple[Document, list[str]]]:
    """Each proof-of-carrier document of the ticket with the policy numbers it covers."""
    grouped: dict[int, tuple[Document, list[str]]] = {}
    rows = scoped(ProofCoverage, agency).filter(ticket=ticket).select_related("document")
    for row in rows:
        grouped.setdefault(row.document_id, (row.document, []))[1].append(row.policy_number)
    return list(grouped.values())
