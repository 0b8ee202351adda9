"""The summing side of the assembly: ledger rows (category x paid / reserve / incurred), total
and summary lines, and the per-term summary tables. Mixed into claims.extract.assemble.Assembler,
whose state (current claim, columns, context, terms) these methods read and write."""

from __future__ import annotations

import re
from decimal import Decimal

from claims.extract.columns import MEASURES, Columns
from claims.extract.pairs import claim_count, labeled_pairs, loose_amounts, segment_pairs
from claims.extract.values import amount_text, date_iso, is_blank, period_in
from claims.extract.words import Line, Segment
from claims.labels import CLAIM_FIELDS, MONEY_FIELDS

_CATEGORY = (
    (re.compile(r"^(claim\s+)?totals?\b", re.I), "total"),
    (re.compile(r"recover|subro|salvage|deductible", re.I), "recovery"),
    (re.compile(r"medical|\bmed\b", re.I), "medical"),
    (re.compile(r"expense|alae|legal|\blae\b", re.I), "expense"),
    (
        re.compile(r"indemnity|\bind\b|loss|bodily|property damage|\bbi\b|\bpd\b|comp", re.I),
        "indemnity",
    ),
)
_LEDGER_FIELD = {
    ("indemnity", "paid"): "paid_indemnity",
    ("medical", "paid"): "paid_medical",
    ("expense", "paid"): "paid_expense",
    ("recovery", "paid"): "recoveries",
    ("total", "paid"): "paid_total",
    ("total", "reserve"): "reserves",
    ("total", "incurred"): "total_incurred",
}


def _figures(line: Line) -> Line | None:
    """The amounts of a total line without its label: the label would sway which band of a
    two-row header the figures are read by."""
    kept = [s for s in line.segments if amount_text(s.text) is not None or is_blank(s.text)]
    return Line(line.page, line.top, line.bottom, kept, line.page_height) if kept else None


def _in_order(columns: Columns, figures: Line) -> dict[str, list[Segment]]:
    """A total line's amounts by their order, when it prints one for every money column:
    a grand total set in a table of its own does not line up with the claims' columns."""
    columns.assign(figures)  # chooses the band
    band = columns.bands[columns.band] if columns.bands else columns.columns
    money = [(i, c) for i, c in enumerate(band) if c.field in MONEY_FIELDS]
    amounts = figures.segments
    if len(money) < 2 or len(amounts) != len(money):
        return {}
    fields = [c.field for _, c in money]
    return {
        (f"{c.field}+{i}" if fields.count(c.field) > 1 else str(c.field)): [segment]
        for (i, c), segment in zip(money, amounts, strict=True)
    }


def sum_text(amounts: list[str]) -> str:
    total = sum((Decimal(a) for a in amounts), Decimal(0))
    return str(total)


