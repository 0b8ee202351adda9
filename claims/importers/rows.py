"""Turning mapped rows into claims, with an exact sentence for every problem.

Rules (the same for the upload page, the command and manual entry):
- claim number, date of loss and status are required; dates must be real dates;
- paid = indemnity + medical + expense - recoveries (net of recoveries); a "Total paid"
  column, when the file has no split, is indemnity; when it has both, they must agree;
- total incurred must equal paid + reserves; without an incurred column it is computed;
- a closed or denied claim carries no reserves; amounts other than recoveries are not
  negative (recoveries are stored positive, whichever sign the carrier prints);
- the date of loss lies in the policy period and not after the valuation date, and the
  date reported is not before the date of loss;
- a claim number appears once per file; a policy term has one premium.
Row numbers are the spreadsheet's own (the header is usually row 1).
"""

from __future__ import annotations

import datetime as dt
import re
from dataclasses import dataclass
from decimal import Decimal

from claims.headers import ADDITIVE_FIELDS, FIELDS
from claims.importers.values import (
    BadValue,
    cell_text,
    money_text,
    parse_date,
    parse_money,
    parse_period,
)
from claims.models import Claim, ReportTerm

ZERO = Decimal("0.00")
MONEY_FIELDS = (
    "paid_indemnity",
    "paid_medical",
    "paid_expense",
    "paid_total",
    "recoveries",
    "reserves",
)
LABELS = {
    "claim_number": "claim number",
    "date_of_loss": "date of loss",
    "date_reported": "date reported",
    "date_closed": "date closed",
    "paid_indemnity": "paid indemnity",
    "paid_medical": "paid medical",
    "paid_expense": "paid expense",
    "paid_total": "total paid",
    "recoveries": "recoveries",
    "reserves": "reserves",
    "total_incurred": "incurred",
    "premium": "premium",
    "policy_period": "policy period",
    "term_start": "effective date",
    "term_end": "expiration date",
    "status": "status",
}

_STATUS_WORDS = {
    Claim.Status.OPEN: ("open", "o", "opn", "pending", "active", "reported"),
    Claim.Status.CLOSED: ("closed", "c", "cl", "cls", "clsd", "close", "final", "closedwithoutpayment",
                          "cwp", "closednopay", "settled"),
    Claim.Status.REOPENED: ("reopened", "reopen", "ro", "r", "reop"),
    Claim.Status.DENIED: ("denied", "d", "declined", "den", "closeddenied"),
    Claim.Status.SUBROGATED: ("subrogated", "subro", "s", "subrogation", "insubrogation", "sub"),
}  # fmt: skip
STATUS_BY_WORD = {word: status for status, words in _STATUS_WORDS.items() for word in words}

_LINE_WORDS = {
    ReportTerm.Line.GL: ("gl", "cgl", "generalliability", "liability", "premisesliability"),
    ReportTerm.Line.PROPERTY: ("prop", "property", "commercialproperty", "cp"),
    ReportTerm.Line.AUTO: ("auto", "ca", "commercialauto", "businessauto", "ba", "automobile"),
    ReportTerm.Line.WC: ("wc", "workerscomp", "workerscompensation", "workcomp", "wcel"),
    ReportTerm.Line.UMBRELLA: ("umb", "umbrella", "excess", "xs", "cumb"),
    ReportTerm.Line.BOP: ("bop", "businessowners", "businessownerspolicy"),
    ReportTerm.Line.PROF: ("prof", "professional", "professionalliability", "eo", "eando", "pl"),
}
LINE_BY_WORD = {word: line for line, words in _LINE_WORDS.items() for word in words}


def _word(value: object) -> str:
    return re.sub(r"[^a-z0-9]", "", str(value or "").lower())


def claim_key(claim_number: str) -> str:
    """'clm-2023 0041' and 'CLM20230041' are the same claim."""
    return _word(claim_number).upper()[:60]


def parse_status(value: object) -> str | None:
    return STATUS_BY_WORD.get(_word(value))


def parse_line(value: object, default: str) -> str:
    return LINE_BY_WORD.get(_word(value), default) if _word(value) else default


@dataclass(frozen=True)
class TermKey:
    policy_number: str
    start: dt.date
    end: dt.date
    line: str

    @property
    def label(self) -> str:
        period = f"{self.start.isoformat()} to {self.end.isoformat()}"
        return f"policy {self.policy_number} {period}" if self.policy_number else period


