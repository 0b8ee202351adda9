"""Words with their boxes, grouped into lines and segments (runs of words split by column gaps).

Text-layer pages are read with pypdfium2's character boxes (one ctypes call per character
keeps a page under a few milliseconds); pages without a text layer go through OCR
(claims/extract/ocr.py). Coordinates are PDF points from the page's top-left corner.
"""

from __future__ import annotations

import ctypes
import re
from dataclasses import dataclass, field
from functools import cached_property

import pypdfium2 as pdfium
import pypdfium2.raw as pdfium_c

# A gap wider than this share of the line's height separates two segments (column cells);
# a word space is about 0.3 em, table cell padding at least one em.
SEGMENT_GAP = 0.55
OCR_GAP_SHARE = 0.9
# A gap wider than this share of the height inside a run of characters splits a word.
WORD_GAP = 0.18


_HYPHENS = str.maketrans({"\ufffe": "-", "\u00ad": "-", "\u2010": "-", "\u2011": "-"})


@dataclass(slots=True)
class Word:
    text: str
    x0: float
    top: float
    x1: float
    bottom: float
    conf: float = 100.0  # OCR confidence (0-100); text-layer words are certain

    @property
    def height(self) -> float:
        return self.bottom - self.top


@dataclass
class Segment:
    """Words of one cell. Its text is read many times: cached, once the line is built."""

    words: list[Word]

    @cached_property
    def text(self) -> str:
        return " ".join(w.text for w in self.words)

    @property
    def x0(self) -> float:
        return self.words[0].x0

    @property
    def x1(self) -> float:
        return self.words[-1].x1

    @property
    def conf(self) -> float:
        return min(w.conf for w in self.words)


@dataclass
class Line:
    page: int  # 1-based
    top: float
    bottom: float
    segments: list[Segment]
    page_height: float
    running: bool = False  # a running header or footer repeated on several pages
    meta: dict = field(default_factory=dict)

    @cached_property
    def text(self) -> str:
        return "  ".join(s.text for s in self.segments)

    @property
    def height(self) -> float:
        return self.bottom - self.top

    @property
    def x0(self) -> float:
        return self.segments[0].x0

    @property
    def x1(self) -> float:
        return self.segments[-1].x1

    def box(self) -> tuple[float, float, float, float]:
        return (self.x0, self.top, self.x1, self.bottom)


def page_words(page: pdfium.PdfPage) -> list[Word]:
    """The page's words from its text layer ([] when it has none)."""
    # Raw pdfium calls: the helper objects attach a finalizer per page that costs more
    # than reading the page.
    raw = pdfium_c.FPDFText_LoadPage(page.raw)
    try:
        return _words(raw, page.get_height())
    finally:
        pdfium_c.FPDFText_ClosePage(raw)


def _words(raw, height: float) -> list[Word]:
    count = pdfium_c.FPDFText_CountChars(raw)
    words: list[Word] = []
    if count <= 0:
        return words
    buffer = (ctypes.c_ushort * (count + 1))()
    written = pdfium_c.FPDFText_GetText(raw, 0, count, buffer)
    data = ctypes.string_at(buffer, max(written - 1, 0) * 2)
    # pdfium marks a hyphen that ends a line as U+FFFE; a soft hyphen may stay U+00AD.
    text = data.decode("utf-16-le", errors="replace").translate(_HYPHENS)
    rect = pdfium_c.FS_RECTF()
    ref = ctypes.byref(rect)
    get_box = pdfium_c.FPDFText_GetLooseCharBox
    limit = min(count, len(text))
    # pdfium puts a (generated) space wherever characters stand apart, so a token between
    # spaces is a word: its first and last character boxes give its box. A token whose ends
    # disagree (another baseline, too wide for its letters) is cut character by character.
    for match in _TOKEN.finditer(text, 0, limit):
        start, end = match.span()
        get_box(raw, start, ref)
        x0, top, bottom = rect.left, height - rect.top, height - rect.bottom
        if end - start == 1:
            words.append(Word(match.group(), x0, top, rect.right, bottom))
            continue
        get_box(raw, end - 1, ref)
        h = bottom - top
        if abs((height - rect.top) - top) > 0.5 * h or rect.right - x0 > (end - start) * h:
            words.extend(_cut(raw, text, start, end, height))
            continue
        words.append(Word(match.group(), x0, top, rect.right, max(bottom, height - rect.bottom)))
    return words


_TOKEN = re.compile(r"\S+")


