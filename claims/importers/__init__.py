"""Reading a loss-run file into validated claims (no database writes here).

`read_claims` streams the rows once, BLOCK_ROWS at a time: every row is validated, errors
are collected as sentences, and each block's good rows go to a sink (the import writes them
in batches), so no file's claims are ever held in memory together. A block of plain rows is
checked column by column (claims.importers.fastblocks); any other block row by row, plain
rows by the fast row check (claims.importers.fastrows), any other row, and the preview
rows, by the full validator.
"""

from __future__ import annotations

import datetime as dt
import gc
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from decimal import Decimal
from typing import IO

from claims.importers.fastblocks import FastBlocks
from claims.importers.fastrows import FastRows
from claims.importers.readers import SheetFile, UnreadableFile
from claims.importers.records import ParsedClaim, TermDefaults, TermKey, claim_row
from claims.importers.rows import RowValidator
from claims.importers.values import cell_text
from vault.rules import term_ends_after_start

__all__ = [
    "MAX_STORED_ERRORS",
    "ReadResult",
    "TermDefaults",
    "UnreadableFile",
    "collector_paused",
    "read_claims",
]

MAX_STORED_ERRORS = 1000
PROGRESS_EVERY = 2000
BLOCK_ROWS = 500  # rows read ahead for the fast path's block work (FastRows.prepare)


@dataclass
class ReadResult:
    rows_read: int = 0
    last_row: int = 0  # the file's last row number read
    errors: list[str] = field(default_factory=list)
    error_count: int = 0
    bad_rows: int = 0
    preview: list[dict] = field(default_factory=list)
    terms: dict[TermKey, Decimal | None] = field(default_factory=dict)
    incurred_convention: str = ""  # claims.rules.INCURRED_CONVENTIONS key, '' = not printed

    @property
    def good_rows(self) -> int:
        return self.rows_read - self.bad_rows


def _preview_row(claim: ParsedClaim) -> dict:
    return {
        "row": claim.row,
        "policy": claim.term.label,
        "claim_number": claim.claim_number,
        "date_of_loss": claim.date_of_loss.isoformat(),
        "date_reported": claim.date_reported.isoformat() if claim.date_reported else "",
        "status": claim.status,
        "claimant": claim.claimant,
        "cause_of_loss": claim.cause_of_loss,
        "paid": f"{claim.paid:,.2f}",
        "reserves": f"{claim.reserves:,.2f}",
        "total_incurred": f"{claim.total_incurred:,.2f}",
    }


def read_claims(
    fileobj: IO[bytes],
    *,
    fields: list[str],
    header_row: int,
    valuation_date: dt.date,
    defaults: TermDefaults,
    sink: Callable[[list[TermKey], list[tuple]], None] | None = None,
    preview_limit: int = 0,
    progress: Callable[[int], None] | None = None,
    result: ReadResult | None = None,
) -> ReadResult:
    """Validate every row after `header_row`; hand the good ones to `sink` a block at a
    time, as their terms and their values in claims.importers.records.CLAIM_ROW order.

    Counts and errors go to `result` (a new ReadResult unless given: the sink may look at
    it while the rows stream). Raises UnreadableFile when the file cannot be read at all.
    """
    sheet = SheetFile(fileobj)
    validator = RowValidator(fields, valuation_date=valuation_date, defaults=defaults)
    result = ReadResult() if result is None else result
    fast = FastRows(validator)
    blocks = FastBlocks(fast)
    loss_index = validator.columns.get("date_of_loss", [-1])[0]
    with collector_paused():
        for block in sheet.blocks(BLOCK_ROWS):
            before = result.rows_read
            result.last_row = block[-1][0]
            taken = None
            if block[0][0] > header_row and len(result.preview) >= preview_limit:
                taken = blocks.check(block)
                if taken is not None:
                    result.rows_read += len(block)
            if taken is None:
                taken = _rows_checked(block, fast, header_row, loss_index, result, preview_limit)
            block_terms, values = taken
            if sink is not None and values:
                sink(block_terms, values)
            for term in dict.fromkeys(block_terms):
                result.terms.setdefault(term, None)
            if progress and result.rows_read // PROGRESS_EVERY > before // PROGRESS_EVERY:
                progress(result.last_row)
    for term in result.terms:
        result.terms[term] = validator.term_premium(term)
    result.incurred_convention = validator.incurred_convention
    if (
        defaults.term_start
        and defaults.term_end
        and term_ends_after_start(defaults.term_start, defaults.term_end)
    ):
        default_term = TermKey(
            defaults.policy_number, defaults.term_start, defaults.term_end, defaults.line
        )
        result.terms.setdefault(default_term, defaults.premium)
    return result


@contextmanager
def collector_paused() -> Iterator[None]:
    """Python's cycle collector off while the rows stream, back as it was after.

    The rows make no reference cycles, but every few hundred lists and tuples allocated the
    collector runs, and now and then walks every object of the process: measured, 100,000
    CSV rows set it off 210 times for 0.14 s, a tenth of the import. What cycles the import's
    few ORM statements make are collected once it is back on.
    """
    was_on = gc.isenabled()
    gc.disable()
    try:
        yield
    finally:
        if was_on:
            gc.enable()


def _rows_checked(
    block: list[tuple[int, list]],
    fast: FastRows,
    header_row: int,
    loss_index: int,
    result: ReadResult,
    preview_limit: int,
) -> tuple[list[TermKey], list[tuple]]:
    """A block checked row by row (the fast row check, else the validator): each good row's
    term and values; blank, header and summary lines skipped, bad rows' sentences to
    `result`."""
    fast.prepare(block)
    validator = fast.validator
    block_terms: list[TermKey] = []
    values: list[tuple] = []
    for number, cells in block:
        if number <= header_row or not cells or validator.is_blank(cells):
            continue
        if _is_summary_line(cells, loss_index):
            continue
        result.rows_read += 1
        found = fast.check(number, cells) if len(result.preview) >= preview_limit else None
        if found is None:
            found = _validated(validator, number, cells, result, preview_limit)
        if found is not None:
            block_terms.append(found[0])
            values.append(found[1])
    return block_terms, values


def _validated(
    validator: RowValidator, number: int, cells: list, result: ReadResult, preview_limit: int
) -> tuple[TermKey, tuple] | None:
    """The full check of one row: (term, values) for a good row; a bad row's sentences go
    to `result`."""
    claim, problems = validator.validate(number, cells)
    if problems or claim is None:
        result.bad_rows += 1
        result.error_count += len(problems)
        room = MAX_STORED_ERRORS - len(result.errors)
        if room > 0:
            result.errors.extend(problems[:room])
        return None
    if len(result.preview) < preview_limit:
        result.preview.append(_preview_row(claim))
    return claim.term, claim_row(claim)


_SUMMARY_WORDS = (
    "total",
    "totals",
    "grand total",
    "subtotal",
    "sub-total",
    "policy total",
    "count",
)


def _is_summary_line(cells: list, loss_index: int) -> bool:
    """Carriers print 'Total' lines under each term: they start with the word and have no loss date."""
    if 0 <= loss_index < len(cells) and cell_text(cells[loss_index]):
        return False
    first = next((cell_text(c).lower() for c in cells if cell_text(c)), "")
    return first.rstrip(":").startswith(_SUMMARY_WORDS)