class TotalsMixin:
    def _ledger_row(self, line: Line) -> None:
        claim = self.current
        assert self.columns is not None
        if claim is None:
            return
        labels = [(i, s) for i, s in enumerate(line.segments) if not re.search(r"\d", s.text)]
        found = next(
            ((i, name) for i, seg in labels for rx, name in _CATEGORY if rx.search(seg.text)),
            None,
        )
        index, category = found if found else (0, None)
        rest = Line(line.page, line.top, line.bottom, line.segments[index + 1 :], line.page_height)
        if category is None or not any(amount_text(s.text) is not None for s in rest.segments):
            # No amount beside it: a description line that names a category ("...the recovery").
            self._continuation(line, line.segments)
            return
        cells, _ = self.columns.assign(rest)
        for field, segments in cells.items():
            measure = MEASURES.get(field)
            text = " ".join(s.text for s in segments)
            if measure is None or amount_text(text) is None:
                continue
            target = _LEDGER_FIELD.get((category, measure))
            if target is None and measure == "reserve" and category != "recovery":
                self.ledger_reserves.setdefault(id(claim), []).append(amount_text(text) or "0")
                continue
            if target and claim.get(target) and category != "total":
                # Transactions: several payment lines of one kind add up.
                claim.values[target] = sum_text([claim.values[target], amount_text(text) or "0"])
            elif target and not claim.get(target):
                self._set(claim, target, text, [w for s in segments for w in s.words], line.page)

    def _total(self, line: Line, kind: str) -> bool:
        if (
            kind in ("claim", "plain")
            and self.columns
            and self.columns.kind == "ledger"
            and self.current
        ):
            self._ledger_row(line)
            return True
        pairs = [p for p in labeled_pairs(line) if p.field]
        if (
            kind == "plain"
            and self.current
            and self.card
            and pairs
            and all(p.field in CLAIM_FIELDS and not self.current.get(p.field) for p in pairs)
        ):
            return False  # "Total Incurred: $500" inside a claim card
        beside = [] if pairs or self.columns else segment_pairs(line)
        if (
            kind == "plain"
            and self.current
            and self.card
            and beside
            and all(p.field in CLAIM_FIELDS and not self.current.get(p.field) for p in beside)
        ):
            self._pairs(line, beside)  # "Total Paid   $500" inside a claim card
            return True
        self._close()
        summary = self.columns is not None and self.columns.kind == "summary"
        # Totals before any policy heading (a summary box on the first page) are the report's;
        # where each row prints its own policy and term, a total under them is their term's.
        # "Report Summary" then "Total Claims: 30": the lines under a grand total go on it.
        under_grand = (
            self.total_at and self.total_at[0] is self.last_line and self.total_at[1] is self.grand
        )
        grand = kind == "grand" or summary or self.context == ("", "", "") or bool(under_grand)
        target = self.grand if grand else self._term(self.context).printed
        last = self.claims[-1] if self.claims else None
        if grand and kind != "grand" and not summary and last and last.explicit_term:
            key = (last.get("policy_number"), last.get("term_start"), last.get("term_end"))
            target = self._term(key).printed
        loose = loose_amounts(line)
        pairs = [p for p in pairs if p.field in MONEY_FIELDS or p.field == "claim_count"]
        if pairs:
            for pair in pairs:
                self._total_value(target, pair.field or "", pair.value)
        elif loose:
            for field, text in loose:
                self._total_value(target, field, text)
        elif self.columns and (figures := _figures(line)):
            cells = _in_order(self.columns, figures) or self.columns.assign(figures)[0]
            for field, segments in cells.items():
                self._total_value(target, field, " ".join(s.text for s in segments))
        count = claim_count(line.text)
        if count:
            target["claim_count"] = count
        self.total_at = (line, target)
        return True

    def _total_goes_on(self, line: Line) -> bool:
        """The line under a total line that holds only amounts: the total's second row (a
        table whose cells stack two figures, 'Paid' over 'Recovery'), never a claim."""
        if self.total_at is None or self.total_at[0] is not self.last_line or not self.columns:
            return False
        above, target = self.total_at
        if line.page != above.page or line.top - above.bottom > 0.8 * line.height:
            return False
        if not all(amount_text(s.text) is not None or is_blank(s.text) for s in line.segments):
            return False
        cells = _in_order(self.columns, line) or self.columns.assign(line)[0]
        for field, segments in cells.items():
            self._total_value(target, field, " ".join(s.text for s in segments))
        self.total_at = (line, target)
        return True

    @staticmethod
    def _total_value(target: dict[str, str], field: str, text: str) -> None:
        split, field = "+" in field, field.split("+")[0]
        if field in MONEY_FIELDS and (value := amount_text(text)) is not None:
            # Several reserve columns add up; a second total line replaces the first.
            target[field] = sum_text([target[field], value]) if split and field in target else value
        elif field == "claim_count" and text.strip().isdigit():
            target["claim_count"] = text.strip()

    def _summary_row(self, line: Line) -> None:
        assert self.columns is not None
        cells, _ = self.columns.assign(line)
        text = {f: " ".join(s.text for s in segs) for f, segs in cells.items()}
        period = period_in(text.get("policy_period", "")) or (
            (date_iso(text.get("term_start", "")), date_iso(text.get("term_end", "")))
        )
        policy = text.get("policy_number", "").strip()
        if not period[0] and not policy:
            return
        key = self._match_term(policy, period[0] or "", period[1] or "")
        printed = self._term(key).printed
        for field, value in text.items():
            self._total_value(printed, field, value)

    def _match_term(self, policy: str, start: str, end: str) -> tuple[str, str, str]:
        for key in self.terms:
            if (not policy or key[0] == policy) and (not start or key[1] == start):
                return key
        return (policy, start, end)
