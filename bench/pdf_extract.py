"""Loss-run PDF extraction: accuracy on the synthetic corpus, speed, OCR, memory.

    .venv/bin/python bench/pdf_extract.py [--pages 43] [--big 200] [--no-ocr]

- Accuracy: every layout of tests/claims/pdfcorpus (WeasyPrint, with ground truth), the first
  seven and the held-out ones apart: exact-claim recall (a claim counts only when all 22
  fields are right) and field accuracy.
- Speed: one text-layer PDF of --pages pages (corpus pages repeated), timed in this run beside
  pypdfium2's raw text (the floor underneath) and pdfplumber's word extraction.
- OCR: scanned (rasterised, 200 dpi) copies of two layouts, and tilted (0.7 degree) copies of
  two held-out ones, read through Tesseract, separately.
- Memory: peak RSS of a fresh process extracting a --big page PDF.
"""

from __future__ import annotations

import argparse
import io
import os
import resource
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings.test")


def setup() -> None:
    import django

    django.setup()


def score(truth_claims, result) -> tuple[int, int, int, int]:
    from claims.extract import CLAIM_KEYS

    got = {c.get("claim_number"): c.as_json() for c in result.claims}
    exact = right = total = 0
    for expected in truth_claims:
        claim = got.get(expected["claim_number"])
        ok = True
        for key in CLAIM_KEYS:
            total += 1
            if claim is not None and str(claim[key]) == str(expected[key]):
                right += 1
            else:
                ok = False
        exact += ok
    return exact, len(truth_claims), right, total


def long_pdf(pages: int) -> bytes:
    """Corpus pages repeated until the document has `pages` pages."""
    import pypdfium2 as pdfium

    from tests.claims.pdfcorpus import LAYOUTS, sample

    out = pdfium.PdfDocument.new()
    sources = [pdfium.PdfDocument(sample(name)[1]) for name in sorted(LAYOUTS)]
    while len(out) < pages:
        for source in sources:
            take = min(len(source), pages - len(out))
            if take > 0:
                out.import_pages(source, list(range(take)))
    buffer = io.BytesIO()
    out.save(buffer)
    return buffer.getvalue()


def speed(pdf: bytes, pages: int) -> None:
    import pdfplumber
    import pypdfium2 as pdfium

    from claims.extract import extract_pdf

    def raw() -> None:
        doc = pdfium.PdfDocument(pdf)
        for i in range(len(doc)):
            doc[i].get_textpage().get_text_range()

    def plumber() -> None:
        with pdfplumber.open(io.BytesIO(pdf)) as doc:
            for page in doc.pages:
                page.extract_words()

    raw()  # warm the library
    extract_pdf(pdf)
    for name, run, repeat in (("pypdfium2 raw text", raw, 3), ("extract_pdf (this engine)", lambda: extract_pdf(pdf), 3),
                              ("pdfplumber extract_words", plumber, 1)):  # fmt: skip
        best = float("inf")
        for _ in range(repeat):
            start = time.perf_counter()
            run()
            best = min(best, time.perf_counter() - start)
        print(f"  {name:<28} {pages / best:7.1f} pages/s  ({best:.2f} s for {pages} pages)")


def child_memory(path: str) -> None:
    setup()
    from claims.extract import extract_pdf

    start = time.perf_counter()
    result = extract_pdf(Path(path).read_bytes())
    seconds = time.perf_counter() - start
    peak = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    print(f"{result.pages} {len(result.claims)} {seconds:.2f} {peak:.0f}")


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--pages", type=int, default=43)
    parser.add_argument("--big", type=int, default=200)
    parser.add_argument("--no-ocr", action="store_true")
    parser.add_argument("--child-memory")
    args = parser.parse_args()
    if args.child_memory:
        child_memory(args.child_memory)
        return
    setup()
    from claims.extract import extract_pdf
    from tests.claims.pdfcorpus import HELDOUT, LAYOUTS, rasterise, sample

    for title, names in (("first seven", LAYOUTS), ("held-out", HELDOUT)):
        print(f"Accuracy, text-layer PDFs, {title} layouts (exact claims / field accuracy):")
        sums = [0, 0, 0, 0]
        for name in sorted(names):
            truth, pdf = sample(name)
            exact, claims, right, total = score(truth.claims, extract_pdf(pdf))
            sums = [a + b for a, b in zip(sums, (exact, claims, right, total), strict=True)]
            print(f"  {name:<22} {exact:3}/{claims:<3} exact  {100 * right / total:6.2f}% fields")
        print(f"  {'all':<22} {sums[0]:3}/{sums[1]:<3} exact  {100 * sums[2] / sums[3]:6.2f}% fields"
              f"  (recall {100 * sums[0] / sums[1]:.1f}%)")  # fmt: skip

    print(f"Speed, one {args.pages}-page text PDF, same run:")
    speed(long_pdf(args.pages), args.pages)

    if not args.no_ocr:
        print(
            "OCR, scanned copies (pages rendered at 200 dpi to images; *_scanned tilted 0.7 degrees):"
        )
        for name in (
            "columns_repeated",
            "cards",
            "cards_left_labels_scanned",
            "reordered_columns_scanned",
        ):
            truth, pdf = sample(name)
            scan = pdf if name.endswith("_scanned") else rasterise(pdf)
            start = time.perf_counter()
            result = extract_pdf(scan)
            seconds = time.perf_counter() - start
            exact, claims, right, total = score(truth.claims, result)
            print(f"  {name:<26} {exact:3}/{claims:<3} exact  {100 * right / total:6.2f}% fields  "
                  f"{seconds / result.pages:.1f} s/page ({result.pages} pages)")  # fmt: skip

    with tempfile.NamedTemporaryFile(suffix=".pdf") as handle:
        handle.write(long_pdf(args.big))
        handle.flush()
        out = subprocess.run([sys.executable, __file__, "--child-memory", handle.name],
                             capture_output=True, text=True, check=True, cwd=ROOT)  # fmt: skip
    pages, claims, seconds, peak = out.stdout.split()
    print(f"Memory, {pages}-page PDF in a fresh process: peak RSS {peak} MB "
          f"({claims} claims, {seconds} s)")  # fmt: skip


if __name__ == "__main__":
    main()
