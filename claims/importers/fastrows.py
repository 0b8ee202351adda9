"""The fast path of the row check: plain rows checked in integer cents, straight to insert values.

RowValidator.validate (claims.importers.rows) is the rule book: it reads every layout of a
value and words every problem. Most rows of a loss run are plain (`$1,234.50`, `03/04/2023`,
the same statuses and terms on every row), so FastRows reads those with parsers chosen once
per column from the mapping, does the money rules in integer cents (exact, as the Decimal
sums are for amounts in cents) and returns the row's insert values, with no Decimal and no
ParsedClaim per row. It never guesses and never refuses: on any value it does not know for
sure, or any rule a row breaks, `check` returns None and the caller hands the row to
RowValidator.validate, which gives the claim or the exact sentences. A row FastRows takes
leaves the validator's cross-row state (claim numbers seen, incurred conventions, term
premiums) exactly as validate would.

Values come out in claims.importers.records.CLAIM_ROW order, dates as ISO text and amounts
as the text `str(Decimal)` gives for cents: what the database adapters make of the
validator's date and Decimal values.
"""

from __future__ import annotations

import datetime as dt
import re
from decimal import Decimal

from claims import rules
from claims.headers import ADDITIVE_FIELDS
from claims.importers.records import MONEY_FIELDS, TEXT_LIMITS, TermKey, claim_key, parse_status
from claims.importers.rows import RowValidator
from claims.importers.values import BadValue, cell_text, parse_date, parse_money

# Exactly the texts parse_money reads as a non-negative amount without clean-up beyond '$'
# and thousands separators, ASCII digits, no leading zero, at most 12 digits (under MAX_MONEY).
_MONEY_TEXT = re.compile(
    r"\$?(0|[1-9][0-9]{0,11}|[1-9][0-9]{0,2}(?:,[0-9]{3}){1,3})(?:\.([0-9]{1,2}))?"
)
# The amounts most loss runs print: two decimals, no sign, '$' and thousands separators at
# most. A subset of _MONEY_TEXT, read a block of rows at a time by plain_amounts.
_PLAIN = r"\$?(?:0|[1-9][0-9]{0,11}|[1-9][0-9]{0,2}(?:,[0-9]{3}){1,3})\.[0-9]{2}"
_PLAIN_MONEY = re.compile(_PLAIN)
PLAIN_LINES = re.compile(rf"(?:{_PLAIN}\n)*{_PLAIN}")  # plain amounts, one per line
# repr() of a float spreadsheet cell that is already dollars and cents.
_MONEY_FLOAT = re.compile(r"(0|[1-9][0-9]{0,11})\.([0-9]{1,2})")
_MAX_WHOLE = 999_999_999_999
CACHE_LIMIT = 100_000
STATUS_CACHE_LIMIT = 1000  # distinct status texts remembered
FAIL = object()  # a value the fast path does not take: the row goes to the validator
MISS = object()  # not in a cache yet
KEY_TYPES = (str, type(None), dt.datetime, dt.date)  # cells that are equal only when alike


def status_value(raw: str) -> str | None:
    """parse_status's status as the plain text stored (not the enum member: a plain str
    binds and pickles without a look-up per row)."""
    status = parse_status(raw)
    return None if status is None else str(status.value)


def cents_text(cents: int) -> str:
    """-123456 -> '-1234.56', as str() of the Decimal amount."""
    sign = "-" if cents < 0 else ""
    whole, part = divmod(abs(cents), 100)
    return f"{sign}{whole}.{part:02d}"


_ZERO = (0, "0.00")


def _added(one: tuple[int, str], other: tuple[int, str]) -> tuple[int, str]:
    cents = one[0] + other[0]
    return cents, cents_text(cents)


def money_value(raw: object) -> tuple[int, str] | None | object:
    """A non-negative amount as (cents, its text as str() of parse_money's Decimal writes
    it), None for a blank cell, FAIL for anything else (negative, odd or bad: the
    validator reads those)."""
    cls = raw.__class__
    if cls is str:
        match = _MONEY_TEXT.fullmatch(raw)  # type: ignore[arg-type]
        if match is None:
            return _general(raw)
        whole, cents = match[1].replace(",", ""), match[2]
    elif cls is float:
        match = _MONEY_FLOAT.fullmatch(repr(raw))
        if match is None:
            return _general(raw)
        whole, cents = match[1], match[2]
    elif cls is int:
        if not 0 <= raw <= _MAX_WHOLE:  # type: ignore[operator]
            return FAIL
        whole, cents = str(raw), ""
    elif raw is None:
        return None
    else:
        return _general(raw)
    cents = cents.ljust(2, "0") if cents else "00"
    return int(whole + cents), f"{whole}.{cents}"


