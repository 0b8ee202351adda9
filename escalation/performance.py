"""How fast each carrier really answers, measured from the product's own requests.

For each carrier: how many requests were sent (a 1st-request date), the median and 90th
percentile of business days from the 1st request to the loss runs (the stored
`turnaround_business_days`, counted on each agency's calendar), the share that needed a
2nd request and the share that went to the Help Desk.

Everything is computed by the database, on SQLite and PostgreSQL alike, in one query and
one pass over the requests (see FIGURES_SQL); the percentile is the nearest-rank value, the
smallest turnaround at or above that share of the carrier's received requests. Two
agencies or more stand behind a figure when its lowest and highest agency id differ. The
platform-wide figure is an aggregate over every agency, shown only when at least
PLATFORM_MIN_REQUESTS requests from at least two agencies stand behind it; it carries no
agency, insured or request.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass

from django.db import connection
from django.db.models import Count, Max, Min, Q, QuerySet

from accounts.models import Agency
from vault.models import LossRunRequest

PLATFORM_MIN_REQUESTS = 5
# One pass over the requests: the inner query (the ORM's) groups them by carrier and
# turnaround, a histogram of a few rows per carrier; the window sums give each turnaround
# its carrier's cumulative count of received requests, and the outer grouping adds up the
# counts and picks the smallest turnaround whose cumulative share reaches 50% and 90%.
# A NULL turnaround (not received yet) counts as a request and never as a percentile.
FIGURES_SQL = """
SELECT w.carrier_id, SUM(w.n), MAX(w.received), SUM(w.second), SUM(w.helpdesk),
       MIN(w.first_agency), MAX(w.last_agency),
       MIN(CASE WHEN w.days IS NOT NULL AND w.running >= 0.5 * w.received THEN w.days END),
       MIN(CASE WHEN w.days IS NOT NULL AND w.running >= 0.9 * w.received THEN w.days END)
FROM (
    SELECT h.carrier_id, h.turnaround_business_days AS days, h.n, h.second, h.helpdesk,
           h.first_agency, h.last_agency,
           SUM(CASE WHEN h.turnaround_business_days IS NULL THEN 0 ELSE h.n END)
               OVER (PARTITION BY h.carrier_id ORDER BY h.turnaround_business_days) AS running,
           SUM(CASE WHEN h.turnaround_business_days IS NULL THEN 0 ELSE h.n END)
               OVER (PARTITION BY h.carrier_id) AS received
    FROM ({inner}) h
) w
GROUP BY w.carrier_id
"""


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
        ids = list(carrier_ids)
        qs = qs.filter(carrier_id__in=ids) if ids else qs.none()
    return qs.order_by()


def _figures(qs: QuerySet, *, keep) -> dict[int, CarrierFigures]:
    if qs.query.is_empty():  # e.g. no carrier on the page: no SQL to wrap
        return {}
    # Every column read here is in the covering index request_carrier_turnaround; the Help
    # Desk share comes from the request's own flag (set when a ticket is submitted), not
    # from a look-up in the tickets per row, which cost more than the rest together.
    histogram = qs.values("carrier_id", "turnaround_business_days").annotate(
        n=Count("*"),
        second=Count("id", filter=Q(second_request_at__isnull=False)),
        helpdesk=Count("id", filter=Q(went_to_helpdesk=True)),
        first_agency=Min("agency_id"),
        last_agency=Max("agency_id"),
    )
    # The inner query is the ORM's own SQL with its parameters kept apart: nothing typed by
    # a user is formatted into the string.
    inner, params = histogram.query.sql_with_params()
    with connection.cursor() as cursor:
        cursor.execute(FIGURES_SQL.format(inner=inner), params)
        rows = cursor.fetchall()
    out = {}
    for carrier_id, n, received, second, helpdesk, first_agency, last_agency, median, p90 in rows:
        # PostgreSQL's SUM of counts is numeric (Decimal): back to whole numbers.
        n, received, second, helpdesk = int(n), int(received), int(second), int(helpdesk)
        if not keep(requests=n, several_agencies=first_agency != last_agency):
            continue
        out[carrier_id] = CarrierFigures(
            carrier_id=carrier_id,
            requests=n,
            received=received,
            median_days=median,
            p90_days=p90,
            second_share=second / n,
            helpdesk_share=helpdesk / n,
        )
    return out


def agency_carrier_figures(
    *, agency: Agency, carrier_ids: Iterable[int] | None = None
) -> dict[int, CarrierFigures]:
    """The agency's own requests, per carrier (every carrier it has sent a request to)."""
    return _figures(
        _measured(agency=agency, carrier_ids=carrier_ids),
        keep=lambda requests, several_agencies: True,
    )


def platform_carrier_figures(
    *, carrier_ids: Iterable[int] | None = None
) -> dict[int, CarrierFigures]:
    """Across every agency, only where enough requests and agencies stand behind it."""
    return _figures(
        _measured(agency=None, carrier_ids=carrier_ids),
        keep=lambda requests, several_agencies: (
            requests >= PLATFORM_MIN_REQUESTS and several_agencies
        ),
    )
