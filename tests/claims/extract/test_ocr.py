"""A scanned copy (no text layer) is read through Tesseract with the same engine."""

import io
import shutil

import pypdfium2 as pdfium
import pytest

from claims.extract import extract_pdf
from tests.claims.pdfcorpus import rasterise, sample

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
