"""Cell values as carriers write them: money to Decimal, dates in the usual US layouts."""

from __future__ import annotations

import datetime as dt
import re
from decimal import ROUND_HALF_UP, Decimal, InvalidOperation

CENT = Decimal("0.01")
MAX_MONEY = Decimal("999999999999.99")
_MONEY_RE = re.compile(r"^(?P<neg>-)?(?P<digits>\d{1,3}(?:,\d{3})+|\d+)?(?:\.(?P<cents>\d{1,2}))?$")
_PLAIN_RE = re.compile(r"^-?\d+(?:\.\d{1,2})?$")
_DOLLARS_RE = re.compile(r"^\$(?:\d{1,3}(?:,\d{3})+|\d+)(?:\.\d{1,2})?$")
_BLANK = {"", "-", "--", "n/a", "na", "none", "null"}
EXCEL_EPOCH = dt.date(1899, 12, 30)


class BadValue(ValueError):
    """A cell that does not hold what its column promises."""


def cell_text(value: object) -> str:
    """How a cell reads in a message: dates as YYYY-MM-DD, everything else as written."""
    if value is None:
        return ""
    if isinstance(value, dt.datetime):
        return value.date().isoformat()
    if isinstance(value, dt.date):
        return value.isoformat()
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    return str(value).strip()


def parse_money(value: object) -> Decimal | None:
    """'$1,234.50' -> 1234.50; '(1,234.50)' and '-1,234.50' -> -1234.50; blank -> None.

    Numbers from spreadsheets (int, float) are rounded half-up to the cent; text must
    already be dollars and cents. Never goes through float for text.
    """
    if value is None or isinstance(value, bool):
        return None
    if isinstance(value, Decimal):
        amount = value.quantize(CENT, rounding=ROUND_HALF_UP)
    elif isinstance(value, int):
        amount = Decimal(value).quantize(CENT)
    elif isinstance(value, float):
        try:
            amount = Decimal(repr(value)).quantize(CENT, rounding=ROUND_HALF_UP)
        except InvalidOperation as exc:
            raise BadValue("is not an amount") from exc
    else:
        text = str(value).strip()
        if _PLAIN_RE.match(text):  # '1234.56', '-12': no clean-up needed
            amount = Decimal(text).quantize(CENT)
        elif _DOLLARS_RE.match(text):  # '$1,234.50'
            amount = Decimal(text.replace("$", "").replace(",", "")).quantize(CENT)
        else:
            amount = _parse_money_text(text)
            if amount is None:
                return None
    if abs(amount) > MAX_MONEY:
        raise BadValue("is too large")
    return amount


def _parse_money_text(text: str) -> Decimal | None:
    if text.lower() in _BLANK:
        return None
    negative = False
    if text.startswith("(") and text.endswith(")"):
        negative, text = True, text[1:-1].strip()
    text = text.replace("$", "").replace(" ", "").replace("USD", "")
    if text.endswith("-"):  # "1,234.50-" as some mainframe reports print credits
        negative, text = True, text[:-1]
    match = _MONEY_RE.match(text)
    if not match or not (match["digits"] or match["cents"]):
        raise BadValue("is not an amount")
    negative = negative or bool(match["neg"])
    digits = (match["digits"] or "0").replace(",", "")
    amount = Decimal(f"{digits}.{(match['cents'] or '0').ljust(2, '0')}")
    return -amount if negative else amount


_DATE_FORMATS = (
    "%Y-%m-%d",
    "%m/%d/%Y",
    "%m/%d/%y",
    "%m-%d-%Y",
    "%m-%d-%y",
    "%Y/%m/%d",
    "%d-%b-%Y",
    "%d-%b-%y",
    "%b %d, %Y",
    "%B %d, %Y",
    "%b %d %Y",
    "%Y%m%d",
)


_ISO_RE = re.compile(r"^(\d{4})-(\d{1,2})-(\d{1,2})$")
_US_RE = re.compile(r"^(\d{1,2})/(\d{1,2})/(\d{4}|\d{2})$")


def parse_date(value: object) -> dt.date | None:
    """A date cell, a 'YYYY-MM-DD' / 'MM/DD/YYYY' / '05-Mar-2023' text, or an Excel serial number."""
    if value is None:
        return None
    if isinstance(value, dt.datetime):
        return value.date()
    if isinstance(value, dt.date):
        return value
    if isinstance(value, int | float) and not isinstance(value, bool):
        if 1 <= value < 2958466 and float(value).is_integer():
            return EXCEL_EPOCH + dt.timedelta(days=int(value))
        raise BadValue("is not a date")
    text = str(value).strip()
    if text.lower() in _BLANK:
        return None
    text = text.split("T")[0].split(" 00:00")[0].strip()
    # The two layouts nearly every carrier uses, without strptime's overhead.
    match = _ISO_RE.match(text)
    if match:
        year, month, day = int(match[1]), int(match[2]), int(match[3])
    else:
        match = _US_RE.match(text)
        if match:
            month, day, year = int(match[1]), int(match[2]), int(match[3])
            if len(match[3]) == 2:
                year += 2000 if year < 69 else 1900  # as strptime's %y
    if match:
        try:
            return dt.date(year, month, day)
        except ValueError as exc:
            raise BadValue("is not a date") from exc
    for fmt in _DATE_FORMATS:
        try:
            return dt.datetime.strptime(text, fmt).date()  # noqa: DTZ007 (a calendar date, no time)
        except ValueError:
            continue
    raise BadValue("is not a date")


_PERIOD_SPLIT = re.compile(
    r"\s+(?:-|–|to|thru|through)\s+|\s*(?:–|\bto\b)\s*|(?<=\d)\s*-\s*(?=\d{1,2}/)"
)


def parse_period(value: object) -> tuple[dt.date, dt.date] | None:
    """'01/01/2023 - 01/01/2024', '2023-01-01 to 2024-01-01', '1/1/23-1/1/24' -> (start, end)."""
    text = cell_text(value)
    if text.lower() in _BLANK:
        return None
    parts = [p for p in _PERIOD_SPLIT.split(text) if p.strip()]
    if len(parts) != 2:
        raise BadValue("is not a policy period (from - to)")
    start, end = parse_date(parts[0]), parse_date(parts[1])
    if start is None or end is None:
        raise BadValue("is not a policy period (from - to)")
    return start, end


def money_text(amount: Decimal) -> str:
    """5000 -> '5,000.00' for messages."""
    return f"{amount:,.2f}"
