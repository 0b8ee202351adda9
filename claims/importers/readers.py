"""Streaming rows out of CSV and XLSX files without loading the whole file."""

from __future__ import annotations

import csv
import io
import re
from collections.abc import Iterator
from typing import IO

from claims.headers import looks_like_header_row
from claims.importers.xlsx import XlsxError, XlsxRows

HEADER_SCAN_ROWS = 25
_DIMENSION = re.compile(rb'<dimension ref="[A-Z]+\d+(?::[A-Z]+(\d+))?"')


class UnreadableFile(ValueError):
    """The file is not a CSV or XLSX we can read; the message says why, in plain words."""


def _is_xlsx(head: bytes) -> bool:
    return head[:4] == b"PK\x03\x04"


class SheetFile:
    """Rows of the first worksheet of an XLSX, or of a CSV, numbered as the user sees them."""

    def __init__(self, fileobj: IO[bytes]):
        self.fileobj = fileobj
        fileobj.seek(0)
        head = fileobj.read(1 << 20)
        fileobj.seek(0)
        self.is_xlsx = _is_xlsx(head)
        if not self.is_xlsx:
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
        """(row number starting at 1, cell values with trailing blanks removed)."""
        self.fileobj.seek(0)
        if self.is_xlsx:
            yield from self._xlsx_rows()
        else:
            text = io.TextIOWrapper(self.fileobj, encoding=self.encoding, newline="")
            try:
                for number, row in enumerate(csv.reader(text, self.dialect), start=1):
                    yield number, _trim(row)
            except (UnicodeDecodeError, csv.Error) as exc:
                raise UnreadableFile(f"The CSV file cannot be read: {exc}.") from exc
            finally:
                text.detach()

    def _xlsx_rows(self) -> Iterator[tuple[int, list]]:
        try:
            book = XlsxRows(self.fileobj)
        except XlsxError as exc:
            raise UnreadableFile(str(exc)) from exc
        try:
            for number, row in book.rows():
                yield number, _trim(row)
        except XlsxError as exc:
            raise UnreadableFile(str(exc)) from exc
        finally:
            book.close()

    def row_count(self) -> int:
        """Rows in the file (0 if the XLSX does not say); used only for the progress bar."""
        self.fileobj.seek(0)
        if self.is_xlsx:
            try:
                book = XlsxRows(self.fileobj)
                with book.archive.open(book.sheet_path) as sheet:
                    head = sheet.read(4096)
                book.close()
            except (XlsxError, KeyError, OSError):
                return 0
            found = _DIMENSION.search(head)
            return int(found.group(1)) if found else 0
        count = 0
        last = b""
        while chunk := self.fileobj.read(1 << 20):
            count += chunk.count(b"\n")
            last = chunk
        self.fileobj.seek(0)
        return count + (1 if last and not last.endswith(b"\n") else 0)

    def find_header(self, remembered: dict[str, str] | None = None) -> tuple[int, list[str]]:
        """The header row's number and texts: the first row that reads as claim headers.

        Falls back to the first non-empty row so the user can still map columns by hand.
        """
        first: tuple[int, list[str]] | None = None
        for number, row in self.rows():
            cells = ["" if c is None else str(c).strip() for c in row]
            if any(cells) and first is None:
                first = (number, cells)
            if looks_like_header_row(cells, remembered):
                return number, cells
            if number >= HEADER_SCAN_ROWS:
                break
        if first is None:
            raise UnreadableFile("The file has no rows.")
        return first


def _trim(row: list) -> list:
    end = len(row)
    while end and (row[end - 1] is None or row[end - 1] == ""):
        end -= 1
    return row[:end]
