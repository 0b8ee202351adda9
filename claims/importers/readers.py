"""Streaming rows out of CSV and XLSX files without loading the whole file.

XLSX is read with openpyxl in read-only mode (rows stream from the sheet's XML); with
defusedxml installed, openpyxl parses through it, so entity tricks in an uploaded
workbook are refused.
"""

from __future__ import annotations

import csv
import io
import zipfile
from collections.abc import Iterator
from typing import IO
from xml.etree.ElementTree import ParseError

from openpyxl import load_workbook
from openpyxl.utils.exceptions import InvalidFileException

from claims.headers import looks_like_header_row
from claims.importers.zipcheck import ZipBomb, check_workbook_zip

HEADER_SCAN_ROWS = 25
NOT_A_WORKBOOK = "The XLSX file cannot be opened: it is damaged or not an Excel workbook."
# What a damaged or hostile workbook raises inside openpyxl (defusedxml's errors are ValueErrors).
_BROKEN_XLSX = (InvalidFileException, zipfile.BadZipFile, KeyError, OSError, ValueError, ParseError)


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

    def _open_workbook(self):
        self.fileobj.seek(0)
        try:
            return load_workbook(self.fileobj, read_only=True, data_only=True)
        except _BROKEN_XLSX as exc:
            raise UnreadableFile(NOT_A_WORKBOOK) from exc

    def _xlsx_rows(self) -> Iterator[tuple[int, list]]:
        book = self._open_workbook()
        try:
            sheet = book.worksheets[0]
            for number, row in enumerate(sheet.iter_rows(values_only=True), start=1):
                yield number, _trim(list(row))
        except _BROKEN_XLSX as exc:
            raise UnreadableFile(NOT_A_WORKBOOK) from exc
        finally:
            book.close()

    def row_count(self) -> int:
        """Rows in the file (0 if the XLSX does not say); used only for the progress bar."""
        self.fileobj.seek(0)
        if self.is_xlsx:
            try:
                book = self._open_workbook()
            except UnreadableFile:
                return 0
            try:
                return book.worksheets[0].max_row or 0
            except _BROKEN_XLSX:
                return 0
            finally:
                book.close()
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
