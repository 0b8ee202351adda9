"""The claims' domain rules, each in one function (domain.md, "What a loss run is").

The money functions only add and subtract, so they take Decimals (a claim in Python) or
Django expressions (`F("paid_indemnity")`, for aggregates and CheckConstraints) alike: the
database and the Python code compute paid and incurred with the same function.

No import of claims.models here: the models build their CheckConstraints from this module.
"""

from __future__ import annotations

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
