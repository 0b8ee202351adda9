"""Opening workbooks without openpyxl's wasted parse reads exactly what load_workbook reads."""

import datetime as dt
import io
import tracemalloc
import zipfile

import pytest
from openpyxl import Workbook, load_workbook
from openpyxl.reader.strings import read_string_table
from openpyxl.worksheet._reader import WorkSheetParser

from claims.importers.readers import SheetFile
from claims.importers.workbooks import (
    CompactStrings,
    LazyStrings,
    _RowParser,
    _Sheet,
    open_workbook,
)
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
    assert len(table) > 2000 and len(strings._root) < 1024  # the strings read are detached


def test_compact_strings_are_openpyxls_table():
    """Rich-text runs, accents, emoji, Excel's _x005F_ escape, empty and repeated texts, past
    the point where the parsed elements are detached."""
    texts = [f"<si><t>Claimant {n}</t></si>" for n in range(3000)]
    texts[5] = (
        "<si><r><t>Bold</t></r><r><rPr><b/></rPr><t xml:space='preserve'> and not</t></r></si>"
    )
    texts[6] = "<si><t>Zoë Müller 🚗 _x005F_x000D_</t></si>"
    texts[7] = "<si><t/></si>"
    texts[2999] = texts[6]
    xml = (f'<?xml version="1.0"?><sst xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main">'
           f'{"".join(texts)}</sst>').encode()  # fmt: skip
    table = read_string_table(io.BytesIO(xml))
    strings = CompactStrings(io.BytesIO(xml))
    assert len(strings) == len(table) == 3000
    assert [strings[i] for i in range(len(table))] == list(table)
    assert (strings[5], strings[6], strings[7]) == ("Bold and not", "Zoë Müller 🚗 _x000D_", "")
    assert strings[-1] == table[-1]
    for beyond in (3000, -3001):
        with pytest.raises(IndexError):
            strings[beyond]


def test_the_import_reads_an_excel_workbook_through_the_compact_table():
    book, strings = open_workbook(io.BytesIO(excel_like(EXCEL_ROWS)))
    assert strings is None and isinstance(book.worksheets[0]._shared_strings, CompactStrings)
    assert rows_of(book)[-1] == ["CLM-0999", "Open", "Claimant 999"]


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


def sheet_xml(rows: int) -> bytes:
    """A sheet as Excel writes it: row heights and spans on every row, a row left out every
    hundred, numbers, inline and shared texts, a merged range after the data."""
    out = []
    for r in range(1, rows + 1):
        if r % 100 == 50:
            continue
        out.append(f'<row r="{r}" spans="1:3" ht="15" customHeight="1"><c r="A{r}"><v>{r * 1.5}</v></c>'
                   f'<c r="B{r}" t="inlineStr"><is><t>Claimant {r}</t></is></c>'
                   f'<c r="C{r}" t="s"><v>{r % 2}</v></c></row>')  # fmt: skip
    return (f'<?xml version="1.0"?><worksheet xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main">'
            f'<sheetData>{"".join(out)}</sheetData><mergeCells count="1"><mergeCell ref="A1:B1"/></mergeCells>'
            f"</worksheet>").encode()  # fmt: skip


def test_the_row_parser_reads_openpyxls_rows_and_keeps_none_of_them():
    """Past several detach points, with every row's attributes: the same rows as openpyxl's
    parser; openpyxl's keeps every row's element and attributes, the row parser neither."""
    xml = sheet_xml(6000)
    strings = ["Open", "Closed"]

    def growth(parser_class) -> tuple[list, float]:
        """Every 500th row read, and the traced bytes a row that stay while reading."""
        kept = []
        tracemalloc.start()
        parser = parser_class(io.BytesIO(xml), strings, data_only=True)
        for number, (index, cells) in enumerate(parser.parse()):
            row = (index, [(cell["column"], cell["value"]) for cell in cells])
            if number % 500 == 0 or index == 6000:
                kept.append(row)
            if number == 1000:
                before = tracemalloc.get_traced_memory()[0]
            if number == 4999:
                after = tracemalloc.get_traced_memory()[0]
        tracemalloc.stop()
        return kept, (after - before) / 4000

    theirs, their_growth = growth(WorkSheetParser)
    mine, my_growth = growth(_RowParser)
    assert mine == theirs and len(mine) == 13
    assert mine[-1] == (6000, [(1, 9000.0), (2, "Claimant 6000"), (3, "Open")])
    assert their_growth > 300  # bytes a row: the row's element and its attributes
    assert my_growth < 20


def test_a_long_excel_workbook_reads_as_load_workbook_reads_it():
    rows = [["Claim Number", "Status", "Claimant"]] + [
        [f"CLM-{n:05d}", "Open" if n % 3 else "Closed", f"Claimant {n}"] for n in range(5000)
    ]
    data = excel_like(rows)
    expected = rows_of(load_workbook(io.BytesIO(data), read_only=True, data_only=True))
    book, _ = open_workbook(io.BytesIO(data))
    assert isinstance(book.worksheets[0], _Sheet)
    assert rows_of(book) == expected == rows
