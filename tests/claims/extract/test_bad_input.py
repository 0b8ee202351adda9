"""Files the engine refuses get one clear sentence, and OCR says what to install."""

import io

import pypdfium2 as pdfium
import pytest
from pypdf import PdfReader, PdfWriter
from weasyprint import HTML

from claims.extract import MAX_PAGES, OcrUnavailable, PdfRejected, extract_pdf
from claims.extract import ocr as ocr_module
from tests.claims.pdfcorpus import rasterise, sample


def blank_pdf(pages: int) -> bytes:
    doc = pdfium.PdfDocument.new()
    for _ in range(pages):
        doc.new_page(200, 200)
    out = io.BytesIO()
    doc.save(out)
    return out.getvalue()


def test_not_a_pdf():
    with pytest.raises(PdfRejected, match="not a PDF"):
        extract_pdf(b"Claim,Date\n1,2")


def test_corrupt_pdf():
    _, pdf = sample("cards")
    with pytest.raises(PdfRejected, match="damaged"):
        extract_pdf(pdf[:400])


def test_encrypted_pdf():
    _, pdf = sample("cards")
    writer = PdfWriter(clone_from=PdfReader(io.BytesIO(pdf)))
    writer.encrypt("secret")
    out = io.BytesIO()
    writer.write(out)
    with pytest.raises(PdfRejected, match="encrypted"):
        extract_pdf(out.getvalue())


def test_more_pages_than_the_limit():
    with pytest.raises(PdfRejected, match=f"{MAX_PAGES + 1} pages; the limit is {MAX_PAGES}"):
        extract_pdf(blank_pdf(MAX_PAGES + 1))


def test_a_pdf_that_is_no_loss_run_says_what_it_found():
    pdf = HTML(string="<h1>Invoice 2291</h1><p>Bakery flour, 40 bags: $812.00</p>").write_pdf()
    with pytest.raises(PdfRejected, match="No claims found.*Invoice 2291"):
        extract_pdf(pdf)


def test_scanned_pages_without_tesseract_say_what_to_install(monkeypatch):
    monkeypatch.setattr(ocr_module.shutil, "which", lambda name: None)
    _, pdf = sample("cards")
    with pytest.raises(OcrUnavailable, match="apt-get install tesseract-ocr"):
        extract_pdf(rasterise(pdf, dpi=50))
