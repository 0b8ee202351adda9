"""Opening workbooks without openpyxl's wasted parse reads exactly what load_workbook reads."""

import datetime as dt
import io
import zipfile

import pytest
from openpyxl import Workbook, load_workbook
from openpyxl.reader.strings import read_string_table

from claims.importers.readers import SheetFile
from claims.importers.workbooks import LazyStrings, open_workbook
from tests.claims.files import excel_like


def rows_of(book):
    return [list(row) for row in book.worksheets[0].iter_rows(values_only=True)]


def loss_run(*, write_only: bool, rows: int = 300) -> bytes:
    """A workbook with a chart-free first sheet; write-only workbooks store no dimension."""
    book = Workbook(write_only=write_only)
    sheet = book.create_sheet("Loss Run") if write_only else book.active
    sheet.append(["Claim Number", "DOL", "Status", "Paid", "Note"])
    for n in range(rows):
        sheet.append([f"CLM-{n:04d}", dt.datetime(2024, 1, 1 + n % 28), "Open", n * 1.25,
                      None if n % 3 else f"note {n}"])  # fmt: skip
    out = io.BytesIO()
    book.save(out)
    return out.getvalue()


EXCEL_ROWS = [["Claim Number", "Status", "Claimant"]] + [
    [f"CLM-{n:04d}", "Open", f"Claimant {n}"] for n in range(1000)
]


def has_table(data: bytes) -> bool:
    return "xl/sharedStrings.xml" in zipfile.ZipFile(io.BytesIO(data)).namelist()


@pytest.mark.parametrize("kind", ["write-only", "openpyxl", "excel"])
def test_rows_and_size_are_load_workbooks(kind):
    data = excel_like(EXCEL_ROWS) if kind == "excel" else loss_run(write_only=kind == "write-only")
    expected = load_workbook(io.BytesIO(data), read_only=True, data_only=True)
    for top_only in (False, True):
        book, strings = open_workbook(io.BytesIO(data), top_only=top_only)
        sheet, theirs = book.worksheets[0], expected.worksheets[0]
        assert (sheet.max_row, sheet.max_column) == (theirs.max_row, theirs.max_column)
        assert rows_of(book) == rows_of(expected)
        assert (strings is not None) is (top_only and has_table(data))
        book.close()


def test_a_workbook_without_a_dimension_stays_unsized():
    book, _ = open_workbook(io.BytesIO(loss_run(write_only=True)))
    assert book.worksheets[0].max_row is None
    assert load_workbook(io.BytesIO(loss_run(write_only=True)), read_only=True).worksheets[0].max_row is None  # fmt: skip


def test_lazy_strings_are_openpyxls_table_parsed_only_as_far_as_asked():
    data = excel_like(EXCEL_ROWS)
    book, _ = open_workbook(io.BytesIO(data))
    archive = book._archive
    table = read_string_table(archive.open("xl/sharedStrings.xml"))
    strings = LazyStrings(archive.open("xl/sharedStrings.xml"))
    assert strings[3] == table[3]
    assert strings.parsed == 4
    assert [strings[i] for i in range(len(table))] == table
    with pytest.raises(IndexError):
        strings[len(table)]


def test_the_header_read_parses_only_the_top_rows_strings(monkeypatch):
    seen = []
    original = LazyStrings.close

    def close(self):
        seen.append(self.parsed)
        original(self)

    monkeypatch.setattr(LazyStrings, "close", close)
    scan = SheetFile(io.BytesIO(excel_like(EXCEL_ROWS))).scan()
    assert scan.headers == EXCEL_ROWS[0]
    assert scan.samples[0] == EXCEL_ROWS[1]
    assert scan.total_rows == len(EXCEL_ROWS)
    assert seen and seen[0] < 50  # of 2,004 strings in the table
