"""The request's statutory columns: its governing state's deadline and its turnaround.

`statutory_due_on` (the last day the carrier has under the governing state's rule) and
`turnaround_business_days` (business days from the 1st request to the loss runs, for the
carrier figures) are stored so the vault can filter on the first and the database can
aggregate the second. Both are recomputed here whenever a request's dates, governing
state or the rules table change; the rule itself is statutes.rules.statutory_deadline.
"""

from __future__ import annotations

import datetime as dt

from django.db import transaction
from django.db.models import Q, QuerySet

from accounts.models import Agency, User
from statutes.models import StateRule
from statutes.rules import Calendar, StatutoryDeadline, statutory_deadline
from statutes.selectors import rule_for_state, rules_for_states
from vault.models import Insured, LossRunRequest
from vault.rows import with_row_fields
from vault.scheduling import business_calendar, closed_days_of

DERIVED_FIELDS = ["statutory_due_on", "turnaround_business_days"]
REFRESH_BATCH = 1000


def governing_state_default(*, chosen: str, insured: Insured) -> str:
    """The state the agency chose, else the insured's state."""
    return chosen or insured.state


def statutory_past_q(today: dt.date, via: str = "") -> Q:
    """Open requests whose statutory due date has passed (the kit is due); `via` is the
    path to the request from another model, e.g. "request__" from a ticket."""
    return Q(**{f"{via}received_on__isnull": True, f"{via}statutory_due_on__lt": today})


def is_past_statutory(request: LossRunRequest, today: dt.date) -> bool:
    """The same test as statutory_past_q, on one loaded request."""
    return (
        request.received_on is None
        and request.statutory_due_on is not None
        and request.statutory_due_on < today
    )


def turnaround_business_days(
    first_request_on: dt.date | None, received_on: dt.date | None, cal: Calendar
) -> int | None:
    """Business days in (1st request, received]; None until both dates are known."""
    if first_request_on is None or received_on is None or received_on < first_request_on:
        return None
    return cal.business_days_between(first_request_on, received_on)


def _deadline(request: LossRunRequest, rule: StateRule | None, cal: Calendar):
    return statutory_deadline(
        state=request.governing_state,
        rule=rule,
        first_request_on=request.first_request_on,
        condition_met=request.statute_condition_met,
        cal=cal,
    )


def request_deadline(request: LossRunRequest) -> StatutoryDeadline:
    """What the request page says about the statutory deadline (reads the rule on file)."""
    return _deadline(
        request, rule_for_state(request.governing_state), business_calendar(request.agency)
    )


def _compute(request: LossRunRequest, cal: Calendar, rules: dict[str, StateRule]) -> None:
    request.statutory_due_on = _deadline(request, rules.get(request.governing_state), cal).due_on
    request.turnaround_business_days = turnaround_business_days(
        request.first_request_on, request.received_on, cal
    )


@transaction.atomic
def request_derived_refresh(request: LossRunRequest) -> None:
    """Recompute and store one saved request's statutory columns after its dates changed."""
    _compute(
        request, business_calendar(request.agency), rules_for_states([request.governing_state])
    )
    LossRunRequest.objects.filter(pk=request.pk).update(
        **{f: getattr(request, f) for f in DERIVED_FIELDS}
    )


def requests_derived_refresh(queryset: QuerySet[LossRunRequest]) -> int:
    """Recompute many requests (a rule edited, an agency's calendar changed): a few queries
    per batch of REFRESH_BATCH, one calendar per agency. Returns how many were updated."""
    ids = list(queryset.order_by("pk").values_list("pk", flat=True))
    done = 0
    for start in range(0, len(ids), REFRESH_BATCH):
        with transaction.atomic():
            batch = list(
                LossRunRequest.objects.filter(pk__in=ids[start : start + REFRESH_BATCH])
                .select_related("agency")
                .only(
                    "pk",
                    "agency",
                    "governing_state",
                    "statute_condition_met",
                    "first_request_on",
                    "received_on",
                    *DERIVED_FIELDS,
                )
            )
            closed = closed_days_of({r.agency_id for r in batch})
            rules = rules_for_states(r.governing_state for r in batch)
            for req in batch:
                _compute(req, business_calendar(req.agency, closed[req.agency_id]), rules)
            LossRunRequest.objects.bulk_update(batch, DERIVED_FIELDS)
            done += len(batch)
    return done


def state_requests_refresh(*, state: str) -> int:
    """After a rule of `state` was added, changed or removed."""
    return requests_derived_refresh(LossRunRequest.objects.filter(governing_state=state))


def agency_requests_refresh(*, agency: Agency) -> int:
    """After the agency's calendar changed (closed days, holiday calendar)."""
    return requests_derived_refresh(
        LossRunRequest.objects.filter(agency=agency, first_request_on__isnull=False)
    )


def past_statutory(
    *, agency: Agency, today: dt.date, limit: int, owner: User | None = None
) -> tuple[list[LossRunRequest], int]:
    """Today's "past the statutory deadline": the longest overdue first, and how many
    (of one owner's requests when `owner` is given: Today's "My requests")."""
    qs = LossRunRequest.objects.filter(agency=agency).filter(statutory_past_q(today))
    if owner is not None:
        qs = qs.filter(owner=owner)
    rows = list(with_row_fields(qs).order_by("statutory_due_on", "id")[:limit])
    return rows, (len(rows) if len(rows) < limit else qs.count())
