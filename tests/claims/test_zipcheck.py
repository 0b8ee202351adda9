"""XLSX zip members are sized before openpyxl unpacks them (zip bombs are refused).

What is held in memory has small limits (the shared strings, held compactly, one; styles and
every other part but the worksheets a smaller one); the worksheets, which stream, a large
one; every member a packing ratio.
"""

import io
import zipfile

import pytest

from claims.importers import UnreadableFile, readers, zipcheck
from claims.importers.readers import SheetFile
from tests.claims.files import excel_like, xlsx_bytes

SHARED = "application/vnd.openxmlformats-officedocument.spreadsheetml.sharedStrings+xml"
SHEET = "application/vnd.openxmlformats-officedocument.spreadsheetml.worksheet+xml"


def with_member(workbook: bytes, name: str, data: bytes) -> bytes:
    """The workbook with member `name` replaced by `data` (added when it has none)."""
    out = io.BytesIO()
    with (
        zipfile.ZipFile(io.BytesIO(workbook)) as src,
        zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as dst,
    ):
        for item in src.infolist():
            if item.filename != name:
                dst.writestr(item, src.read(item.filename))
        dst.writestr(name, data)
    return out.getvalue()


def marked(workbook: bytes, part: str, content_type: str) -> bytes:
    """The workbook whose manifest also marks `part` with `content_type`."""
    manifest = zipfile.ZipFile(io.BytesIO(workbook)).read("[Content_Types].xml").decode()
    override = f'<Override PartName="/{part}" ContentType="{content_type}"/>'
    return with_member(workbook, "[Content_Types].xml", manifest.replace("</Types>", f"{override}</Types>").encode())  # fmt: skip


def long_sheet(rows: int) -> bytes:
    """An Excel-like workbook whose sheet is long and whose shared strings are few."""
    return excel_like([["Claim Number", "Status"]] + [["CLM", "Open"]] * rows)


def many_strings(rows: int) -> bytes:
    """An Excel-like workbook whose texts are all different: a large shared-string table."""
    return excel_like([["Claim Number", "Claimant"]] + [[f"CLM-{n}", f"Claimant {n}"] for n in range(rows)])  # fmt: skip


def test_a_real_workbook_passes():
    sheet = SheetFile(io.BytesIO(xlsx_bytes([["Claim #", "DOL"], ["C-1", "2025-01-02"]])))
    assert sheet.is_xlsx
    assert list(sheet.rows())[1][1] == ["C-1", "2025-01-02"]


def test_a_member_packed_far_beyond_any_workbook_is_refused():
    """A 1 MB workbook whose shared strings unpack to 1 GB is this, only larger."""
    bomb = with_member(many_strings(3), "xl/sharedStrings.xml", b"<x/>" * 5_000_000)
    assert len(bomb) < 200_000
    with pytest.raises(UnreadableFile, match="xl/sharedStrings.xml of this workbook is packed"):
        SheetFile(io.BytesIO(bomb))


def test_a_long_sheet_streams_past_the_limit_of_what_is_held(monkeypatch):
    """A legitimate large workbook: its sheet unpacks to far more than the held parts may."""
    monkeypatch.setattr(zipcheck, "MAX_HELD", 20_000)
    workbook = long_sheet(3000)
    sizes = {m.filename: m.file_size for m in zipfile.ZipFile(io.BytesIO(workbook)).infolist()}
    assert sizes["xl/worksheets/sheet1.xml"] > 5 * zipcheck.MAX_HELD
    assert sum(sizes.values()) - sizes["xl/worksheets/sheet1.xml"] < zipcheck.MAX_HELD
    rows = list(SheetFile(io.BytesIO(workbook)).rows())
    assert len(rows) == 3001 and rows[-1][1] == ["CLM", "Open"]


