"""The claims' domain rules, each in one function (domain.md, "What a loss run is").

The money functions only add and subtract, so they take Decimals (a claim in Python) or
Django expressions (`F("paid_indemnity")`, for aggregates and CheckConstraints) alike: the
database and the Python code compute paid and incurred with the same function.

No import of claims.models here: the models build their CheckConstraints from this module.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable
from decimal import Decimal
from typing import TypeVar

from django.db.models import F, Q, Value
from django.db.models.functions import Abs
from django.db.models.lookups import LessThan

Amount = TypeVar("Amount")

# Statuses whose claim carries no reserves ("zero on a closed claim"; a denied claim is
# closed without payment). The values of Claim.Status.CLOSED and Claim.Status.DENIED.
NO_RESERVES_STATUSES = ("closed", "denied")


def paid(*, indemnity: Amount, medical: Amount, expense: Amount, recoveries: Amount) -> Amount:
    """Paid to date, net of recoveries: indemnity + medical + expense - recoveries."""
    return indemnity + medical + expense - recoveries  # type: ignore[operator]


def incurred(*, paid: Amount, reserves: Amount) -> Amount:
    """Total incurred: what was paid plus what the carrier still holds."""
    return paid + reserves  # type: ignore[operator]


def carries_reserves_allowed(status: str) -> bool:
    """A closed (or denied) claim carries no reserves."""
    return status not in NO_RESERVES_STATUSES


# The same rules as expressions over a Claim row, for aggregates and the constraints.
PAID_EXPRESSION = paid(
    indemnity=F("paid_indemnity"),
    medical=F("paid_medical"),
    expense=F("paid_expense"),
    recoveries=F("recoveries"),
)
# Within half a cent, not equal: SQLite does decimal arithmetic in floating point. On
# PostgreSQL (exact numeric, two decimals) this is equality.
INCURRED_IS_PAID_PLUS_RESERVES = LessThan(
    Abs(F("total_incurred") - incurred(paid=PAID_EXPRESSION, reserves=F("reserves"))),
    Value(Decimal("0.005")),
)
NO_RESERVES_WHEN_CLOSED = ~Q(status__in=NO_RESERVES_STATUSES) | Q(reserves=0)


# --- Submission readiness (domain.md, "Submission readiness") ------------------------------
#
# Pure functions over plain dates; claims.readiness gathers the rows and calls these.


def term_label(start: dt.date, end: dt.date) -> str:
    """A policy term as underwriters write it: 2021-07-01 to 2022-07-01 -> '2021-22'."""
    return f"{start.year}-{end.year % 100:02d}"


def expected_terms(
    *,
    requested: Iterable[tuple[dt.date, dt.date]],
    today: dt.date,
    anniversary: tuple[int, int],
    default_years: int,
) -> dict[int, str]:
    """The policy years the insured should have on file, keyed by the year a term starts.

    The years are the terms of the insured's requests, exactly as requested. Only an
    insured with no request yet is expected to hold the `default_years` most recent policy
    years up to the term in force today (its anniversary: the newest term on file's).
    """
    terms = {start.year: term_label(start, end) for start, end in requested}
    if terms:
        return dict(sorted(terms.items()))
    current = today.year if (today.month, today.day) >= anniversary else today.year - 1
    return {
        year: term_label(dt.date(year, 1, 1), dt.date(year + 1, 1, 1))
        for year in range(current - default_years + 1, current + 1)
    }


def valuation_is_stale(*, valued: dt.date, today: dt.date, limit_days: int) -> bool:
    """Underwriters want the valuation within `limit_days` (90, some markets 60) of submission."""
    return (today - valued).days > limit_days


def new_request_offered(*, open_request_id: int | None) -> bool:
    """A new request is offered for a carrier only when none is open for it already."""
    return open_request_id is None
