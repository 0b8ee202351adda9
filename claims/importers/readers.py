"""Streaming rows out of CSV and XLSX files without loading the whole file.

XLSX is read with openpyxl in read-only mode (rows stream from the sheet's XML; opened
through claims.importers.workbooks, which spares openpyxl a wasted parse); with
defusedxml installed, openpyxl parses through it, so entity tricks in an uploaded
workbook are refused.
"""

from __future__ import annotations

import csv
import datetime as dt
import io
import re
import zipfile
from collections.abc import Generator, Iterator
from dataclasses import dataclass
from itertools import count, islice
from typing import IO
from xml.etree.ElementTree import ParseError

from openpyxl import Workbook
from openpyxl.utils.exceptions import InvalidFileException

from claims.headers import looks_like_header_row
from claims.importers.values import BadValue, cell_text, parse_date
from claims.importers.workbooks import LazyStrings, open_workbook
from claims.importers.zipcheck import ZipBomb, check_workbook_zip
from claims.labels import field_for

HEADER_SCAN_ROWS = 25
SAMPLE_ROWS = 5
_VALUED = re.compile(r"\b(valu(ed|ation)|evaluat(ed|ion)|as\s+of)\b", re.IGNORECASE)
NOT_A_WORKBOOK = "The XLSX file cannot be opened: it is damaged or not an Excel workbook."
# What a damaged or hostile workbook raises inside openpyxl (defusedxml's errors are ValueErrors).
_BROKEN_XLSX = (InvalidFileException, zipfile.BadZipFile, KeyError, OSError, ValueError, ParseError)


class UnreadableFile(ValueError):
    """The file is not a CSV or XLSX we can read; the message says why, in plain words."""


def is_xlsx(head: bytes) -> bool:
    return head[:4] == b"PK\x03\x04"


