"""Turning mapped rows into claims, with an exact sentence for every problem.

Rules (the same for the upload page, the command and manual entry):
- claim number, date of loss and status are required; dates must be real dates;
- paid = indemnity + medical + expense - recoveries (net of recoveries); a "Total paid"
  column, when the file has no split, is indemnity; when it has both, they must agree
  (gross or net of recoveries);
- the printed total incurred must fit one of the known conventions (claims.rules:
  net or gross of recoveries, with or without expense); the file's convention is the one
  most rows fit, recorded on the report; the claim stores the domain's paid + reserves;
  without an incurred column it is computed;
- a closed or denied claim carries no reserves; amounts other than recoveries are not
  negative (recoveries are stored positive, whichever sign the carrier prints);
- the date of loss lies in the policy period and not after the valuation date, and the
  date reported is not before the date of loss;
- a claim number appears once per file; a policy term has one premium.
Row numbers are the spreadsheet's own (the header is usually row 1).
"""

from __future__ import annotations

import datetime as dt
from collections import Counter
from dataclasses import dataclass
from decimal import Decimal

from claims import rules
from claims.headers import ADDITIVE_FIELDS, FIELDS
from claims.importers.claimindex import ClaimIndex
from claims.importers.records import (
    LABELS,
    MONEY_FIELDS,
    TEXT_LIMITS,
    ZERO,
    ParsedClaim,
    TermDefaults,
    TermKey,
    amounts_problems,
    claim_key,
    parse_line,
    parse_status,
)
from claims.importers.values import (
    BadValue,
    cell_text,
    money_text,
    parse_date,
    parse_money,
    parse_period,
)
from claims.models import Claim
from vault.rules import term_ends_after_start


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
        self.seen_claims = ClaimIndex()
        self.convention_tally: Counter[str] = Counter()
        self._money_fields = [f for f in MONEY_FIELDS if f in self.columns]
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

    @property
    def incurred_convention(self) -> str:
        """The convention the file prints incurred in, from its good rows ('' = not printed)."""
        return rules.document_convention(self.convention_tally)

    def term_premium(self, term: TermKey) -> Decimal | None:
        found = self.term_premiums.get(term)
        return found[0] if found else self.defaults.premium

    def _cell(self, cells: list, field: str) -> object:
        indexes = self.columns.get(field)
        if not indexes:
            return None
        index = indexes[0]
        return cells[index] if index < len(cells) else None

    def _text(self, cells: list, field: str) -> str:
        """The cell's text, trimmed and cut to what a claim keeps of it (TEXT_LIMITS)."""
        limit = TEXT_LIMITS[field]
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

        claim_number = self._text(cells, "claim_number")
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

        amounts = dict.fromkeys(MONEY_FIELDS)
        for f in self._money_fields:  # only the mapped ones
            amounts[f] = self._money(cells, f, problems, prefix)
        incurred = self._money(cells, "total_incurred", problems, prefix)
        premium = self._money(cells, "premium", problems, prefix)
        if problems:
            return None, problems

        indemnity = amounts["paid_indemnity"] or ZERO
        medical = amounts["paid_medical"] or ZERO
        expense = amounts["paid_expense"] or ZERO
        total_paid = amounts["paid_total"]
        recoveries = abs(amounts["recoveries"] or ZERO)
        if total_paid is not None:
            split = indemnity + medical + expense
            if not self.split_paid:
                indemnity = total_paid
            elif total_paid not in (split, split - recoveries):  # gross or net of recoveries
                problems.append(
                    f"{prefix}total paid {money_text(total_paid)} is not indemnity"
                    f" {money_text(indemnity)} + medical {money_text(medical)}"
                    f" + expense {money_text(expense)}"
                )
        reserves = amounts["reserves"] or ZERO
        incurred, money_problems, fits = amounts_problems(
            prefix=prefix,
            status=status,
            paid_indemnity=indemnity,
            paid_medical=medical,
            paid_expense=expense,
            recoveries=recoveries,
            reserves=reserves,
            total_incurred=incurred,
            paid_total=total_paid,
            any_convention=True,
        )
        problems.extend(money_problems)

        if date_reported and date_of_loss and date_reported < date_of_loss:
            problems.append(
                f"{prefix}date reported {date_reported.isoformat()} is before date of loss"
                f" {date_of_loss.isoformat()}"
            )
        valued = self._date(cells, "valuation_date", problems, prefix) or self.valuation_date
        if date_of_loss and date_of_loss > valued:
            problems.append(
                f"{prefix}date of loss {date_of_loss.isoformat()} is after the valuation date"
                f" {valued.isoformat()}"
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
        first = self.seen_claims.first_row(key)
        if first is not None:
            problems.append(f"{prefix}claim number {claim_number} already appears in row {first}")
        if problems:
            return None, problems

        self.seen_claims.add(key, number)
        self.convention_tally.update(fits)
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
                cause_of_loss=self._text(cells, "cause_of_loss"),
                claimant=self._text(cells, "claimant"),
                description=self._text(cells, "description"),
                paid_indemnity=indemnity,
                paid_medical=medical,
                paid_expense=expense,
                recoveries=recoveries,
                reserves=reserves,
                total_incurred=incurred,
                status_as_printed=self._text(cells, "status"),
                date_closed=date_closed,
                adjuster=self._text(cells, "adjuster"),
                driver=self._text(cells, "driver"),
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
        if not term_ends_after_start(start, end):
            problems.append(
                f"{prefix}policy period {start.isoformat()} to {end.isoformat()} ends before it starts"
            )
            return None
        policy_number = self._text(cells, "policy_number") or defaults.policy_number
        line = parse_line(self._cell(cells, "line"), defaults.line)
        return TermKey(policy_number=policy_number, start=start, end=end, line=line)
