"""What a loss-run row becomes: its vocabulary (statuses, lines), a term's key, a parsed
claim, the term defaults of a file, and the money rules applied to one claim.

Shared by the row validator (claims.importers.rows), the import and manual entry.
"""

from __future__ import annotations

import dataclasses
import datetime as dt
import operator
import re
from dataclasses import dataclass
from decimal import Decimal

from claims import rules
from claims.importers.values import (
    money_text,
)
from claims.models import Claim, ReportTerm

ZERO = Decimal("0.00")
# How much of each text cell a claim keeps (the columns' sizes; a description is capped).
TEXT_LIMITS = {
    "policy_number": 60,
    "claim_number": 60,
    "status": 40,  # the status as printed
    "cause_of_loss": 120,
    "claimant": 150,
    "description": 2000,
    "adjuster": 120,
    "driver": 120,
}
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
    "valuation_date": "valuation date",
}

_STATUS_WORDS = {
    Claim.Status.OPEN: ("open", "o", "opn", "pending", "active", "reported", "litigated", "lit",
                        "litigation", "inlitigation", "insuit", "suit"),
    Claim.Status.CLOSED: ("closed", "c", "cl", "cls", "clsd", "close", "final", "closedwithoutpayment",
                          "cwp", "closednopay", "closedwopayment", "settled", "closedpaid",
                          "closedwithpayment"),
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


_NOT_WORD = re.compile(r"[^a-z0-9]")


def _word(value: object) -> str:
    return _NOT_WORD.sub("", str(value or "").lower())


_NOT_ASCII_WORD = re.compile(r"[^A-Za-z0-9]")


def claim_key(claim_number: str) -> str:
    """'clm-2023 0041' and 'CLM20230041' are the same claim."""
    if claim_number.isascii():  # the same as _word's, without lower-casing first
        return _NOT_ASCII_WORD.sub("", claim_number).upper()[:60]
    return _word(claim_number).upper()[:60]


_NOT_ASCII_WORD_OR_LINE = re.compile(r"[^A-Za-z0-9\n]")


def claim_keys(claim_numbers: list[str]) -> list[str]:
    """claim_key of each claim number, for many at once: ASCII numbers with no line break
    are cleaned in one pass over their joined text."""
    joined = "\n".join(claim_numbers)
    if joined.isascii():
        keys = _NOT_ASCII_WORD_OR_LINE.sub("", joined).upper().split("\n")
        if len(keys) == len(claim_numbers):  # no number held a line break of its own
            if max(map(len, keys), default=0) > 60:
                keys = [key[:60] for key in keys]
            return keys
    return list(map(claim_key, claim_numbers))


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
    # Hashed once: an import looks every claim's term up in a few dicts.
    _hash: int = dataclasses.field(init=False, repr=False, compare=False)

    def __post_init__(self) -> None:
        key = (self.policy_number, self.start, self.end, self.line)
        object.__setattr__(self, "_hash", hash(key))

    def __hash__(self) -> int:
        return self._hash

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
        return rules.paid(
            indemnity=self.paid_indemnity,
            medical=self.paid_medical,
            expense=self.paid_expense,
            recoveries=self.recoveries,
        )

    @property
    def report_lag_days(self) -> int | None:
        return report_lag(self.date_of_loss, self.date_reported)


# The claim's own columns, in the order the import inserts them (claims.services.claim_insert).
CLAIM_FIELDS = (
    "claim_number",
    "date_of_loss",
    "date_reported",
    "status",
    "cause_of_loss",
    "claimant",
    "description",
    "paid_indemnity",
    "paid_medical",
    "paid_expense",
    "recoveries",
    "reserves",
    "total_incurred",
    "status_as_printed",
    "date_closed",
    "adjuster",
    "driver",
)
# What an import stores per claim: claim key, report lag, then CLAIM_FIELDS.
CLAIM_ROW = ("claim_key", "report_lag_days", *CLAIM_FIELDS)
_CLAIM_VALUES = operator.attrgetter(*CLAIM_FIELDS)


def claim_row(claim: ParsedClaim) -> tuple:
    """A parsed claim's values in CLAIM_ROW order."""
    return (claim.claim_key, claim.report_lag_days, *_CLAIM_VALUES(claim))


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
    paid_total: Decimal | None = None,
    any_convention: bool = False,
) -> tuple[Decimal, list[str], frozenset[str]]:
    """The money rules shared by the importer and the claim form: (incurred, problems, the
    incurred conventions the printed incurred fits).

    The incurred returned is always the domain's (paid + reserves). A typed claim must match
    it; a carrier's file (`any_convention`) may print incurred under any known convention
    (claims.rules.INCURRED_CONVENTIONS), and only an incurred that fits none is a problem.
    """
    problems = []
    for field, amount in (
        ("paid_indemnity", paid_indemnity),
        ("paid_medical", paid_medical),
        ("paid_expense", paid_expense),
        ("reserves", reserves),
    ):
        if amount < 0:
            problems.append(f"{prefix}{LABELS[field]} {money_text(amount)} is negative")
    paid = rules.paid(
        indemnity=paid_indemnity, medical=paid_medical, expense=paid_expense, recoveries=recoveries
    )
    expected = rules.incurred(paid=paid, reserves=reserves)
    fits: frozenset[str] = frozenset()
    if total_incurred is not None:
        values = rules.incurred_by_convention(
            indemnity=paid_indemnity,
            medical=paid_medical,
            expense=paid_expense,
            recoveries=recoveries,
            reserves=reserves,
            paid_total=paid_total,
        )
        fits = frozenset(n for n, v in values.items() if v == total_incurred)
        if not (fits if any_convention else total_incurred == expected):
            problems.append(
                f"{prefix}incurred {money_text(total_incurred)} is not paid {money_text(paid)}"
                f" + reserves {money_text(reserves)}"
                + (_other_conventions(values, expected) if any_convention else "")
            )
    if reserves > 0 and not rules.carries_reserves_allowed(status):
        problems.append(f"{prefix}{status} claim carries reserves")
    return expected, problems, fits


def _other_conventions(values: dict[str, Decimal], expected: Decimal) -> str:
    """', nor gross of recoveries (4,600.00) ...': the other conventions that give another sum."""
    others: dict[Decimal, str] = {}
    for name, value in values.items():
        if value != expected and value not in others:
            others[value] = f"{rules.INCURRED_CONVENTIONS[name]} ({money_text(value)})"
    return f", nor {' or '.join(others.values())}" if others else ""