class SheetFile:
    """Rows of the first worksheet of an XLSX, or of a CSV, numbered as the user sees them."""

    def __init__(self, fileobj: IO[bytes]):
        self.fileobj = fileobj
        fileobj.seek(0)
        head = fileobj.read(1 << 20)
        fileobj.seek(0)
        self.is_xlsx = is_xlsx(head)
        if self.is_xlsx:
            try:
                check_workbook_zip(fileobj)
            except ZipBomb as exc:
                raise UnreadableFile(str(exc)) from exc
        else:
            if b"\x00" in head[:4096]:
                raise UnreadableFile(
                    "The file is neither CSV nor XLSX (Excel 97 .xls is not read)."
                )
            try:
                head.decode("utf-8")
                self.encoding = "utf-8-sig"
            except UnicodeDecodeError as exc:
                # A multi-byte character cut at the 1 MB boundary is still UTF-8.
                self.encoding = "utf-8-sig" if exc.start > len(head) - 4 else "cp1252"
            sample = head[:8192].decode(self.encoding, errors="replace")
            try:
                self.dialect = csv.Sniffer().sniff(sample, delimiters=",;\t|")
            except csv.Error:
                self.dialect = csv.excel

    def rows(self) -> Iterator[tuple[int, list]]:
        """(row number starting at 1, cell values with trailing blanks removed), read one at
        a time (the header read stops after a few)."""
        for block in self.blocks(1):
            yield from block

    def blocks(self, size: int) -> Iterator[list[tuple[int, list]]]:
        """The rows as rows() gives them, `size` at a time (a CSV's read by the csv module's
        own loop, with no Python step per row)."""
        self.fileobj.seek(0)
        if self.is_xlsx:
            rows = self._xlsx_rows()
            while block := list(islice(rows, size)):
                yield block
            return
        text = io.TextIOWrapper(self.fileobj, encoding=self.encoding, newline="")
        try:
            rows = zip(count(1), map(_trim, csv.reader(text, self.dialect)))
            while block := list(islice(rows, size)):
                yield block
        except (UnicodeDecodeError, csv.Error) as exc:
            raise UnreadableFile(f"The CSV file cannot be read: {exc}.") from exc
        finally:
            text.detach()

    def _open_workbook(self):
        self.fileobj.seek(0)
        try:
            return open_workbook(self.fileobj)[0]
        except _BROKEN_XLSX as exc:
            raise UnreadableFile(NOT_A_WORKBOOK) from exc

    def _open_workbook_top(self) -> tuple[Workbook, LazyStrings | None]:
        """The workbook for reading its top rows: shared strings parsed only as far as needed."""
        self.fileobj.seek(0)
        try:
            return open_workbook(self.fileobj, top_only=True)
        except _BROKEN_XLSX as exc:
            raise UnreadableFile(NOT_A_WORKBOOK) from exc

    def _xlsx_rows(self) -> Iterator[tuple[int, list]]:
        book = self._open_workbook()
        try:
            yield from self._sheet_rows(book)
        finally:
            book.close()

    def _sheet_rows(self, book) -> Iterator[tuple[int, list]]:
        try:
            sheet = book.worksheets[0]
            for number, row in enumerate(sheet.iter_rows(values_only=True), start=1):
                yield number, _trim(list(row))
        except _BROKEN_XLSX as exc:
            raise UnreadableFile(NOT_A_WORKBOOK) from exc

    def scan(self, remembered: dict[str, str] | None = None) -> SheetScan:
        """The header row, a few data rows below it, the title lines' valuation date and the
        row count, from one read of the file's top (XLSX: one open of the workbook, its
        shared strings parsed only as far as those rows need)."""
        book, strings = self._open_workbook_top() if self.is_xlsx else (None, None)
        try:
            total = self._stored_row_count(book)
            rows = self._rows_of(book)
            try:
                header_row, headers, titles, samples = self._head(rows, remembered)
            finally:
                rows.close()
        finally:
            if strings is not None:
                strings.close()
            if book is not None:
                book.close()
        return SheetScan(
            header_row=header_row,
            headers=headers,
            samples=samples,
            total_rows=total,
            printed_valuation=_valuation_in(titles),
        )

    def _rows_of(self, book) -> Generator[tuple[int, list], None, None]:
        if book is None:
            return self.rows()
        return self._sheet_rows(book)

    def _stored_row_count(self, book) -> int:
        """Rows in the file, for the progress bar: a CSV's line breaks (a byte count, no
        parsing), an XLSX's stored dimension; 0 when the workbook does not store one (the
        progress bar is then indeterminate)."""
        if book is None:
            count = 0
            last = b""
            self.fileobj.seek(0)
            while chunk := self.fileobj.read(1 << 20):
                count += chunk.count(b"\n")
                last = chunk
            self.fileobj.seek(0)
            return count + (1 if last and not last.endswith(b"\n") else 0)
        try:
            sheet = book.worksheets[0]
            if sheet.calculate_dimension(force=False) == "A1:A1":
                return 0
            return sheet.max_row or 0
        except (*_BROKEN_XLSX, TypeError):
            return 0

    def _head(self, rows: Iterator[tuple[int, list]], remembered: dict[str, str] | None):
        """(header row, its texts, the title rows above it, up to SAMPLE_ROWS rows below)."""
        first: tuple[int, list[str]] | None = None
        scanned: list[tuple[int, list]] = []
        header: tuple[int, list[str]] | None = None
        samples: list[list[str]] = []
        for number, row in rows:
            if header is not None:
                if any(c not in (None, "") for c in row):
                    samples.append([cell_text(c)[:60] for c in row])
                if len(samples) >= SAMPLE_ROWS or number > header[0] + 4 * SAMPLE_ROWS:
                    break
                continue
            cells = ["" if c is None else str(c).strip() for c in row]
            if any(cells) and first is None:
                first = (number, cells)
            if looks_like_header_row(cells, remembered):
                header = (number, cells)
                continue
            scanned.append((number, row))
            if number >= HEADER_SCAN_ROWS:
                break
        if header is None:
            if first is None:
                raise UnreadableFile("The file has no rows.")
            header = first  # the user can still map columns by hand
            samples = [
                [cell_text(c)[:60] for c in row]
                for number, row in scanned
                if number > first[0] and any(c not in (None, "") for c in row)
            ][:SAMPLE_ROWS]
        titles = [row for number, row in scanned if number < header[0]]
        return header[0], header[1], titles, samples


@dataclass
class SheetScan:
    header_row: int
    headers: list[str]
    samples: list[list[str]]  # the first data rows, as text
    total_rows: int  # 0 when the file does not say
    printed_valuation: dt.date | None  # "Valued as of ..." in the title lines above the header


def _valuation_in(titles: list[list]) -> dt.date | None:
    """A title line's valuation date: 'Valued as of 10/01/2026' in one cell, or a label cell
    ('Valuation Date:') followed by the date in the next non-empty cell."""
    for row in titles:
        cells = [c for c in row if c not in (None, "")]
        for index, cell in enumerate(cells):
            if not isinstance(cell, str):
                continue
            label, _, rest = cell.partition(":") if ":" in cell else _split_at_digit(cell)
            if field_for(label.strip()) != "valuation_date" and not _VALUED.search(label):
                continue
            candidates = [rest.strip()] if rest.strip() else cells[index + 1 : index + 2]
            for value in candidates:
                try:
                    found = parse_date(value)
                except BadValue:
                    continue
                if found:
                    return found
    return None


def _split_at_digit(text: str) -> tuple[str, str, str]:
    for index, char in enumerate(text):
        if char.isdigit():
            return text[:index], "", text[index:]
    return text, "", ""


def _trim(row: list) -> list:
    if not row or (row[-1] is not None and row[-1] != ""):
        return row  # nearly every row: a new list from the reader, nothing to trim
    end = len(row)
    while end and (row[end - 1] is None or row[end - 1] == ""):
        end -= 1
    return row[:end]