@dataclass(slots=True)
class ParsedClaim:
    row: int
    term: TermKey
    claim_number: str
    claim_key: str
    date_of_loss: dt.date
    date_reported: dt.date | None
    status: str
    cause_of_loss: str
    claimant: str
    description: str
    paid_indemnity: Decimal
    paid_medical: Decimal
    paid_expense: Decimal
    recoveries: Decimal
    reserves: Decimal
    total_incurred: Decimal
    status_as_printed: str = ""
    date_closed: dt.date | None = None
    adjuster: str = ""
    driver: str = ""

    @property
    def paid(self) -> Decimal:
        return self.paid_indemnity + self.paid_medical + self.paid_expense - self.recoveries

    @property
    def report_lag_days(self) -> int | None:
        return report_lag(self.date_of_loss, self.date_reported)


def report_lag(date_of_loss: dt.date, date_reported: dt.date | None) -> int | None:
    return (date_reported - date_of_loss).days if date_reported else None


@dataclass
class TermDefaults:
    """Term values typed on the upload form or the command line, for files without term columns."""

    policy_number: str = ""
    term_start: dt.date | None = None
    term_end: dt.date | None = None
    line: str = ReportTerm.Line.GL
    premium: Decimal | None = None

    @classmethod
    def from_json(cls, data: dict | None) -> TermDefaults:
        data = data or {}
        return cls(
            policy_number=data.get("policy_number") or "",
            term_start=dt.date.fromisoformat(data["term_start"])
            if data.get("term_start")
            else None,
            term_end=dt.date.fromisoformat(data["term_end"]) if data.get("term_end") else None,
            line=data.get("line") or ReportTerm.Line.GL,
            premium=Decimal(data["premium"]) if data.get("premium") not in (None, "") else None,
        )

    def to_json(self) -> dict:
        return {
            "policy_number": self.policy_number,
            "term_start": self.term_start.isoformat() if self.term_start else "",
            "term_end": self.term_end.isoformat() if self.term_end else "",
            "line": self.line,
            "premium": str(self.premium) if self.premium is not None else "",
        }


def amounts_problems(
    *,
    prefix: str,
    status: str,
    paid_indemnity: Decimal,
    paid_medical: Decimal,
    paid_expense: Decimal,
    recoveries: Decimal,
    reserves: Decimal,
    total_incurred: Decimal | None,
) -> tuple[Decimal, list[str]]:
    """The money rules shared by the importer and the claim form: (incurred, problems)."""
    problems = []
    for field, amount in (
        ("paid_indemnity", paid_indemnity),
        ("paid_medical", paid_medical),
        ("paid_expense", paid_expense),
        ("reserves", reserves),
    ):
        if amount < 0:
            problems.append(f"{prefix}{LABELS[field]} {money_text(amount)} is negative")
    paid = paid_indemnity + paid_medical + paid_expense - recoveries
    if total_incurred is None:
        total_incurred = paid + reserves
    elif total_incurred != paid + reserves:
        problems.append(
            f"{prefix}incurred {money_text(total_incurred)} is not paid {money_text(paid)}"
            f" + reserves {money_text(reserves)}"
        )
    if reserves > 0 and status in (Claim.Status.CLOSED, Claim.Status.DENIED):
        problems.append(f"{prefix}{status} claim carries reserves")
    return total_incurred, problems


@dataclass(frozen=True)
class _Refused:
    """A cached parse failure (a fresh exception is raised each time)."""

    reason: str


