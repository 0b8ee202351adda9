"""XLSX zip members are sized before openpyxl unpacks them (zip bombs are refused)."""

import io
import zipfile

import pytest

from claims.importers import UnreadableFile, zipcheck
from claims.importers.readers import SheetFile
from tests.claims.files import xlsx_bytes


def with_member(workbook: bytes, name: str, data: bytes) -> bytes:
    out = io.BytesIO()
    with (
        zipfile.ZipFile(io.BytesIO(workbook)) as src,
        zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as dst,
    ):
        for item in src.infolist():
            dst.writestr(item, src.read(item.filename))
        dst.writestr(name, data)
    return out.getvalue()


def test_a_real_workbook_passes():
    sheet = SheetFile(io.BytesIO(xlsx_bytes([["Claim #", "DOL"], ["C-1", "2025-01-02"]])))
    assert sheet.is_xlsx
    assert list(sheet.rows())[1][1] == ["C-1", "2025-01-02"]


def test_a_member_packed_far_beyond_any_workbook_is_refused():
    bomb = with_member(xlsx_bytes([["Claim #"]]), "xl/padding.xml", b"<x/>" * 5_000_000)
    assert len(bomb) < 200_000
    with pytest.raises(UnreadableFile, match="possible zip bomb"):
        SheetFile(io.BytesIO(bomb))


def test_a_workbook_that_unpacks_past_the_limit_is_refused(monkeypatch):
    monkeypatch.setattr(zipcheck, "MAX_UNPACKED", 10_000)
    workbook = with_member(xlsx_bytes([["Claim #"]]), "xl/extra.xml", bytes(range(256)) * 100)
    with pytest.raises(UnreadableFile, match="unpacks to 0 MB"):
        SheetFile(io.BytesIO(workbook))
