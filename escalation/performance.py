"""How fast each carrier really answers, measured from the product's own requests.

For each carrier: how many requests were sent (a 1st-request date), the median and 90th
percentile of business days from the 1st request to the loss runs (the stored
`turnaround_business_days`, counted on each agency's calendar), the share that needed a
2nd request and the share that went to the Help Desk.

Everything is computed by the database: one grouped count and one grouped percentile query
(a window function ranks each carrier's turnarounds; the percentile is the nearest-rank
value, the smallest turnaround at or above that share of them), on SQLite and PostgreSQL
alike. The platform-wide figure is an aggregate over every agency, shown only when at least
PLATFORM_MIN_REQUESTS requests from at least PLATFORM_MIN_AGENCIES agencies stand behind it;
it carries no agency, insured or request.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass

from django.db import connection
from django.db.models import Count, F, Q, QuerySet, Window
from django.db.models.functions import CumeDist

from accounts.models import Agency
from vault.models import LossRunRequest

PLATFORM_MIN_REQUESTS = 5
PLATFORM_MIN_AGENCIES = 2
PERCENTILES_SQL = (
    "SELECT r.carrier_id,"
    " MIN(CASE WHEN r.share >= 0.5 THEN r.turnaround_business_days END),"
    " MIN(CASE WHEN r.share >= 0.9 THEN r.turnaround_business_days END)"
    " FROM ({inner}) r GROUP BY r.carrier_id"
)


@dataclass(frozen=True)
class CarrierFigures:
    carrier_id: int
    requests: int
    received: int
    median_days: int | None
    p90_days: int | None
    second_share: float
    helpdesk_share: float

    @property
    def summary(self) -> str:
        """ "usually answers in 6 business days; 1 in 5 needs a 2nd request" """
        if self.median_days is None:
            answers = "no loss runs received yet"
        else:
            days = self.median_days
            answers = f"usually answers in {days} business day{'s' if days != 1 else ''}"
        return f"{answers}; {_one_in(self.second_share, 'needs a 2nd request')}"

    @property
    def helpdesk_text(self) -> str:
        return _one_in(self.helpdesk_share, "goes to the Help Desk")


def _one_in(share: float, what: str) -> str:
    if share <= 0:
        return f"none {what.replace('needs', 'needed').replace('goes', 'went')}"
    n = round(1 / share)
    return f"1 in {n} {what}" if n > 1 else f"nearly all {what.split(' ', 1)[1]}"


def _measured(*, agency: Agency | None, carrier_ids: Iterable[int] | None) -> QuerySet:
    qs = LossRunRequest.objects.filter(first_request_on__isnull=False)
    if agency is not None:
        qs = qs.filter(agency=agency)
    if carrier_ids is not None:
        qs = qs.filter(carrier_id__in=list(carrier_ids))
    return qs.order_by()


def _counts(qs: QuerySet) -> dict[int, dict]:
    rows = qs.values("carrier_id").annotate(
        requests=Count("id"),
        agencies=Count("agency_id", distinct=True),
        received=Count("id", filter=Q(turnaround_business_days__isnull=False)),
        second=Count("id", filter=Q(second_request_at__isnull=False)),
    )
    out = {r["carrier_id"]: r for r in rows}
    to_helpdesk = (
        qs.filter(helpdesk_tickets__isnull=False)
        .values("carrier_id")
        .annotate(n=Count("id", distinct=True))
    )
    for r in to_helpdesk:
        out[r["carrier_id"]]["helpdesk"] = r["n"]
    return out


def _percentiles(qs: QuerySet) -> dict[int, tuple[int | None, int | None]]:
    """Median and p90 per carrier: MIN over the rows whose cumulative share reaches p."""
    ranked = (
        qs.filter(turnaround_business_days__isnull=False)
        .annotate(
            share=Window(
                CumeDist(),
                partition_by=[F("carrier_id")],
                order_by=F("turnaround_business_days").asc(),
            )
        )
        .values("carrier_id", "turnaround_business_days", "share")
    )
    # The inner query is the ORM's own SQL with its parameters kept apart: nothing typed by
    # a user is formatted into the string.
    inner, params = ranked.query.sql_with_params()
    sql = PERCENTILES_SQL.format(inner=inner)
    with connection.cursor() as cursor:
        cursor.execute(sql, params)
        return {carrier_id: (median, p90) for carrier_id, median, p90 in cursor.fetchall()}


def _figures(qs: QuerySet, *, keep) -> dict[int, CarrierFigures]:
    counts = {k: v for k, v in _counts(qs).items() if keep(v)}
    if not counts:
        return {}
    percentiles = _percentiles(qs.filter(carrier_id__in=list(counts)))
    return {
        carrier_id: CarrierFigures(
            carrier_id=carrier_id,
            requests=c["requests"],
            received=c["received"],
            median_days=percentiles.get(carrier_id, (None, None))[0],
            p90_days=percentiles.get(carrier_id, (None, None))[1],
            second_share=c["second"] / c["requests"],
            helpdesk_share=c.get("helpdesk", 0) / c["requests"],
        )
        for carrier_id, c in counts.items()
    }


def agency_carrier_figures(
    *, agency: Agency, carrier_ids: Iterable[int] | None = None
) -> dict[int, CarrierFigures]:
    """The agency's own requests, per carrier (every carrier it has sent a request to)."""
    return _figures(_measured(agency=agency, carrier_ids=carrier_ids), keep=lambda c: True)


def platform_carrier_figures(
    *, carrier_ids: Iterable[int] | None = None
) -> dict[int, CarrierFigures]:
    """Across every agency, only where enough requests and agencies stand behind it."""
    return _figures(
        _measured(agency=None, carrier_ids=carrier_ids),
        keep=lambda c: (
            c["requests"] >= PLATFORM_MIN_REQUESTS and c["agencies"] >= PLATFORM_MIN_AGENCIES
        ),
    )
