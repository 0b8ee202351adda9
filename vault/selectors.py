"""Reads of the vault. Every selector takes the agency; nothing here reads across agencies."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field

from django.db.models import Count, Exists, OuterRef, Prefetch, Q, QuerySet
from django.http import Http404

from accounts.models import Agency
from accounts.tenancy import get_for_agency, scoped
from vault.models import Carrier, Insured, LossRunRequest, Policy
from vault.status import Status, next_action, request_status, status_q

PAGE_SIZE = 50
COUNT_CAP = 10_000
TYPEAHEAD_LIMIT = 10


# Single objects -----------------------------------------------------------------------


def request_get(*, agency: Agency, request_id: int) -> LossRunRequest:
    qs = LossRunRequest.objects.select_related("insured", "carrier", "agency")
    return get_for_agency(qs, agency=agency, pk=request_id)


def request_get_for_edit(*, agency: Agency, request_id: int) -> LossRunRequest:
    qs = LossRunRequest.objects.select_related("insured", "carrier").prefetch_related("policies")
    return get_for_agency(qs, agency=agency, pk=request_id)


def request_get_expanded(*, agency: Agency, request_id: int) -> LossRunRequest:
    """The request with everything its "+" row shows: policies, documents, notices."""
    from tracker.models import Notification

    qs = LossRunRequest.objects.select_related("insured", "carrier").prefetch_related(
        "policies",
        "documents",
        Prefetch("notifications", queryset=Notification.objects.order_by("due_at", "id")),
    )
    return get_for_agency(qs, agency=agency, pk=request_id)


def insured_get(*, agency: Agency, insured_id: int) -> Insured:
    return get_for_agency(Insured, agency=agency, pk=insured_id)


def carriers_visible(*, agency: Agency) -> QuerySet[Carrier]:
    """The platform directory plus the agency's private carriers."""
    if agency is None or agency.pk is None:
        raise ValueError("carriers_visible needs a saved agency.")
    return Carrier.objects.visible_to(agency)


def carrier_get(*, agency: Agency, carrier_id: int) -> Carrier:
    """A carrier the agency may use; another agency's private carrier is a 404."""
    try:
        return carriers_visible(agency=agency).get(pk=carrier_id)
    except (Carrier.DoesNotExist, ValueError, TypeError) as exc:
        raise Http404("No such carrier.") from exc


# Typeahead ----------------------------------------------------------------------------


def insured_search(*, agency: Agency, q: str, limit: int = TYPEAHEAD_LIMIT) -> list[Insured]:
    q = q.strip()
    qs = scoped(Insured, agency)
    if q:
        qs = qs.filter(Q(legal_name__icontains=q) | Q(dba__icontains=q))
    return list(qs.order_by("legal_name", "id")[:limit])


def carrier_search(*, agency: Agency, q: str, limit: int = TYPEAHEAD_LIMIT) -> list[Carrier]:
    q = q.strip()
    qs = carriers_visible(agency=agency)
    if q:
        qs = qs.filter(
            Q(legal_name__icontains=q) | Q(naic_code__istartswith=q) | Q(group_name__icontains=q)
        )
    return list(qs.order_by("legal_name", "id")[:limit])


# The vault list -----------------------------------------------------------------------


def request_list(
    *, agency: Agency, now: dt.datetime, q: str = "", status: str = ""
) -> QuerySet[LossRunRequest]:
    """The agency's requests, newest first, narrowed by a search text and a status."""
    qs = scoped(LossRunRequest, agency).select_related("insured", "carrier")
    q = q.strip()
    if q:
        policy_match = Policy.objects.filter(
            agency=agency, request=OuterRef("pk"), policy_number__icontains=q
        )
        qs = qs.filter(
            Q(insured__legal_name__icontains=q)
            | Q(insured__dba__icontains=q)
            | Q(carrier__legal_name__icontains=q)
            | Exists(policy_match)
        )
    if status in Status.LABELS:
        qs = qs.filter(status_q(status, now))
    return qs.order_by("-created_at", "-id")


