"""OCR for pages without a text layer: Tesseract (Debian's `tesseract-ocr`) word boxes as Words."""

from __future__ import annotations

import csv
import io
import os
import shutil
import subprocess  # noqa: S404 (a fixed local program, arguments not from the user)

import pypdfium2 as pdfium
from PIL import Image, ImageOps

from claims.extract.words import Word
from claims.labels import KNOWN_WORDS, field_for, tokens

DPI = 300
MAX_SKEW = 2.0  # degrees: a sheet fed askew; more is a page scanned sideways, not handled
MIN_SKEW = 0.15  # degrees: below this the lines already keep to their rows
PROFILE_WIDTH = 600  # pixels: the page is measured small, text lines stay a few pixels apart
INSTALL_HINT = (
    "This PDF has scanned pages without text, and reading them needs Tesseract OCR, which is not "
    "installed. Install it with: sudo apt-get install tesseract-ocr (Debian/Ubuntu; `make run` "
    "does this when run as root)."
)


class OcrUnavailable(RuntimeError):
    """Tesseract is not installed; the message says what to install."""


def tesseract() -> str:
    path = shutil.which("tesseract")
    if path is None:
        raise OcrUnavailable(INSTALL_HINT)
    return path


def page_png(page: pdfium.PdfPage, *, dpi: int = DPI) -> bytes:
    """The page as a grey PNG for Tesseract (pdfium is not thread-safe: render on one thread),
    turned straight when the sheet was scanned askew."""
    image = page.render(scale=dpi / 72, grayscale=True).to_pil()
    angle = skew_of(image)
    if abs(angle) >= MIN_SKEW:
        image = image.rotate(angle, resample=Image.Resampling.BICUBIC, fillcolor=255)
    png = io.BytesIO()
    image.save(png, "PNG")
    return png.getvalue()


def ocr_png(png: bytes, *, dpi: int = DPI) -> list[Word]:
    """Tesseract's words of one page image, boxes scaled back to PDF points.

    Sparse-text mode (--psm 11) finds cells scattered over a page but drops characters that
    stand alone ("C" in a status column, "-" for an empty amount); a second read as one block
    (--psm 6) finds those, and its short words where the sparse read has nothing are added.
    One OpenMP thread per Tesseract: on a shared 2-core machine its own threads make a page
    3-4 times slower; pages run side by side instead (see claims.extract.read_lines).
    """
    words = _tesseract_words(png, "11", dpi)
    for word in _tesseract_words(png, "6", dpi):
        if len(word.text) <= SHORT and word.conf >= SHORT_CONF and not _overlaps(word, words):
            words.append(word)
    return words


SHORT = 2  # characters: a lone code or dash, what the sparse read drops
SHORT_CONF = 70.0


def _overlaps(word: Word, words: list[Word]) -> bool:
    return any(
        min(word.x1, w.x1) > max(word.x0, w.x0)
        and min(word.bottom, w.bottom) > max(word.top, w.top)
        for w in words
    )


def _tesseract_words(png: bytes, psm: str, dpi: int) -> list[Word]:
    program = tesseract()
    done = subprocess.run(  # noqa: S603
        [program, "stdin", "stdout", "--psm", psm, "-c", "tessedit_create_tsv=1", "quiet"],
        input=png,
        capture_output=True,
        check=False,
        timeout=300,
        env={**os.environ, "OMP_THREAD_LIMIT": "1"},
    )
    if done.returncode != 0:
        raise RuntimeError(f"Tesseract failed: {done.stderr.decode(errors='replace')[:200]}")
    scale = 72 / dpi
    words = []
    reader = csv.DictReader(
        io.StringIO(done.stdout.decode("utf-8", "replace")), delimiter="\t", quoting=csv.QUOTE_NONE
    )
    for row in reader:
        text = (row.get("text") or "").strip()
        if not text or row.get("level") != "5":
            continue
        left, top = float(row["left"]) * scale, float(row["top"]) * scale
        width, height = float(row["width"]) * scale, float(row["height"]) * scale
        words.append(Word(text, left, top, left + width, top + height, float(row["conf"])))
    return words


def skew_of(image: Image.Image) -> float:
    """The angle (degrees, counter-clockwise) that makes the page's text lines horizontal.

    Projection profile: turned by the right angle, ink gathers into a few dark rows (the lines)
    and white gaps, so the squared row sums peak. A half-degree tilt puts the end of a wide
    table row a line lower than its start, and Tesseract then misreads single letters and
    dashes and lines are cut wrong; measured on a small copy with Pillow alone.
    """
    scale = PROFILE_WIDTH / image.width
    small = ImageOps.invert(image.convert("L").resize(
        (PROFILE_WIDTH, max(1, round(image.height * scale))), Image.Resampling.BOX
    ))  # fmt: skip

    def peak(angle: float) -> float:
        turned = small.rotate(angle, resample=Image.Resampling.BILINEAR, fillcolor=0)
        rows = turned.resize((1, turned.height), Image.Resampling.BOX).tobytes()
        return sum(r * r for r in rows)

    steps = round(MAX_SKEW / 0.2)
    best = max((i * 0.2 for i in range(-steps, steps + 1)), key=peak)
    return max((best + i * 0.05 for i in range(-4, 5)), key=peak)


def misread_label(label: str) -> str | None:
    """The field of a column label OCR misread by one letter ("Cimt", "Clim No."), or None.

    Each unknown word of three letters or more is replaced by the known label words one
    edit away from it, when they all mean the same; the label is then looked up as printed.
    """
    words = label.split()
    changed = False
    for n, word in enumerate(words):
        bare = "".join(ch for ch in word.lower() if ch.isalnum())
        if len(bare) < 3 or bare in KNOWN_WORDS:
            continue
        near = {k for k in KNOWN_WORDS if abs(len(k) - len(bare)) <= 1 and _one_edit(bare, k)}
        if near and len({" ".join(tokens(k)) for k in near}) == 1:
            words[n], changed = min(near), True
    return field_for(" ".join(words)) if changed else None


def _one_edit(a: str, b: str) -> bool:
    """a and b differ by one substituted, inserted or deleted letter."""
    if a == b:
        return False
    if len(a) == len(b):
        return sum(x != y for x, y in zip(a, b, strict=True)) == 1
    short, long = (a, b) if len(a) < len(b) else (b, a)
    return any(long[:i] + long[i + 1 :] == short for i in range(len(long)))
