"""The claim above, continued: wrapped cells, second description lines, the rest of a claim
after a page break, a sign or a date wrapped under its cell, a card label whose text follows
lower. Mixed into claims.extract.assemble.Assembler, whose state (current claim, columns,
last line and field) these methods read and write."""

from __future__ import annotations

from claims.extract.result import ExtractedClaim
from claims.extract.values import amount_text, unknown_status_flag
from claims.extract.words import Line, Segment
from claims.labels import MONEY_FIELDS, TEXT_FIELDS, field_for


class ContinuationMixin:
    def _text_row(self, line: Line, cells, spanning) -> None:
        """A row with no date or amount: a wrapped cell goes on its column's text; a line that
        crosses column bounds (a second description line) goes on the description."""
        assert self.columns is not None
        columns = self.columns.columns
        crossing = []
        for segment in line.segments:
            inside = sum(
                1
                for c in columns
                if min(segment.x1, c.x1) - max(segment.x0, c.x0) > 0.5 * max(c.x1 - c.x0, 1.0)
            )
            if inside >= 2:
                crossing.append(segment)
        if crossing:
            if self.current is not None and self._close_below(line):
                self._append(self.current, "description", line.segments, line.page)
            return
        self._continuation(line, line.segments, cells=cells, spanning=spanning)

    def _continuation(
        self, line: Line, segments: list[Segment], *, cells=None, spanning=None
    ) -> None:
        claim = self.current
        if claim is None or not self._close_below(line):
            return
        if cells is None:
            field = self.last_field if self.last_field in TEXT_FIELDS else "description"
            self._append(claim, field, segments, line.page)
            return
        for key, segs in cells.items():
            field = key.split("+")[0]
            if field in claim.pending:  # "05-" then "Mar-2023": a date wrapped in its cell
                self._rejoin(claim, field, segs, line.page)
                continue
            tail = " ".join(s.text for s in segs)
            if field == "status" and claim.get("status_as_printed"):
                self._status_wrapped(claim, tail)
                continue
            if field in MONEY_FIELDS and claim.get(field) and amount_text(claim.get(field) + tail):
                # "1,365.83" over "CR" in a narrow cell: the sign wrapped below its amount.
                claim.values[field] = amount_text(claim.get(field) + tail) or ""
                continue
            target = field if field in TEXT_FIELDS else "description"
            self._append(claim, target, segs, line.page)
        if spanning:
            self._append(claim, "description", spanning, line.page)

    def _status_wrapped(self, claim: ExtractedClaim, tail: str) -> None:
        """'Closed -' over 'Paid' in a narrow status cell: one status, read again whole."""
        head = claim.values["status_as_printed"]
        claim.flags[:] = [f for f in claim.flags if f != unknown_status_flag(head)]
        self._set(claim, "status", f"{head} {tail}", [], 0)

    def _rejoin(
        self, claim: ExtractedClaim, field: str, segments: list[Segment], page: int
    ) -> None:
        head = claim.pending.pop(field)
        tail = " ".join(s.text for s in segments)
        joined = head + tail if head.endswith(("-", "/")) else f"{head} {tail}"
        failed = f"{field.replace('_', ' ')} '{head}' is not "
        claim.flags[:] = [f for f in claim.flags if not f.startswith(failed)]
        self._set(claim, field, joined, [w for s in segments for w in s.words], page)

    def _close_below(self, line: Line) -> bool:
        last = self.last_line
        if last is None:
            return False
        if last.page != line.page:
            return True
        return line.top - last.bottom < 1.6 * max(line.height, last.height)

    def _lone_label(self, line: Line) -> bool:
        """A card's text label alone on its line, in the labels' column (its value's first
        line is printed lower, on the next line or the next page)."""
        last = self.last_line
        if not (self.card and self.current and last and len(line.segments) == 1):
            return False
        if len(last.segments) < 2 or abs(line.x0 - last.x0) > 2:
            return False
        return field_for(line.text) in TEXT_FIELDS and not self.current.get(field_for(line.text))
