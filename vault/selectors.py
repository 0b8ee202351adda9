"""Reads of the vault. Every selector takes the agency; nothing here reads across agencies."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterator
from dataclasses import dataclass
from types import SimpleNamespace

from django.db.models import Exists, OuterRef, Prefetch, Q, QuerySet
from django.http import Http404

from accounts.models import Agency, User
from accounts.tenancy import get_for_agency, scoped
from vault.derived import statutory_past_q
from vault.keyset import Cursor, keyset_window
from vault.models import Carrier, Document, Insured, LossRunRequest, Policy
from vault.rows import ROW_RELATED, RequestRow, request_row, request_rows, with_row_fields
from vault.selectors_counts import status_count
from vault.status import Status, status_q

__all__ = [
    "RequestRow",
    "request_row",
    "request_rows",
]  # the rows module's, re-exported for the pages

PAGE_SIZE = 50
COUNT_CAP = 10_000  # unfiltered: an index-only count of the agency's rows, stopped here
TYPEAHEAD_LIMIT = 10


# Single objects -----------------------------------------------------------------------


def request_get(*, agency: Agency, request_id: int) -> LossRunRequest:
    return get_for_agency(
        LossRunRequest.objects.select_related(*ROW_RELATED, "agency"),
        agency=agency,
        pk=request_id,
    )


def _documents_with_uploader() -> Prefetch:
    return Prefetch("documents", queryset=Document.objects.select_related("uploaded_by"))


def request_get_for_edit(*, agency: Agency, request_id: int) -> LossRunRequest:
    return get_for_agency(
        LossRunRequest.objects.select_related(*ROW_RELATED).prefetch_related(
            "policies", _documents_with_uploader()
        ),
        agency=agency,
        pk=request_id,
    )


def request_get_expanded(*, agency: Agency, request_id: int) -> LossRunRequest:
    """The request with everything its "+" row shows: policies, documents, notices."""
    notices = LossRunRequest.notifications.rel.related_model._default_manager.select_related(
        "email"
    )
    return get_for_agency(
        LossRunRequest.objects.select_related(*ROW_RELATED).prefetch_related(
            "policies",
            _documents_with_uploader(),
            Prefetch("notifications", queryset=notices.order_by("due_at", "id")),
        ),
        agency=agency,
        pk=request_id,
    )


def open_requests_for(
    *, agency: Agency, insured: Insured, carrier: Carrier
) -> list[LossRunRequest]:
    """The agency's requests for this insured and carrier still waiting for loss runs."""
    return list(
        scoped(LossRunRequest, agency)
        .filter(insured=insured, carrier=carrier, received_on__isnull=True)
        .order_by("-created_at", "-id")[:5]
    )


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


def carrier_directory(*, agency: Agency, q: str = "", limit: int = 200) -> list[Carrier]:
    """The directory page: platform and private carriers the agency sees, by name."""
    qs = carriers_visible(agency=agency)
    q = q.strip()
    if q:
        qs = qs.filter(Q(legal_name__icontains=q) | Q(naic_code__istartswith=q))
    return list(qs.order_by("legal_name", "id")[:limit])


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


SEARCH_CAPS = {"insured": 500, "carrier": 20, "policy": 1000}


def _search_q(*, agency: Agency, q: str) -> Q:
    """Requests whose insured (legal name or DBA), carrier or a policy number contains `q`.

    Three small look-ups first (trigram indexes on PostgreSQL). When each finds a few rows
    the request filter is a list of ids (an index look-up, whatever the agency's size);
    when one finds many, matches are common and walking the requests newest first stops
    after a page, each request tested as it comes.
    """
    insureds = (
        scoped(Insured, agency)
        .filter(Q(legal_name__icontains=q) | Q(dba__icontains=q))
        .values_list("pk", flat=True)
    )
    carriers = (
        carriers_visible(agency=agency).filter(legal_name__icontains=q).values_list("pk", flat=True)
    )
    policies = (
        scoped(Policy, agency)
        .filter(policy_number__icontains=q)
        .values_list("request_id", flat=True)
    )
    found = {
        "insured": list(insureds[: SEARCH_CAPS["insured"] + 1]),
        "carrier": list(carriers[: SEARCH_CAPS["carrier"] + 1]),
        "policy": list(policies[: SEARCH_CAPS["policy"] + 1]),
    }
    if any(len(found[k]) > cap for k, cap in SEARCH_CAPS.items()):
        # Broad: test each request as the newest-first walk reaches it (joined columns and a
        # per-row EXISTS), instead of hashing thousands of matching ids up front.
        policy_match = scoped(Policy, agency).filter(
            request=OuterRef("pk"), policy_number__icontains=q
        )
        return (
            Q(insured__legal_name__icontains=q)
            | Q(insured__dba__icontains=q)
            | Q(carrier__legal_name__icontains=q)
            | Q(Exists(policy_match))
        )
    return (
        Q(insured_id__in=found["insured"])
        | Q(carrier_id__in=found["carrier"])
        | Q(pk__in=found["policy"])
    )