@dataclass
class RequestRow:
    """A request as the vault list shows it: status and next action derived, not stored."""

    req: LossRunRequest
    status: str
    status_label: str
    action_label: str
    action_due_at: dt.datetime | None
    action_url: str | None
    overdue: bool


def request_row(req: LossRunRequest, now: dt.datetime) -> RequestRow:
    status = request_status(req, now)
    action = next_action(req, now)
    return RequestRow(
        req=req,
        status=status,
        status_label=Status.LABELS[status],
        action_label=action.label,
        action_due_at=action.due_at,
        action_url=action.url(req.pk),
        overdue=bool(action.due_at and action.due_at <= now and status != Status.RECEIVED),
    )


@dataclass
class RequestPage:
    rows: list[RequestRow]
    number: int
    has_previous: bool
    has_next: bool
    total: int
    total_capped: bool
    per_page: int = PAGE_SIZE
    start_index: int = field(default=0)

    @property
    def previous_page_number(self) -> int:
        return self.number - 1

    @property
    def next_page_number(self) -> int:
        return self.number + 1

    @property
    def end_index(self) -> int:
        return self.start_index + len(self.rows) - 1 if self.rows else 0


def request_page(
    *,
    agency: Agency,
    now: dt.datetime,
    q: str = "",
    status: str = "",
    page: int = 1,
    per_page: int = PAGE_SIZE,
) -> RequestPage:
    """One page of the vault: the rows (one query, per_page + 1 to know if more follow)
    and a count capped at COUNT_CAP so a huge agency never counts every row per page."""
    qs = request_list(agency=agency, now=now, q=q, status=status)
    page = max(1, page)
    offset = (page - 1) * per_page
    fetched = list(qs[offset : offset + per_page + 1])
    has_next = len(fetched) > per_page
    rows = [request_row(r, now) for r in fetched[:per_page]]
    if not has_next and (rows or page == 1):
        total = offset + len(rows)
    else:
        total = qs.order_by()[: COUNT_CAP + 1].count()
    return RequestPage(
        rows=rows,
        number=page,
        has_previous=page > 1,
        has_next=has_next,
        total=min(total, COUNT_CAP),
        total_capped=total > COUNT_CAP,
        per_page=per_page,
        start_index=offset + 1 if rows else 0,
    )


def request_export_rows(
    *, agency: Agency, now: dt.datetime, q: str = "", status: str = ""
) -> QuerySet[LossRunRequest]:
    """The CSV export's rows: the list's filter, with policies prefetched per chunk."""
    return request_list(agency=agency, now=now, q=q, status=status).prefetch_related("policies")


# Today --------------------------------------------------------------------------------


@dataclass
class TodaySection:
    status: str
    title: str
    rows: list[RequestRow]
    total: int


TODAY_LIMIT = 25


def status_counts(*, agency: Agency, now: dt.datetime) -> dict[str, int]:
    """How many of the agency's requests are in each status (one query)."""
    qs = scoped(LossRunRequest, agency)
    aggregates = {s: Count("id", filter=status_q(s, now)) for s in Status.LABELS}
    return qs.aggregate(**aggregates)


def today_sections(
    *, agency: Agency, now: dt.datetime, counts: dict[str, int]
) -> list[TodaySection]:
    """What needs action today: each actionable status, most overdue first."""
    base = scoped(LossRunRequest, agency).select_related("insured", "carrier")
    plan = [
        (Status.SECOND_DUE, "2nd requests due", ["second_request_due_at", "id"]),
        (Status.HELP_DESK, "Ready for the Help Desk", ["helpdesk_due_at", "id"]),
        (Status.AWAITING_FIRST, "Awaiting the 1st request date", ["created_at", "id"]),
    ]
    sections = []
    for status, title, order in plan:
        reqs = list(base.filter(status_q(status, now)).order_by(*order)[:TODAY_LIMIT])
        sections.append(
            TodaySection(
                status=status,
                title=title,
                rows=[request_row(r, now) for r in reqs],
                total=counts[status],
            )
        )
    return sections