def plain_amounts(texts: list[str]) -> dict[str, tuple[int, str]]:
    """money_value of each text that is a plain amount (_PLAIN_MONEY), for many texts at once:
    the pattern is matched over the joined texts (by filter() when some are not plain) and the
    rest done by str methods over them, instead of a Python call per amount (most amounts of a
    loss run appear once)."""
    joined = "\n".join(texts)
    lines = joined.count("\n") + 1  # a cell may hold a line break
    if texts and lines == len(texts) and PLAIN_LINES.fullmatch(joined):  # all plain
        plain = texts
    else:
        plain = list(filter(_PLAIN_MONEY.fullmatch, texts))
        if not plain:
            return {}
        joined = "\n".join(plain)
    joined = joined.replace("$", "").replace(",", "")  # no plain text holds a newline
    cents = map(int, joined.replace(".", "").split("\n"))
    return dict(zip(plain, zip(cents, joined.split("\n"), strict=True), strict=True))


def _general(raw: object) -> tuple[int, str] | None | object:
    """parse_money's answer for the values the patterns above do not cover ('n/a', '  $5 ')."""
    try:
        amount = parse_money(raw)
    except BadValue:
        return FAIL
    if amount is None:
        return None
    if amount.is_signed():  # negatives (and -0.00) keep their sign in the validator's text
        return FAIL
    return int(amount.scaleb(2)), str(amount)


AMOUNTS = (*MONEY_FIELDS, "total_incurred", "premium")
CONVENTIONS = tuple(rules.INCURRED_CONVENTIONS)


class _Term:
    """A term as the fast path holds it: the validator's TermKey, its first and last days as
    ordinals, and its premium in cents once known (a term has one premium: the first row
    that prints it sets it)."""

    __slots__ = ("key", "first", "last", "premium")

    def __init__(self, key: TermKey):
        self.key = key
        self.first = key.start.toordinal()
        self.last = key.end.toordinal()
        self.premium: int | None = None


