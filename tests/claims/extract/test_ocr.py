"""A scanned copy (no text layer) is read through Tesseract with the same engine."""

import io
import shutil

import pypdfium2 as pdfium
import pytest

from claims.extract import CLAIM_KEYS, extract_pdf
from claims.extract.ocr import skew_of
from tests.claims.pdfcorpus import SCAN_TILT, rasterise, sample

pytestmark = pytest.mark.skipif(
    shutil.which("tesseract") is None, reason="Debian's tesseract-ocr is not installed"
)


def first_pages(pdf: bytes, count: int) -> bytes:
    doc = pdfium.PdfDocument(pdf)
    out = pdfium.PdfDocument.new()
    out.import_pages(doc, list(range(count)))
    buffer = io.BytesIO()
    out.save(buffer)
    return buffer.getvalue()


def test_scanned_table_pages_are_read_by_ocr():
    truth, pdf = sample("columns_repeated")
    scan = rasterise(first_pages(pdf, 1))
    result = extract_pdf(scan)

    assert result.ocr_pages == [1]
    on_page = [c for c in truth.claims if c["page"] == 1]
    got = {c.get("claim_number"): c.as_json() for c in result.claims}
    assert set(got) == {c["claim_number"] for c in on_page}
    right = total = 0
    for expected in on_page:
        for key in ("claim_number", "date_of_loss", "date_reported", "status", "paid_indemnity",
                    "paid_expense", "recoveries", "reserves", "total_incurred"):  # fmt: skip
            total += 1
            right += str(got[expected["claim_number"]][key]) == expected[key]
    assert right / total >= 0.95
    assert result.valuation_date == "2026-10-30"


def test_a_sheet_scanned_askew_is_turned_straight_before_ocr():
    _, pdf = sample("cards_left_labels")
    for tilt in (SCAN_TILT, -1.0, 0.0):
        doc = pdfium.PdfDocument(rasterise(first_pages(pdf, 1), tilt=tilt))
        image = doc[0].render(scale=2, grayscale=True).to_pil()
        doc.close()
        assert abs(skew_of(image) + tilt) < 0.15


def test_cards_scanned_askew_are_read_exactly():
    # Tilted 0.7 degrees, the wrapped descriptions' lines mixed their words before the
    # page was turned straight (0 of 13 claims exact).
    truth, pdf = sample("cards_left_labels")
    result = extract_pdf(rasterise(first_pages(pdf, 2), tilt=SCAN_TILT))

    got = {c.get("claim_number"): c.as_json() for c in result.claims}
    on_page = [c for c in truth.claims if c["page"] == 1]
    assert on_page
    for expected in on_page:
        claim = got[expected["claim_number"]]
        assert {k: str(claim[k]) for k in CLAIM_KEYS} == {k: str(expected[k]) for k in CLAIM_KEYS}


def test_short_words_the_sparse_read_drops_come_from_the_block_read(monkeypatch):
    from claims.extract import ocr
    from claims.extract.words import Word

    sparse = [Word("WC23-1", 10, 10, 60, 18, 95.0), Word("2,902.31", 200, 10, 240, 18, 93.0)]
    block = [
        Word("WC23-l", 10, 10, 60, 18, 80.0),  # where the sparse read has a word: not taken
        Word("C", 120, 10, 125, 18, 91.0),  # a status code standing alone: taken
        Word("-", 160, 10, 163, 18, 40.0),  # too unsure: not taken
        Word("Brennan", 70, 10, 110, 18, 96.0),  # long words stay the sparse read's
    ]
    monkeypatch.setattr(ocr, "tesseract", lambda: "tesseract")
    monkeypatch.setattr(
        ocr, "_tesseract_words", lambda png, psm, dpi: sparse if psm == "11" else block
    )
    assert [w.text for w in ocr.ocr_png(b"png")] == ["WC23-1", "2,902.31", "C"]