def _cut(raw, text: str, start: int, end: int, height: float) -> list[Word]:
    """One token's characters regrouped by their own boxes (gaps and baselines)."""
    rect = pdfium_c.FS_RECTF()
    ref = ctypes.byref(rect)
    words: list[Word] = []
    chars: list[str] = []
    x0 = top = x1 = bottom = 0.0
    for i in range(start, end):
        pdfium_c.FPDFText_GetLooseCharBox(raw, i, ref)
        c_top, c_bottom = height - rect.top, height - rect.bottom
        if chars:
            h = bottom - top
            if rect.left - x1 > WORD_GAP * h or abs(c_top - top) > 0.5 * h:
                words.append(Word("".join(chars), x0, top, x1, bottom))
                chars = []
        if not chars:
            x0, top, x1, bottom = rect.left, c_top, rect.right, c_bottom
        else:
            x1 = max(x1, rect.right)
            top, bottom = min(top, c_top), max(bottom, c_bottom)
        chars.append(text[i])
    if chars:
        words.append(Word("".join(chars), x0, top, x1, bottom))
    return words


def group_lines(
    words: list[Word], *, page: int, page_height: float, ocr: bool = False
) -> list[Line]:
    """Words whose vertical centres meet form a line; a line splits into segments at column gaps."""
    ordered = sorted(words, key=lambda w: (w.top, w.x0))
    rows: list[list[Word]] = []
    bands: list[tuple[float, float]] = []  # each row's first word: the band others must meet
    for word in ordered:
        w_top, w_bottom = word.top, word.bottom
        best, best_share = -1, 0.5
        for index in range(max(0, len(rows) - 3), len(rows)):
            top, bottom = bands[index]
            inter = (bottom if bottom < w_bottom else w_bottom) - (top if top > w_top else w_top)
            if inter <= 0:
                continue
            share = inter / max(min(bottom - top, w_bottom - w_top), 0.1)
            if share > best_share:
                best, best_share = index, share
        if best < 0:
            rows.append([word])
            bands.append((w_top, w_bottom))
        else:
            rows[best].append(word)
    lines = []
    for row in rows:
        row.sort(key=lambda w: w.x0)
        # OCR boxes hug the ink (no side bearings, short "a" boxes): measure against the
        # tallest word and allow a wider gap.
        heights = sorted(w.height for w in row)
        height = heights[-1] * OCR_GAP_SHARE if ocr else heights[len(row) // 2] * SEGMENT_GAP
        segments = [Segment([row[0]])]
        for word in row[1:]:
            if word.x0 - segments[-1].x1 > height:
                segments.append(Segment([word]))
            else:
                segments[-1].words.append(word)
        lines.append(
            Line(
                page=page,
                top=min(w.top for w in row),
                bottom=max(w.bottom for w in row),
                segments=_currency_joined(segments),
                page_height=page_height,
            )
        )
    return lines


def _currency_joined(segments: list[Segment]) -> list[Segment]:
    """A '$' alone in its cell (a spreadsheet printed to PDF puts it at the cell's left edge,
    the amount at the right) joins the amount after it: it is no cell of its own."""
    out: list[Segment] = []
    for segment in segments:
        if out and out[-1].text == "$":
            out[-1] = Segment([*out[-1].words, *segment.words])
        else:
            out.append(segment)
    return out


BAND_OVERLAP = 0.25  # lines overlapping more than this share of their height share one row


def merge_bands(lines: list[Line]) -> list[Line]:
    """Lines of one table row whose cells are centred vertically: a wrapped cell prints half a
    line above and below the row's other cells. Lines that overlap vertically become one
    line, and words stacked in one column join in reading order ("05-" over "Mar-2023")."""
    out: list[Line] = []
    for line in lines:
        last = out[-1] if out else None
        if last is not None and last.bottom - line.top > BAND_OVERLAP * min(
            last.height, line.height
        ):
            out[-1] = _merged(last, line)
        else:
            out.append(line)
    return out


def _merged(a: Line, b: Line) -> Line:
    words = sorted((w for s in (*a.segments, *b.segments) for w in s.words), key=lambda w: w.x0)
    height = sorted(w.height for w in words)[len(words) // 2]
    segments: list[Segment] = []
    right = -1e9
    for word in words:
        if segments and word.x0 - right <= SEGMENT_GAP * height:
            segments[-1].words.append(word)
        else:
            segments.append(Segment([word]))
        right = max(right, word.x1) if segments[-1].words[0] is not word else word.x1
    for segment in segments:
        segment.words.sort(key=lambda w: (round(w.top), w.x0))
    return Line(
        page=a.page,
        top=min(a.top, b.top),
        bottom=max(a.bottom, b.bottom),
        segments=_currency_joined(segments),
        page_height=a.page_height,
    )
