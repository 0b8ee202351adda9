"""One pass over the document's lines that turns tables, cards and ledgers into claims.

Every line is one of: a column header, a "no claims" line, a total or summary line, a
policy-term heading, label/value pairs, a table or ledger row, or the continuation of the
claim above (a wrapped cell, a second description line, the rest of a claim after a page
break). Running headers and footers only ever change the context, never a claim.
"""

from __future__ import annotations

from claims.extract.columns import Columns, header_at
from claims.extract.continuation import ContinuationMixin
from claims.extract.pairs import (
    Pair,
    is_no_claims,
    labeled_pairs,
    section_of,
    segment_pairs,
    total_kind,
    wrapped_label,
)
from claims.extract.result import ExtractedClaim, ExtractedTerm
from claims.extract.totals import TotalsMixin, sum_text
from claims.extract.values import (
    amount_text,
    claim_like,
    date_iso,
    is_blank,
    period_in,
    status_of,
    unknown_status_flag,
)
from claims.extract.words import Line, Segment, Word
from claims.labels import CLAIM_FIELDS, DATE_FIELDS, MONEY_FIELDS, TEXT_FIELDS, field_for

OCR_DOUBT = 60.0  # Tesseract confidence below which a field is flagged as doubtful


class Assembler(TotalsMixin, ContinuationMixin):
    def __init__(
        self, *, status_codes: dict[str, str], other_codes: dict[str, str], skip: set[int]
    ):
        self.status_codes = status_codes
        self.other_codes = other_codes
        self.skip = skip
        self.claims: list[ExtractedClaim] = []
        self.terms: dict[tuple[str, str, str], ExtractedTerm] = {}
        self.grand: dict[str, str] = {}
        self.context = ("", "", "")
        self.columns: Columns | None = None
        self.current: ExtractedClaim | None = None
        self.card = False  # the current claim was built from label/value pairs
        self.last_field: str | None = None
        self.last_line: Line | None = None
        self.ledger_reserves: dict[int, list[str]] = {}
        self.total_at: tuple[Line, dict[str, str]] | None = None  # the last total line read

    # -- driving -------------------------------------------------------------------------
    def run(self, lines: list[Line]) -> None:
        i = 0
        while i < len(lines):
            line = lines[i]
            if id(line) in self.skip:
                i += 1
                continue
            found = header_at(lines, i)
            if found:
                self.columns, taken = found
                self.last_line = lines[i + taken - 1]
                i += taken
                continue
            if self.columns is None and i + 1 < len(lines):
                joined = wrapped_label(line, lines[i + 1])
                if joined is not None:
                    line = joined
                    i += 1
            if line.running:
                section = section_of(line.text)
                if section and not self._is_claim_row(line):
                    self._section(section)
            else:
                self._line(line)
            i += 1
        self._close()
        self._date_policies()

    def _date_policies(self) -> None:
        """Claims whose rows print their policy number but no term take the term a policy
        schedule or summary printed for that number (the one holding the date of loss when
        the number was renewed); their undated term then goes when nothing is left in it."""
        dated: dict[str, list[tuple[str, str, str]]] = {}
        for key in self.terms:
            if key[0] and key[1] and key[2]:
                dated.setdefault(key[0], []).append(key)
        for claim in self.claims:
            policy = claim.get("policy_number")
            if not policy or claim.get("term_start") or claim.get("term_end"):
                continue
            options = dated.get(policy, [])
            loss = claim.get("date_of_loss")
            if len(options) > 1 and loss:
                options = [k for k in options if k[1] <= loss < k[2]]
            if len(options) != 1:
                continue
            key = options[0]
            claim.values["term_start"], claim.values["term_end"] = key[1], key[2]
            undated = self.terms[(policy, "", "")]
            undated.claim_count -= 1
            self.terms[key].claim_count += 1
            for field, value in undated.printed.items():
                self.terms[key].printed.setdefault(field, value)
        for key, term in list(self.terms.items()):
            if key[0] and not key[1] and not term.claim_count and key[0] in dated:
                del self.terms[key]

    def _line(self, line: Line) -> None:
        text = line.text
        if is_no_claims(text) and not self._is_claim_row(line):
            self._close()
            section = section_of(text)
            if section:
                self._section(section)
            self._term(self.context).no_claims = True
            self.last_line = line
            return
        kind = total_kind(line)
        if not kind and self._total_goes_on(line):
            self.last_line = line
            return
        if kind and self._total(line, kind):
            self.last_line = line
            return
        if self.columns and self.columns.kind in ("claims", "summary") and self._is_claim_row(line):
            self._row(line) if self.columns.kind == "claims" else self._summary_row(line)
            self.last_line = line
            return
        pairs = labeled_pairs(line) or ([] if self.columns else segment_pairs(line))
        known = [p for p in pairs if p.field]
        if known:
            fields = {p.field for p in known}
            if fields <= {"claim_count", "premium"} or (
                "claim_count" in fields and "claim_number" not in fields
            ):
                # "Claim Count: 6  Total Incurred: 1,234.00" sums up the term above.
                self._close()
                printed = self._term(self.context).printed
                for pair in known:
                    self._total_value(printed, pair.field or "", pair.value)
            elif any(p.field in CLAIM_FIELDS for p in known):
                self._pairs(line, known)
            else:
                self._section_pairs(line, known)
            self.last_line = line
            return
        if self._lone_label(line):
            self.last_field = field_for(text)  # "Description" at a page's foot, its text overleaf
            self.last_line = line
            return
        section = section_of(text)
        if section and len(line.segments) <= 4 and not self._has_amount(line):
            self._section(section)
            self.last_line = line
            return
        if self.columns:
            handler = {"claims": self._row, "more": self._row, "summary": self._summary_row,
                       "ledger": self._ledger_row}[self.columns.kind]  # fmt: skip
            handler(line)
        else:
            self._continuation(line, line.segments)
        self.last_line = line

    # -- claims --------------------------------------------------------------------------
    def _new(self, line: Line) -> ExtractedClaim:
        self._close()
        policy, start, end = self.context
        claim = ExtractedClaim(values={"policy_number": policy, "term_start": start, "term_end": end},
                               page=line.page)  # fmt: skip
        self.current, self.card, self.last_field = claim, False, None
        return claim

    def _close(self) -> None:
        claim, self.current = self.current, None
        if claim is None:
            return
        useful = {k for k, v in claim.values.items() if v} - {
            "policy_number",
            "term_start",
            "term_end",
        }
        if not useful or not ({"claim_number", "date_of_loss"} & useful or useful & MONEY_FIELDS):
            return
        reserves = self.ledger_reserves.pop(id(claim), None)
        if reserves and not claim.get("reserves"):
            from decimal import Decimal

            claim.values["reserves"] = str(sum(Decimal(r) for r in reserves))
        self.claims.append(claim)
        term = self._term(
            (claim.get("policy_number"), claim.get("term_start"), claim.get("term_end"))
        )
        term.claim_count += 1

    def _set(
        self, claim: ExtractedClaim, field: str, text: str, words: list[Word], page: int
    ) -> None:
        text = text.strip(" |")
        if not text or is_blank(text):
            return
        if field in DATE_FIELDS:
            value = date_iso(text)
            if value is None:
                claim.flags.append(f"{field.replace('_', ' ')} '{text}' is not a date")
                claim.pending[field] = text
                return
        elif field in MONEY_FIELDS:
            value = amount_text(text)
            if value is None:
                claim.flags.append(f"{field.replace('_', ' ')} '{text}' is not an amount")
                claim.pending[field] = text
                return
        elif field == "status":
            claim.values["status_as_printed"] = text
            value = status_of(text, self.status_codes)
            if not value:
                claim.flags.append(unknown_status_flag(text))
        elif field == "cause_of_loss":
            value = self.other_codes.get(text.upper(), text)
        elif field == "claim_number" and not claim_like(text) and claim_like(text.split()[0]):
            value = text.split()[0]  # "Claim #: 1234 - J. Smith"
        elif field == "policy_period":
            period = period_in(text)
            if period:
                claim.values["term_start"], claim.values["term_end"] = period
                claim.explicit_term = True
            else:  # "06/01/2024 -" over "06/01/2025" in a narrow cell: rejoined below
                claim.flags.append(f"policy period '{text}' is not a period")
                claim.pending[field] = text
            return
        else:
            value = text
        if field in TERM_FIELDS_SET:
            claim.explicit_term = True
        claim.values[field] = value
        if words and min(w.conf for w in words) < OCR_DOUBT:
            claim.doubtful.add(field)
        for word in words:
            claim.boxes.append((page, word.x0, word.top, word.x1, word.bottom))
        self.last_field = field

    def _append(
        self, claim: ExtractedClaim, field: str, segments: list[Segment], page: int
    ) -> None:
        text = " ".join(s.text for s in segments).strip(" |")
        if not text:
            return
        old = claim.values.get(field, "")
        glued = old.endswith("/") or old.endswith("-") and old[-2:-1].isalpha()
        joined = old + text if glued else f"{old} {text}"  # "Wind/" over "Hail"
        claim.values[field] = joined.strip() if old else text
        if field == "cause_of_loss":
            claim.values[field] = self.other_codes.get(
                claim.values[field].upper(), claim.values[field]
            )
        for segment in segments:
            for word in segment.words:
                claim.boxes.append((page, word.x0, word.top, word.x1, word.bottom))
                if word.conf < OCR_DOUBT:
                    claim.doubtful.add(field)
        self.last_field = field

    def _pairs(self, line: Line, pairs: list[Pair]) -> None:
        for pair in pairs:
            field = pair.field
            claim = self.current
            if field not in CLAIM_FIELDS and field not in TERM_FIELDS_SET:
                continue
            if (
                claim is None
                or (field in CLAIM_FIELDS and claim.get(field) and field != "description")
                or field == "description"
                and claim.get(field)
                and not self.card
            ):
                claim = self._new(line)
            self.card = True
            if not pair.value.strip(" |") and field in TEXT_FIELDS:
                self.last_field = field  # "Description:" alone; its text follows below
                continue
            self._set(claim, field, pair.value, pair.words, line.page)

    def _row(self, line: Line) -> None:
        assert self.columns is not None
        cells, spanning = self.columns.assign(line)
        number = " ".join(s.text for s in cells.get("claim_number", []))
        values = {
            f.split("+")[0]
            for f, segs in cells.items()
            if f.split("+")[0] in DATE_FIELDS | MONEY_FIELDS and self._fits(f.split("+")[0], segs)
        }
        if number and claim_like(number):
            claim = self._new(line)
        elif values and self.current and not any(self.current.get(f) for f in values):
            claim = self.current
        elif values:
            claim = self._new(line)
            claim.flags.append("no claim number printed")
        else:
            self._text_row(line, cells, spanning)
            return
        added: dict[str, list[str]] = {}
        for key, segments in cells.items():
            field = key.split("+")[0]
            if field.startswith("?") or field in ("category", "claim_count", "premium"):
                continue
            words = [w for s in segments for w in s.words]
            text = " ".join(s.text for s in segments)
            if "+" in key and field in MONEY_FIELDS:
                # Loss and ALAE reserves in two columns: their sum; both '--' is nothing printed.
                if text.strip() and not is_blank(text):
                    added.setdefault(field, []).append(amount_text(text) or "0")
                for word in words:
                    claim.boxes.append((line.page, word.x0, word.top, word.x1, word.bottom))
                continue
            if "+" in key and claim.get(field):
                self._append(claim, field, segments, line.page)
                continue
            self._set(claim, field, text, words, line.page)
        for field, amounts in added.items():
            claim.values[field] = sum_text(amounts)
        if spanning:
            self._append(claim, "description", spanning, line.page)

    # -- terms and totals ----------------------------------------------------------------
    def _term(self, key: tuple[str, str, str]) -> ExtractedTerm:
        if key not in self.terms:
            self.terms[key] = ExtractedTerm(*key)
        return self.terms[key]

    def _section(self, section: tuple[str, tuple[str, str] | None]) -> None:
        policy, period = section
        old_policy, start, end = self.context
        if period:
            start, end = period
        elif policy and policy != old_policy:
            start = end = ""
        new = (policy or old_policy, start, end)
        if new == self.context:
            return
        self._close()
        self.context = new
        if new[1]:
            self._term(new)  # listed even when no claim follows; a bare policy number waits

    def _section_pairs(self, line: Line, pairs: list[Pair]) -> None:
        section = section_of(line.text)
        policy = next((p.value for p in pairs if p.field == "policy_number"), "")
        if section:
            self._section((section[0] or (policy.split() or [""])[0], section[1]))
        elif policy:
            self._section((policy.split()[0], None))

    # -- tests on a line -----------------------------------------------------------------
    def _is_claim_row(self, line: Line) -> bool:
        if not self.columns or self.columns.kind not in ("claims", "summary"):
            return False
        cells, _ = self.columns.assign(line)
        if self.columns.kind == "summary":
            return bool(cells.get("policy_number") or cells.get("term_start")) and any(
                f in MONEY_FIELDS or f == "claim_count" for f in cells
            )
        number = " ".join(s.text for s in cells.get("claim_number", []))
        return bool(number) and claim_like(number)

    @staticmethod
    def _has_amount(line: Line) -> bool:
        return any(amount_text(s.text) and any(c in s.text for c in ".,$(") for s in line.segments)

    @staticmethod
    def _fits(field: str, segments: list[Segment]) -> bool:
        text = " ".join(s.text for s in segments)
        return bool(date_iso(text) if field in DATE_FIELDS else amount_text(text) is not None)


TERM_FIELDS_SET = frozenset({"policy_number", "term_start", "term_end", "policy_period"})
__all__ = ["Assembler", "field_for"]