class RowValidator:
    """Validates rows one by one and remembers what it needs to check across rows."""

    def __init__(self, fields: list[str], *, valuation_date: dt.date, defaults: TermDefaults):
        self.columns: dict[str, list[int]] = {}
        for index, field in enumerate(fields):
            if field in FIELDS:
                self.columns.setdefault(field, []).append(index)
        self.valuation_date = valuation_date
        self.defaults = defaults
        self.seen_claims: dict[str, int] = {}
        self._date_cache: dict[str, object] = {}
        self._money_cache: dict = {}
        self._status_cache: dict = {}
        self._term_cache: dict[tuple, tuple[TermKey | None, list[str]]] = {}
        self._term_fields = [
            f
            for f in ("policy_period", "term_start", "term_end", "policy_number", "line")
            if f in self.columns
        ]
        self.term_premiums: dict[TermKey, tuple[Decimal, int]] = {}
        self.split_paid = any(
            f in self.columns for f in ("paid_indemnity", "paid_medical", "paid_expense")
        )

    def term_premium(self, term: TermKey) -> Decimal | None:
        found = self.term_premiums.get(term)
        return found[0] if found else self.defaults.premium

    def _cell(self, cells: list, field: str) -> object:
        indexes = self.columns.get(field)
        if not indexes:
            return None
        index = indexes[0]
        return cells[index] if index < len(cells) else None

    def _text(self, cells: list, field: str, limit: int) -> str:
        raw = self._cell(cells, field)
        if raw.__class__ is str:
            return raw.strip()[:limit]
        return cell_text(raw)[:limit]

    def _money(self, cells: list, field: str, problems: list[str], prefix: str) -> Decimal | None:
        total = None
        cache = self._money_cache
        for index in self.columns.get(field, ()):
            raw = cells[index] if index < len(cells) else None
            try:
                if raw.__class__ is str:  # loss runs repeat amounts ("$0.00"): parse each once
                    amount = cache.get(raw, cache)
                    if amount is cache:
                        try:
                            amount = parse_money(raw)
                        except BadValue as exc:
                            amount = _Refused(str(exc))
                        if len(cache) < 100_000:
                            cache[raw] = amount
                    if isinstance(amount, _Refused):
                        raise BadValue(amount.reason)
                else:
                    amount = parse_money(raw)
            except BadValue as exc:
                problems.append(f"{prefix}{LABELS[field]} {cell_text(raw)} {exc}")
                continue
            if amount is not None:
                total = amount if total is None else total + amount
            if field not in ADDITIVE_FIELDS:
                break
        return total

    def _date(self, cells: list, field: str, problems: list[str], prefix: str) -> dt.date | None:
        raw = self._cell(cells, field)
        try:
            return self._parse_date(raw)
        except BadValue as exc:
            problems.append(f"{prefix}{LABELS[field]} {cell_text(raw)} {exc}")
            return None

    def _parse_date(self, raw: object) -> dt.date | None:
        """parse_date, remembering texts: loss runs repeat the same dates many times."""
        if not isinstance(raw, str):
            return parse_date(raw)
        found = self._date_cache.get(raw)
        if found is None:
            try:
                found = parse_date(raw)
            except BadValue as exc:
                found = _Refused(str(exc))
            if len(self._date_cache) < 100_000:
                self._date_cache[raw] = found
        if isinstance(found, _Refused):
            raise BadValue(found.reason)
        return found

    def is_blank(self, cells: list) -> bool:
        for cell in cells:
            if cell is not None and (cell.strip() if cell.__class__ is str else True):
                return False
        return True

    def validate(self, number: int, cells: list) -> tuple[ParsedClaim | None, list[str]]:
        """(the claim, []) for a good row; (None, sentences) for a bad one."""
        prefix = f"row {number}: "
        problems: list[str] = []

        claim_number = self._text(cells, "claim_number", 60)
        if not claim_number:
            problems.append(f"{prefix}claim number is missing")
        raw_status = self._cell(cells, "status")
        status = self._status_cache.get(raw_status, self._status_cache)
        if status is self._status_cache:
            status = parse_status(raw_status)
            if len(self._status_cache) < 1000:
                self._status_cache[raw_status] = status
        if status is None:
            if cell_text(raw_status):
                choices = ", ".join(Claim.Status.values)
                problems.append(f"{prefix}status {cell_text(raw_status)} is not one of {choices}")
            else:
                problems.append(f"{prefix}status is missing")

        date_of_loss = self._date(cells, "date_of_loss", problems, prefix)
        if date_of_loss is None and not any(
            p.startswith(f"{prefix}date of loss") for p in problems
        ):
            problems.append(f"{prefix}date of loss is missing")
        date_reported = self._date(cells, "date_reported", problems, prefix)
        date_closed = self._date(cells, "date_closed", problems, prefix)

        term = self._term(cells, problems, prefix)

        amounts = {f: self._money(cells, f, problems, prefix) for f in MONEY_FIELDS}
        incurred = self._money(cells, "total_incurred", problems, prefix)
        premium = self._money(cells, "premium", problems, prefix)
        if problems:
            return None, problems

        indemnity = amounts["paid_indemnity"] or ZERO
        medical = amounts["paid_medical"] or ZERO
        expense = amounts["paid_expense"] or ZERO
        total_paid = amounts["paid_total"]
        if total_paid is not None:
            if not self.split_paid:
                indemnity = total_paid
            elif total_paid != indemnity + medical + expense:
                problems.append(
                    f"{prefix}total paid {money_text(total_paid)} is not indemnity"
                    f" {money_text(indemnity)} + medical {money_text(medical)}"
                    f" + expense {money_text(expense)}"
                )
        recoveries = abs(amounts["recoveries"] or ZERO)
        reserves = amounts["reserves"] or ZERO
        incurred, money_problems = amounts_problems(
            prefix=prefix,
            status=status,
            paid_indemnity=indemnity,
            paid_medical=medical,
            paid_expense=expense,
            recoveries=recoveries,
            reserves=reserves,
            total_incurred=incurred,
        )
        problems.extend(money_problems)

        if date_reported and date_of_loss and date_reported < date_of_loss:
            problems.append(
                f"{prefix}date reported {date_reported.isoformat()} is before date of loss"
                f" {date_of_loss.isoformat()}"
            )
        if date_of_loss and date_of_loss > self.valuation_date:
            problems.append(
                f"{prefix}date of loss {date_of_loss.isoformat()} is after the valuation date"
                f" {self.valuation_date.isoformat()}"
            )
        if term and date_of_loss and not term.start <= date_of_loss <= term.end:
            problems.append(
                f"{prefix}date of loss {date_of_loss.isoformat()} is outside the policy period"
                f" {term.start.isoformat()} to {term.end.isoformat()}"
            )
        if premium is not None and premium < 0:
            problems.append(f"{prefix}premium {money_text(premium)} is negative")
        elif term and premium is not None:
            known = self.term_premiums.get(term)
            if known and known[0] != premium:
                problems.append(
                    f"{prefix}premium {money_text(premium)} differs from {money_text(known[0])}"
                    f" on row {known[1]} for {term.label}"
                )
        key = claim_key(claim_number)
        if key in self.seen_claims:
            problems.append(
                f"{prefix}claim number {claim_number} already appears in row {self.seen_claims[key]}"
            )
        if problems:
            return None, problems

        self.seen_claims[key] = number
        if premium is not None and term not in self.term_premiums:
            self.term_premiums[term] = (premium, number)
        return (
            ParsedClaim(
                row=number,
                term=term,
                claim_number=claim_number,
                claim_key=key,
                date_of_loss=date_of_loss,
                date_reported=date_reported,
                status=status,
                cause_of_loss=self._text(cells, "cause_of_loss", 120),
                claimant=self._text(cells, "claimant", 150),
                description=self._text(cells, "description", 2000),
                paid_indemnity=indemnity,
                paid_medical=medical,
                paid_expense=expense,
                recoveries=recoveries,
                reserves=reserves,
                total_incurred=incurred,
                status_as_printed=self._text(cells, "status", 40),
                date_closed=date_closed,
                adjuster=self._text(cells, "adjuster", 120),
                driver=self._text(cells, "driver", 120),
            ),
            [],
        )

    def _term(self, cells: list, problems: list[str], prefix: str) -> TermKey | None:
        """The row's term; rows of one term repeat the same cells, so the answer is remembered."""
        raw = tuple(cell_text(self._cell(cells, f)) for f in self._term_fields)
        cached = self._term_cache.get(raw)
        if cached is None:
            found: list[str] = []
            cached = (self._read_term(cells, found, "\0"), found)
            if len(self._term_cache) < 10_000:
                self._term_cache[raw] = cached
        term, found = cached
        problems.extend(p.replace("\0", prefix) for p in found)
        return term

    def _read_term(self, cells: list, problems: list[str], prefix: str) -> TermKey | None:
        defaults = self.defaults
        start, end = defaults.term_start, defaults.term_end
        if "policy_period" in self.columns:
            raw = self._cell(cells, "policy_period")
            try:
                period = parse_period(raw)
            except BadValue as exc:
                problems.append(f"{prefix}policy period {cell_text(raw)} {exc}")
                return None
            if period:
                start, end = period
        if "term_start" in self.columns:
            start = self._date(cells, "term_start", problems, prefix) or start
        if "term_end" in self.columns:
            end = self._date(cells, "term_end", problems, prefix) or end
        if start is None or end is None:
            if not any("effective date" in p or "expiration date" in p for p in problems):
                problems.append(f"{prefix}policy period is missing")
            return None
        if end <= start:
            problems.append(
                f"{prefix}policy period {start.isoformat()} to {end.isoformat()} ends before it starts"
            )
            return None
        policy_number = self._text(cells, "policy_number", 60) or defaults.policy_number
        line = parse_line(self._cell(cells, "line"), defaults.line)
        return TermKey(policy_number=policy_number, start=start, end=end, line=line)
