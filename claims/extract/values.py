"""Printed values: amounts to decimal strings as printed, dates to ISO, claim numbers, statuses."""

from __future__ import annotations

import re
from decimal import Decimal, InvalidOperation
from functools import lru_cache

from claims.importers.records import STATUS_BY_WORD
from claims.importers.values import BadValue, parse_date

_AMOUNT = re.compile(
    r"^(?P<open>\()?\s*(?P<neg>-)?\s*\$?\s*(?P<neg2>-)?(?P<num>\d{1,3}(?:,\d{3})+|\d+)(?P<cents>\.\d{1,2})?"
    r"\s*(?P<close>\))?(?P<trail>-|CR)?$",
    re.IGNORECASE,
)
DATE_RE = re.compile(
    r"\b(\d{1,2}/\d{1,2}/(?:\d{4}|\d{2})|\d{4}-\d{2}-\d{2}|\d{1,2}-\d{1,2}-(?:\d{4}|\d{2})"
    r"|\d{1,2}-[A-Za-z]{3}-\d{2,4}|[A-Z][a-z]{2,8}\.? \d{1,2},? \d{4})\b"
)
# "USD 1,234.00", "(USD 1,234.00)", "1,234.00 USD": the currency code, as a "$", goes.
_CURRENCY = re.compile(r"^([(-]?)(?:USD|US\$)|USD$", re.IGNORECASE)
_CLAIM_LIKE = re.compile(r"^(?=[^\s]*\d)[A-Za-z0-9][A-Za-z0-9\-/._#]{2,}$|^[A-Za-z]{1,4} \d{4,}$")
_RANGE_SEP = re.compile(r"^\s*(?:-|–|—|to|thru|through)\s*$", re.IGNORECASE)


def amount_text(text: str) -> str | None:
    """'$1,234.50' -> '1234.50'; '(1,234.50)' and '1,234.50-' -> '-1234.50'; not an amount -> None.

    The digits stay as printed (no rounding, no added cents); only $, commas and the
    parentheses go.
    """
    value = _CURRENCY.sub(r"\1", text.strip().replace(" ", ""))
    if not value or value in {"-", "--", "—"}:
        return None
    match = _AMOUNT.match(value)
    if not match or bool(match["open"]) != bool(match["close"]):
        return None
    if not match["cents"] and "," not in match["num"] and "$" not in value and not match["open"]:
        # A bare integer is an amount only where a money column or label says so.
        pass
    negative = bool(match["open"] or match["neg"] or match["neg2"] or match["trail"])
    number = match["num"].replace(",", "") + (match["cents"] or "")
    try:
        Decimal(number)
    except InvalidOperation:
        return None
    return f"-{number}" if negative and Decimal(number) != 0 else number


# What carriers print in a cell that holds nothing: a dash, "N/A", "None". The cell is empty,
# not an unreadable value (no flag); "0.00" stays an amount.
_BLANK = re.compile(r"^(?:\$\s*)?(?:[-–—]{1,3}|n/?a|none|nil)$", re.IGNORECASE)


def is_blank(text: str) -> bool:
    return bool(_BLANK.match(text.strip()))


def is_amount(text: str) -> bool:
    return amount_text(text) is not None and any(ch in text for ch in ".,$()")


_DATE_SHAPE = re.compile(
    r"^(?:\d{1,4}[-/]\d{1,2}[-/]\d{2,4}|\d{1,2}-[A-Za-z]{3}-\d{2,4}|[A-Za-z]{3,9}\.? \d{1,2},? \d{4})$"
)


@lru_cache(maxsize=4096)
def date_iso(text: str) -> str | None:
    """A printed date as YYYY-MM-DD, or None."""
    value = re.sub(r"(?<=[-/])\s+", "", text.strip().rstrip(".,;"))  # "05- Mar-2023", wrapped
    if not value or len(value) > 20 or not _DATE_SHAPE.match(value):
        return None
    try:
        day = parse_date(value)
    except BadValue:
        return None
    return day.isoformat() if day else None


def dates_in(text: str) -> list[tuple[int, int, str]]:
    """(start, end, iso) of every date printed in a text."""
    found = []
    for match in DATE_RE.finditer(text):
        iso = date_iso(match.group(0))
        if iso:
            found.append((match.start(), match.end(), iso))
    return found


def period_in(text: str) -> tuple[str, str] | None:
    """Two dates printed as a range ('01/01/2023 to 01/01/2024', 'Effective: .. Expiration: ..')."""
    found = dates_in(text)
    for (s1, e1, a), (s2, _e2, b) in zip(found, found[1:], strict=False):
        between = text[e1:s2]
        ranged = _RANGE_SEP.match(between) or re.search(r"exp|to\b|thru|through", between, re.I)
        if ranged and a < b:
            return a, b
        del s1
    return None


def claim_like(text: str) -> bool:
    """A claim (or policy) number: letters and digits with at least one digit, not a date or amount."""
    value = text.strip()
    if not _CLAIM_LIKE.match(value) or date_iso(value) or is_amount(value):
        return False
    return not re.fullmatch(r"\d{1,2}", value)


def unknown_status_flag(printed: str) -> str:
    """The flag of a claim whose printed status status_of does not know."""
    return f"status '{printed}' is not one the product knows"


def status_of(printed: str, legend: dict[str, str]) -> str:
    """The normalised status ('open', ...) of a printed status or code; '' when unknown."""
    value = printed.strip()
    meaning = legend.get(value.upper(), value)
    # The whole wording, then each of its words ("Closed w/o Payment", "Open - Litigated",
    # "Litigated (Open)"); one- and two-letter words are codes only when printed alone.
    # Where the words name two statuses the narrower one wins: "Open - Subro" is subrogated.
    words = [w for w in re.split(r"[^a-z]+", meaning.lower()) if len(w) > 2]
    found = []
    for candidate in (meaning, *words):
        key = re.sub(r"[^a-z]", "", candidate.lower())
        if key in STATUS_BY_WORD:
            found.append(str(STATUS_BY_WORD[key]))
    narrow = [s for s in found if s not in ("open", "closed")]
    return (narrow or found or [""])[0]