class FastRows:
    """Checks plain rows with a RowValidator's mapping, defaults and cross-row state."""

    def __init__(self, validator: RowValidator):
        self.validator = validator
        columns = validator.columns

        def first(field: str) -> int:
            return columns[field][0] if field in columns else -1

        self.claim_number = first("claim_number")
        self.status = first("status")
        self.dates = tuple(
            first(f) for f in ("date_of_loss", "date_reported", "date_closed", "valuation_date")
        )
        self.texts = tuple(
            (first(f), TEXT_LIMITS[f])
            for f in ("cause_of_loss", "claimant", "description", "adjuster", "driver")
        )
        self.term_indexes = tuple(columns[f][0] for f in validator._term_fields)
        # The columns of each amount in AMOUNTS order; a non-additive one reads its first only.
        self.amounts = tuple(
            tuple(columns.get(f, ())) if f in ADDITIVE_FIELDS else tuple(columns.get(f, ())[:1])
            for f in AMOUNTS
        )
        # Amounts read from one column (the common case) and those summed over several.
        self.single = tuple((n, c[0]) for n, c in enumerate(self.amounts) if len(c) == 1)
        self.several = tuple((n, c) for n, c in enumerate(self.amounts) if len(c) > 1)
        self.mapped_dates = tuple((n, i) for n, i in enumerate(self.dates) if i >= 0)
        self.mapped_texts = tuple(
            (n, i, limit) for n, (i, limit) in enumerate(self.texts) if i >= 0
        )
        self.split_paid = validator.split_paid
        self.amount_indexes = tuple(sorted({i for columns in self.amounts for i in columns}))
        self._block: dict[str, object] = {}  # every amount text of the rows prepared, read
        self._money_cache: dict[str, tuple[int, str] | None | object] = {}
        self._date_cache: dict[object, tuple[dt.date, str] | None | object] = {}
        self._status_cache: dict[str, str | None] = {}
        self._term_cache: dict[tuple, _Term | object] = {}
        self._fits: dict[tuple[bool, ...], tuple[str, ...]] = {}

    # --- cells ---------------------------------------------------------------------------

    def prepare(self, rows: list[tuple[int, list]]) -> None:
        """Read the amount texts of the next rows at once, the plain ones with plain_amounts
        and the others one by one; `check` looks them up. Optional: a row not prepared has its
        amounts read by `check`."""
        self._block = self.amount_table(
            {
                cells[index]
                for index in self.amount_indexes
                for _number, cells in rows
                if index < len(cells) and cells[index].__class__ is str
            }
        )

    def amount_table(self, texts: set[str]) -> dict[str, object]:
        """money_value of each text: the plain ones at once (plain_amounts), the rest one by
        one."""
        table: dict[str, object] = plain_amounts(list(texts))  # type: ignore[assignment]
        for text in texts.difference(table):
            table[text] = self._amount(text)
        return table

    def _amount(self, raw: object) -> tuple[int, str] | None | object:
        """money_value, remembering texts: loss runs repeat amounts ('$0.00')."""
        if raw.__class__ is not str:
            return money_value(raw)
        found = self._money_cache.get(raw, MISS)  # type: ignore[call-overload]
        if found is MISS:
            found = money_value(raw)
            if len(self._money_cache) < CACHE_LIMIT:
                self._money_cache[raw] = found  # type: ignore[index]
        return found

    def _summed(self, cells: list, size: int, indexes: tuple[int, ...]):
        """An amount over several columns (BI paid + PD paid): their sum, None, FAIL."""
        total = None
        for index in indexes:
            found = self._amount(cells[index] if index < size else None)
            if found is FAIL:
                return FAIL
            if found is not None:
                total = found if total is None else _added(total, found)  # type: ignore[arg-type]
        return total

    def _date(self, raw: object):
        """(date, ISO text, ordinal), None when blank, FAIL when not a date."""
        if raw.__class__ not in KEY_TYPES:
            return read_date(raw)
        found = self._date_cache.get(raw, MISS)
        if found is MISS:
            found = read_date(raw)
            if len(self._date_cache) < CACHE_LIMIT:
                self._date_cache[raw] = found
        return found

    def _term(self, cells: list, size: int) -> _Term | object:
        key = tuple([cells[i] if i < size else None for i in self.term_indexes])
        term = self._term_cache.get(key, MISS)
        if term is MISS:
            term = self.new_term(key, cells)
            if len(self._term_cache) < CACHE_LIMIT:
                self._term_cache[key] = term
        return term

    def new_term(self, key: tuple, cells: list) -> _Term | object:
        """The term of a row whose term cells are `key`, FAIL when the validator would refuse
        it or the key's values could stand for another's (1 == 1.0 == True)."""
        if any(value.__class__ not in KEY_TYPES for value in key):
            return FAIL
        problems: list[str] = []
        found = self.validator._term(cells, problems, "")  # the validator's own TermKey
        return FAIL if problems or found is None else _Term(found)

    def _conventions(self, key: tuple[bool, ...]) -> tuple[str, ...]:
        """The incurred conventions whose sums equal the printed incurred (`key`: one flag per
        convention of claims.rules.incurred_by_convention, in its order)."""
        fits = self._fits.get(key)
        if fits is None:
            names = CONVENTIONS[: len(key)]  # the printed-paid two only with a total paid
            fits = self._fits[key] = tuple(n for n, hit in zip(names, key, strict=True) if hit)
        return fits

    # --- the row ---------------------------------------------------------------------------

    def check(self, number: int, cells: list) -> tuple[TermKey, tuple] | None:
        """(term, insert values) for a plain good row; None: let the validator read it."""
        size = len(cells)
        index = self.claim_number
        raw = cells[index] if 0 <= index < size else None
        limit = TEXT_LIMITS["claim_number"]
        claim_number = raw.strip()[:limit] if raw.__class__ is str else cell_text(raw)[:limit]
        index = self.status
        raw_status = cells[index] if 0 <= index < size else None
        if not claim_number or raw_status.__class__ is not str:
            return None
        status = self._status_cache.get(raw_status, MISS)
        if status is MISS:
            status = status_value(raw_status)
            if len(self._status_cache) < STATUS_CACHE_LIMIT:
                self._status_cache[raw_status] = status  # type: ignore[index]
        if status is None:
            return None
        dates: list = [None, None, None, None]  # loss, reported, closed, valued
        for slot, index in self.mapped_dates:
            if index < size:
                found = self._date(cells[index])
                if found is FAIL:
                    return None
                dates[slot] = found
        if dates[0] is None:
            return None
        term = self._term(cells, size)
        if term is FAIL:
            return None
        amounts: list = [None] * len(AMOUNTS)
        block = self._block
        for slot, index in self.single:
            raw = cells[index] if index < size else None
            found = block.get(raw, MISS) if raw.__class__ is str else MISS  # type: ignore[call-overload]
            if found is MISS:
                found = self._amount(raw)
            if found is FAIL:
                return None
            amounts[slot] = found
        for slot, indexes in self.several:
            found = self._summed(cells, size, indexes)
            if found is FAIL:
                return None
            amounts[slot] = found
        return self._money_and_dates(number, cells, size, claim_number, status, raw_status,
                                     *dates, term, amounts)  # type: ignore[arg-type]  # fmt: skip

    def _money_and_dates(self, number, cells, size, claim_number, status, raw_status, loss,
                         reported, closed, valued, term: _Term, amounts: list) -> tuple | None:  # fmt: skip
        indemnity, medical, expense, total_paid, recoveries, reserves, printed, premium = amounts
        indemnity = indemnity or _ZERO
        medical = medical or _ZERO
        expense = expense or _ZERO
        recoveries = recoveries or _ZERO
        reserves = reserves or _ZERO
        if total_paid is not None:
            split = indemnity[0] + medical[0] + expense[0]
            if not self.split_paid:
                indemnity = total_paid
            elif total_paid[0] != split and total_paid[0] != split - recoveries[0]:
                return None
        if reserves[0] > 0 and not rules.carries_reserves_allowed(status):
            return None
        gross = indemnity[0] + medical[0] + expense[0] + reserves[0]
        expected = gross - recoveries[0]  # rules.incurred(paid=rules.paid(...), reserves=...)
        fits: tuple[str, ...] = ()
        if printed is not None:
            cents = printed[0]
            if total_paid is None:
                key = (
                    cents == expected,
                    cents == gross,
                    cents == expected - expense[0],
                    cents == gross - expense[0],
                )
            else:
                key = (
                    cents == expected,
                    cents == gross,
                    cents == expected - expense[0],
                    cents == gross - expense[0],
                    cents == total_paid[0] + reserves[0],
                    cents == total_paid[0] - recoveries[0] + reserves[0],
                )
            fits = self._conventions(key)
            if not fits:
                return None
        loss_date = loss[0]
        if reported is not None and reported[0] < loss_date:
            return None
        if loss_date > (valued[0] if valued else self.validator.valuation_date):
            return None
        key_term = term.key
        if not key_term.start <= loss_date <= key_term.end:
            return None
        validator = self.validator
        if premium is not None:
            if term.premium is None and key_term in validator.term_premiums:
                term.premium = int(validator.term_premiums[key_term][0].scaleb(2))
            if term.premium is not None and term.premium != premium[0]:
                return None
        key = claim_key(claim_number)
        if validator.seen_claims.add(key, number) is not None:
            return None
        tally = validator.convention_tally
        for name in fits:
            tally[name] += 1
        if premium is not None and term.premium is None:
            term.premium = premium[0]
            validator.term_premiums[key_term] = (cents_decimal(premium[0]), number)
        if printed is not None and printed[0] == expected:
            incurred_text = printed[1]
        else:
            incurred_text = cents_text(expected)
        texts = ["", "", "", "", ""]  # cause of loss, claimant, description, adjuster, driver
        for slot, index, limit in self.mapped_texts:
            if index < size:
                raw = cells[index]
                texts[slot] = (
                    raw.strip()[:limit] if raw.__class__ is str else cell_text(raw)[:limit]
                )
        return key_term, (
            key,
            (reported[0] - loss_date).days if reported else None,
            claim_number,
            loss[1],
            reported[1] if reported else None,
            status,
            texts[0],
            texts[1],
            texts[2],
            indemnity[1],
            medical[1],
            expense[1],
            recoveries[1],
            reserves[1],
            incurred_text,
            raw_status.strip()[: TEXT_LIMITS["status"]],
            closed[1] if closed else None,
            texts[3],
            texts[4],
        )


def cents_decimal(cents: int) -> Decimal:
    """The Decimal the validator holds for an amount in cents: 1234550 -> Decimal('12345.50')."""
    return Decimal(cents).scaleb(-2)


def read_date(raw: object) -> tuple[dt.date, str, int] | None | object:
    """(date, ISO text, ordinal) of a cell, None when blank, FAIL when not a date."""
    try:
        found = parse_date(raw)
    except BadValue:
        return FAIL
    return None if found is None else (found, found.isoformat(), found.toordinal())
