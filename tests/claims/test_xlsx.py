"""The streaming XLSX reader against workbooks written by openpyxl (as Excel would)."""

import datetime as dt
import io
import zipfile

import pytest
from openpyxl import Workbook

from claims.importers.readers import SheetFile, UnreadableFile


def workbook_bytes(build) -> bytes:
    book = Workbook()
    build(book.active)
    out = io.BytesIO()
    book.save(out)
    return out.getvalue()


def test_values_dates_formulas_and_gaps_read_like_openpyxl_data_only():
    def build(ws):
        ws["A1"], ws["B1"], ws["C1"], ws["D1"] = "Claim #", "DOL", "Paid", "Flag"
        ws["A2"], ws["B2"], ws["C2"], ws["D2"] = "C-1", dt.datetime(2024, 3, 5), 1234.5, True
        ws["B2"].number_format = "mm/dd/yyyy"
        ws["A3"], ws["C3"] = 42, 7
        ws["A5"] = "after a gap"
        ws["B5"] = 45000
        ws["B5"].number_format = "[$-409]d-mmm-yy;@"

    rows = list(SheetFile(io.BytesIO(workbook_bytes(build))).rows())
    assert rows[0] == (1, ["Claim #", "DOL", "Paid", "Flag"])
    assert rows[1] == (2, ["C-1", dt.datetime(2024, 3, 5), 1234.5, True])
    assert rows[2] == (3, [42, None, 7])
    assert rows[3] == (4, [])
    assert rows[4] == (5, ["after a gap", dt.datetime(2023, 3, 15)])


def test_row_count_comes_from_the_dimension():
    data = workbook_bytes(lambda ws: [ws.append([i]) for i in range(12)])
    assert SheetFile(io.BytesIO(data)).scan().total_rows == 12


def _with_part(data: bytes, name: str, content: bytes) -> bytes:
    src = zipfile.ZipFile(io.BytesIO(data))
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w") as dst:
        for item in src.infolist():
            dst.writestr(item, content if item.filename == name else src.read(item.filename))
    return out.getvalue()


@pytest.mark.parametrize(
    "prolog",
    [
        b'<?xml version="1.0"?><!DOCTYPE x [<!ENTITY a "aaaa">]>',
        b'<?xml version="1.0"?><!DOCTYPE x [<!ENTITY a SYSTEM "file:///etc/passwd">]>',
    ],
)
def test_a_part_declaring_entities_is_refused(prolog):
    data = workbook_bytes(lambda ws: ws.append(["Claim #"]))
    sheet = zipfile.ZipFile(io.BytesIO(data)).read("xl/worksheets/sheet1.xml")
    body = sheet[sheet.index(b"<worksheet") :]
    bad = _with_part(data, "xl/worksheets/sheet1.xml", prolog + body)
    with pytest.raises(UnreadableFile, match="cannot be opened"):
        SheetFile(io.BytesIO(bad)).scan()


def test_not_a_workbook_is_refused_in_words():
    with pytest.raises(UnreadableFile, match="cannot be opened"):
        list(SheetFile(io.BytesIO(b"PK\x03\x04garbage")).rows())
