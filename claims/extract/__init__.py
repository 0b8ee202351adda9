"""Loss-run PDFs to claims, on this server: no network, no model.

    extract_pdf(data) -> Extraction

One engine for every layout (column tables, claim cards, ledgers): words and their boxes
(pypdfium2, or Tesseract for scanned pages) become lines and segments; the document's
running headers, legends and report facts are found first; then one pass assembles claims
and terms (assemble.py) and the result is reconciled with the carrier's printed totals.
"""

from __future__ import annotations

from collections.abc import Callable
from concurrent.futures import Future, ThreadPoolExecutor

import pypdfium2 as pdfium

from claims.extract.assemble import Assembler
from claims.extract.context import legend_codes, mark_running, report_facts
from claims.extract.ocr import OcrUnavailable, ocr_png, page_png, tesseract
from claims.extract.reconcile import check
from claims.extract.result import CLAIM_KEYS, ExtractedClaim, ExtractedTerm, Extraction
from claims.extract.words import Line, group_lines, merge_bands, page_words

MAX_PAGES = 500
MIN_TEXT_WORDS = 3  # fewer words than this on a page: it is a scan
OCR_WORKERS = 2  # Tesseract processes at once (one per core here)


class PdfRejected(ValueError):
    """A PDF the product cannot read, with the sentence the user sees."""


def open_pdf(data: bytes) -> pdfium.PdfDocument:
    if not data.startswith(b"%PDF") and b"%PDF" not in data[:1024]:
        raise PdfRejected("This file is not a PDF.")
    try:
        doc = pdfium.PdfDocument(data)
    except pdfium.PdfiumError as exc:
        if "password" in str(exc).lower():
            raise PdfRejected(
                "This PDF is encrypted (password protected). Ask the carrier for an unprotected "
                "copy, or open it and print it to a new PDF."
            ) from exc
        raise PdfRejected("This PDF is damaged and cannot be read.") from exc
    if len(doc) > MAX_PAGES:
        pages = len(doc)
        doc.close()
        raise PdfRejected(
            f"This PDF has {pages} pages; the limit is {MAX_PAGES}. Split it and upload the parts."
        )
    if len(doc) == 0:
        raise PdfRejected("This PDF has no pages.")
    return doc


def read_lines(
    doc: pdfium.PdfDocument,
    *,
    progress: Callable[[int, int], None] | None = None,
    ocr_pages: list[int] | None = None,
) -> list[list[Line]]:
    """Every page's lines; pages without a text layer are OCR'd (their numbers go to ocr_pages).

    Scanned pages are rendered here, one at a time, and read by OCR_WORKERS Tesseract
    processes side by side; at most that many page images are held at once.
    """
    total = len(doc)
    pages: list[list[Line] | None] = [None] * total
    pending: dict[int, tuple[Future, float]] = {}
    done = 0
    with ThreadPoolExecutor(max_workers=OCR_WORKERS) as pool:
        for index in range(total):
            page = doc[index]
            words = page_words(page)
            height = page.get_height()
            if len(words) < MIN_TEXT_WORDS:
                tesseract()  # says what to install before any work is queued
                pending[index] = (pool.submit(ocr_png, page_png(page)), height)
                if ocr_pages is not None:
                    ocr_pages.append(index + 1)
            else:
                pages[index] = merge_bands(group_lines(words, page=index + 1, page_height=height))
                done += 1
            page.close()
            while len(pending) >= OCR_WORKERS or (index == total - 1 and pending):
                first = next(iter(pending))
                future, page_height = pending.pop(first)
                pages[first] = merge_bands(
                    group_lines(future.result(), page=first + 1, page_height=page_height, ocr=True)
                )
                done += 1
                if progress:
                    progress(done, total)
            if progress and pages[index] is not None:
                progress(done, total)
    return [lines or [] for lines in pages]


def extract_pdf(data: bytes, *, progress: Callable[[int, int], None] | None = None) -> Extraction:
    """Claims, terms and warnings of a loss-run PDF. Raises PdfRejected or OcrUnavailable."""
    doc = open_pdf(data)
    result = Extraction(pages=len(doc))
    result.page_sizes = [doc.get_page_size(i) for i in range(len(doc))]
    try:
        pages = read_lines(doc, progress=progress, ocr_pages=result.ocr_pages)
    finally:
        doc.close()
    mark_running(pages)
    lines = [line for page in pages for line in page]
    status_codes, other_codes, legend_lines = legend_codes(lines)
    result.carrier, result.insured, result.valuation_date = report_facts(lines)
    assembler = Assembler(status_codes=status_codes, other_codes=other_codes, skip=legend_lines)
    assembler.run(lines)
    result.claims = assembler.claims
    result.terms = list(assembler.terms.values())
    result.grand_totals = assembler.grand
    if not result.claims and not any(t.no_claims for t in result.terms):
        raise PdfRejected(_not_a_loss_run(lines, result.pages))
    check(result)
    return result


def _not_a_loss_run(lines: list[Line], pages: int) -> str:
    if not lines:
        return f"No claims found: the PDF's {pages} page(s) hold no readable text."
    sample = "; ".join(line.text for line in lines[:3] if not line.running)[:160]
    return (
        f"No claims found: this does not look like a loss run ({pages} page(s), {len(lines)} lines"
        f" of text, no claim table, claim card or ledger). It begins: \u201c{sample}\u201d."
    )


__all__ = [
    "CLAIM_KEYS",
    "ExtractedClaim",
    "ExtractedTerm",
    "Extraction",
    "OcrUnavailable",
    "PdfRejected",
    "extract_pdf",
]