def request_list(
    *,
    agency: Agency,
    now: dt.datetime,
    q: str = "",
    status: str = "",
    owner: User | None = None,
) -> QuerySet[LossRunRequest]:
    """The agency's requests, newest first, narrowed by a search text, a status and an owner."""
    qs = with_row_fields(scoped(LossRunRequest, agency))
    if owner is not None:
        qs = qs.filter(owner=owner)
    q = q.strip()
    if q:
        qs = qs.filter(_search_q(agency=agency, q=q))
    if status in Status.LABELS:
        qs = qs.filter(status_q(status, now))
    elif status == Status.PAST_STATUTORY:
        qs = qs.filter(statutory_past_q(now.astimezone(agency.tz).date()))
    return qs.order_by("-created_at", "-id")


@dataclass
class RequestPage:
    """One keyset page of the vault (see vault.keyset): links are cursors, not numbers."""

    rows: list[RequestRow]
    has_previous: bool
    has_next: bool
    is_first: bool
    is_last: bool
    total: int | None  # None: a search with more pages, not counted
    total_capped: bool
    next_cursor: str = ""  # older rows start after this one
    previous_cursor: str = ""  # newer rows end before this one
    start_index: int | None = None  # the first row's position, when known without counting

    @property
    def end_index(self) -> int | None:
        return None if self.start_index is None else self.start_index + len(self.rows) - 1


def request_page(
    *,
    agency: Agency,
    now: dt.datetime,
    q: str = "",
    status: str = "",
    owner: User | None = None,
    after: str = "",
    before: str = "",
    last: bool = False,
    per_page: int = PAGE_SIZE,
) -> RequestPage:
    """One page of the vault: the first, the one after or before a cursor, or the last.

    The rows are one keyset query (per_page + 1 rows, to know whether more follow), so every
    page costs what the first costs; the count is capped at COUNT_CAP so a huge agency never
    counts every row per page, and a search with more pages is not counted at all."""
    qs = request_list(agency=agency, now=now, q=q, status=status, owner=owner)
    window = keyset_window(
        qs, per_page=per_page, after=Cursor.decode(after), before=Cursor.decode(before), last=last
    )
    rows = request_rows(window.rows, now, agency=agency)
    capped = False
    if window.is_first and window.is_last:
        total: int | None = len(rows)
    elif q.strip():
        total = None
    elif status in Status.LABELS:
        total = status_count(agency=agency, now=now, status=status, owner=owner)
    else:
        counted = qs.order_by()[: COUNT_CAP + 1].count()
        total, capped = min(counted, COUNT_CAP), counted > COUNT_CAP
    start = None
    if rows and window.is_first:
        start = 1
    elif rows and window.is_last and total is not None and not capped:
        start = total - len(rows) + 1
    return RequestPage(
        rows=rows,
        has_previous=window.has_previous,
        has_next=window.has_next,
        is_first=window.is_first,
        is_last=window.is_last,
        total=total,
        total_capped=capped,
        next_cursor=Cursor.of(window.rows[-1]).encode() if window.rows else "",
        previous_cursor=Cursor.of(window.rows[0]).encode() if window.rows else "",
        start_index=start,
    )


EXPORT_FIELDS = (
    "pk",
    "insured__legal_name",
    "insured__dba",
    "carrier__legal_name",
    "carrier__naic_code",
    "owner__full_name",
    "owner__email",
    "created_by__full_name",
    "created_by__email",
    "created_at",
    "first_request_on",
    "second_request_at",
    "received_on",
    "authorization",
    "helpdesk_open",
    "first_request_due_at",
    "second_request_due_at",
    "helpdesk_due_at",
    "next_due_at",
)
EXPORT_CHUNK = 2_000


def request_export_rows(
    *, agency: Agency, now: dt.datetime, q: str = "", status: str = "", owner: User | None = None
) -> Iterator[tuple[SimpleNamespace, list[str]]]:
    """The CSV export's rows under the list's filter: plain values (no model instances) and
    each request's policy numbers, read per chunk: two queries per 2,000 requests."""
    qs = request_list(agency=agency, now=now, q=q, status=status, owner=owner).values(
        *EXPORT_FIELDS
    )
    chunk: list[dict] = []

    def flush(rows: list[dict]) -> Iterator[tuple[SimpleNamespace, list[str]]]:
        numbers: dict[int, list[str]] = {}
        policies = scoped(Policy, agency).filter(request_id__in=[r["pk"] for r in rows])
        for request_id, number in policies.order_by("term_start", "policy_number").values_list(
            "request_id", "policy_number"
        ):
            numbers.setdefault(request_id, []).append(number)
        for r in rows:
            yield (
                SimpleNamespace(**{k.replace("__", "_"): v for k, v in r.items()}),
                numbers.get(r["pk"], []),
            )

    for row in qs.iterator(chunk_size=EXPORT_CHUNK):
        chunk.append(row)
        if len(chunk) >= EXPORT_CHUNK:
            yield from flush(chunk)
            chunk = []
    if chunk:
        yield from flush(chunk)
