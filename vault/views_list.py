"""Today and the vault list (with its CSV export and the "+" row), on the agency's clock.

Views parse, call one selector and respond; every page runs on the agency's wall clock
(timezone.override, see accounts.decorators.agency_view).
"""

from __future__ import annotations

from django.http import StreamingHttpResponse
from django.shortcuts import render
from django.utils import timezone
from django.views.decorators.http import require_GET

from accounts import selectors as account_selectors
from accounts.decorators import agency_view
from accounts.models import User
from vault import derived, selectors, selectors_counts, selectors_today
from vault.csv_export import request_csv_rows, stream_csv
from vault.forms import VaultFilterForm
from vault.rules import agency_today
from vault.selectors_today import TODAY_LIMIT
from vault.status import Status


@require_GET
@agency_view
def today(request, agency):
    now = timezone.now()
    mine = request.GET.get("mine") == "1"
    owner = request.user if mine else None
    counts = selectors_counts.status_counts(agency=agency, now=now, owner=owner)
    sections = selectors_today.today_sections(agency=agency, now=now, counts=counts, owner=owner)
    statutory, statutory_total = derived.past_statutory(
        agency=agency, today=agency_today(agency, now), limit=TODAY_LIMIT, owner=owner
    )
    questions, questions_total = selectors_today.helpdesk_questions(agency=agency, owner=owner)
    return render(
        request,
        "vault/today.html",
        {
            "mine": mine,
            "checklist": selectors_today.first_run_checklist(
                agency=agency, has_request=None if mine else any(counts.values())
            ),
            "questions": questions,
            "questions_total": questions_total,
            "sections": [s for s in sections if s.status != Status.WITH_HELP_DESK],
            "with_helpdesk": next((s for s in sections if s.status == Status.WITH_HELP_DESK), None),
            "counts": [(s, Status.LABELS[s], counts[s]) for s in Status.LABELS],
            "request_total": sum(counts.values()),
            "needs_action": sum(counts[s] for s in Status.NEEDS_ACTION)
            + statutory_total
            + questions_total,
            "statutory_rows": selectors.request_rows(statutory, now, agency=agency),
            "statutory_total": statutory_total,
            "past_statutory": Status.PAST_STATUTORY,
            "now": now,
        },
    )


def _filters(request, agency) -> tuple[VaultFilterForm, str, str, User | None]:
    form = VaultFilterForm(
        request.GET or None, members=account_selectors.members_active(agency=agency)
    )
    if form.is_bound and form.is_valid():
        return (
            form,
            form.cleaned_data["q"],
            form.cleaned_data["status"],
            form.owner_for(request.user),
        )
    return form, "", "", None


@require_GET
@agency_view
def request_list(request, agency):
    form, q, status, owner = _filters(request, agency)
    now = timezone.now()
    page = selectors.request_page(
        agency=agency,
        now=now,
        q=q,
        status=status,
        owner=owner,
        after=request.GET.get("after", ""),
        before=request.GET.get("before", ""),
        last=request.GET.get("last") == "1",
    )
    return render(
        request,
        "vault/list.html",
        {
            "form": form,
            "page": page,
            "q": q,
            "status": status,
            "owner": owner,
            "status_label": Status.FILTERS.get(status, ""),
            "now": now,
        },
    )


@require_GET
@agency_view
def export_csv(request, agency):
    _form, q, status, owner = _filters(request, agency)
    now = timezone.now()
    rows = selectors.request_export_rows(agency=agency, now=now, q=q, status=status, owner=owner)
    response = StreamingHttpResponse(
        stream_csv(request_csv_rows(rows, tz=agency.tz, now=now)),
        content_type="text/csv; charset=utf-8",
    )
    stamp = timezone.localdate().isoformat()
    response["Content-Disposition"] = f'attachment; filename="loss-run-requests-{stamp}.csv"'
    return response


@require_GET
@agency_view
def request_row(request, agency, request_id: int):
    req = selectors.request_get_expanded(agency=agency, request_id=request_id)
    return render(
        request,
        "vault/_request_detail.html",
        {
            "req": req,
            "row": selectors.request_row(req, timezone.now()),
        },
    )
