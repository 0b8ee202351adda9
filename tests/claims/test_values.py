"""Money and dates as carriers print them; money never goes through float."""

import datetime as dt
from decimal import Decimal

import pytest
from hypothesis import given
from hypothesis import strategies as st

from claims.importers.values import BadValue, parse_date, parse_money, parse_period

CENTS = st.integers(min_value=-(10**13) + 1, max_value=10**13 - 1).map(lambda c: Decimal(c) / 100)


@given(CENTS)
def test_printed_amounts_read_back_exactly(amount):
    text = f"{abs(amount):,.2f}"
    expected = amount.quantize(Decimal("0.01"))
    for printed in (
        f"${text}" if amount >= 0 else f"(${text})",
        f"{amount:.2f}",
        f"{text}-" if amount < 0 else text,
    ):
        assert parse_money(printed) == expected, printed


@pytest.mark.parametrize(
    ("value", "expected"),
    [("$1,234.50", "1234.50"), ("(1,234.50)", "-1234.50"), ("-0.5", "-0.50"), (".5", "0.50"),
     ("USD 12", "12.00"), (0.1 + 0.2, "0.30"), (12, "12.00"), (2.675, "2.68"), ("", None), ("-", None),
     (None, None)],
)  # fmt: skip
def test_money_forms(value, expected):
    assert parse_money(value) == (Decimal(expected) if expected else None)


@pytest.mark.parametrize("value", ["abc", "1,23", "1.000,00", "12.345", "$", "1e3", "--5"])
def test_not_amounts(value):
    with pytest.raises(BadValue):
        parse_money(value)


@pytest.mark.parametrize(
    ("value", "expected"),
    [("2023-02-28", dt.date(2023, 2, 28)), ("02/28/2023", dt.date(2023, 2, 28)), ("2/8/23", dt.date(2023, 2, 8)),
     ("05-Mar-2023", dt.date(2023, 3, 5)), ("Mar 5, 2023", dt.date(2023, 3, 5)), (45000, dt.date(2023, 3, 15)),
     (dt.datetime(2023, 1, 2, 0, 0), dt.date(2023, 1, 2)), ("2023-03-01T00:00:00", dt.date(2023, 3, 1)),
     ("", None)],
)  # fmt: skip
def test_date_forms(value, expected):
    assert parse_date(value) == expected


@pytest.mark.parametrize("value", ["2023-02-30", "13/01/2023", "soon", 1.5, "02/30/2023"])
def test_not_dates(value):
    with pytest.raises(BadValue):
        parse_date(value)


@pytest.mark.parametrize(
    "value",
    ["01/01/2023 - 01/01/2024", "2023-01-01 to 2024-01-01", "1/1/23-1/1/24", "01/01/2023–01/01/2024",
     "2023-01-01 - 2024-01-01"],
)  # fmt: skip
def test_policy_periods(value):
    assert parse_period(value) == (dt.date(2023, 1, 1), dt.date(2024, 1, 1))