def test_shared_strings_past_their_limit_are_refused_before_openpyxl_reads_them(monkeypatch):
    monkeypatch.setattr(zipcheck, "MAX_STRINGS", 20_000)
    opened = []
    monkeypatch.setattr(readers, "open_workbook", lambda *a, **k: opened.append(a))
    with pytest.raises(UnreadableFile, match="This workbook's shared strings unpack to 1 MB"):
        list(SheetFile(io.BytesIO(many_strings(3000))).rows())
    assert not opened
    monkeypatch.undo()
    monkeypatch.setattr(zipcheck, "MAX_STRINGS", 20_000)
    assert list(SheetFile(io.BytesIO(many_strings(200))).rows())[-1][1] == [
        "CLM-199",
        "Claimant 199",
    ]


def test_the_shared_strings_have_their_own_limit_above_the_other_held_parts(monkeypatch):
    """The import holds the table compactly (about its XML's size), so a 50 MB workbook as
    Excel saves it (about 34 MB of shared strings) passes; styles keep the smaller limit."""
    assert zipcheck.MAX_STRINGS >= 48 * zipcheck.MB > zipcheck.MAX_HELD
    monkeypatch.setattr(zipcheck, "MAX_HELD", 20_000)
    workbook = many_strings(3000)
    table = zipfile.ZipFile(io.BytesIO(workbook)).getinfo("xl/sharedStrings.xml").file_size
    assert zipcheck.MAX_HELD < table < zipcheck.MAX_STRINGS
    assert list(SheetFile(io.BytesIO(workbook)).rows())[-1][1] == ["CLM-2999", "Claimant 2999"]


@pytest.mark.parametrize(
    ("part", "content_type"),
    [("xl/sharedStrings.xml", SHEET), ("xl/worksheets/sheet1.xml", SHARED)],
)
def test_a_held_part_marked_as_a_worksheet_still_counts_as_held(monkeypatch, part, content_type):
    """Shared strings cannot pass as a streamed sheet by a second mark in the manifest."""
    monkeypatch.setattr(zipcheck, "MAX_HELD", 20_000)
    workbook = marked(many_strings(3000) if part.endswith("Strings.xml") else long_sheet(3000),
                      part, content_type)  # fmt: skip
    with pytest.raises(UnreadableFile, match="other parts unpack to"):
        SheetFile(io.BytesIO(workbook))


def test_styles_are_held_whatever_the_manifest_calls_them(monkeypatch):
    monkeypatch.setattr(zipcheck, "MAX_HELD", 20_000)
    styles = b'<styleSheet xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main">'
    workbook = with_member(long_sheet(3), "xl/styles.xml", styles + b" " * 30_000 + b"</styleSheet>")  # fmt: skip
    with pytest.raises(UnreadableFile, match="other parts unpack to"):
        SheetFile(io.BytesIO(marked(workbook, "xl/styles.xml", SHEET)))


def test_without_a_readable_manifest_every_part_counts_as_held(monkeypatch):
    monkeypatch.setattr(zipcheck, "MAX_HELD", 20_000)
    workbook = with_member(long_sheet(3000), "[Content_Types].xml", b"<Types")
    with pytest.raises(UnreadableFile, match="other parts unpack to"):
        SheetFile(io.BytesIO(workbook))


def test_sheets_past_their_own_limit_are_refused(monkeypatch):
    monkeypatch.setattr(zipcheck, "MAX_STREAMED", 50_000)
    with pytest.raises(UnreadableFile, match="This workbook's sheets unpack to 1 MB"):
        SheetFile(io.BytesIO(long_sheet(3000)))
    assert len(list(SheetFile(io.BytesIO(long_sheet(300))).rows())) == 301


def test_a_table_just_over_the_limit_reads_as_more_than_the_limit(monkeypatch):
    monkeypatch.setattr(zipcheck, "MAX_STRINGS", 2 * zipcheck.MB)
    workbook = many_strings(3000)
    table = "".join(f"<si><t>Claimant {n}</t></si>" for n in range(2 * zipcheck.MB // 28))
    sst = '<sst xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main">'
    workbook = with_member(workbook, "xl/sharedStrings.xml", f"{sst}{table}</sst>".encode())
    with pytest.raises(UnreadableFile, match=r"shared strings unpack to 3 MB \(the limit is 2 MB\)"):  # fmt: skip
        SheetFile(io.BytesIO(workbook))
