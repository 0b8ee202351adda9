"""What frames the claims: running headers and footers, code legends, report facts.

These are found over the whole document before the claims are assembled: a legend is often
printed after the claims it explains, and a running header only shows itself by repeating.
"""

from __future__ import annotations

import re

from claims.extract.values import date_iso, dates_in
from claims.extract.words import Line

_PAGE_NO = re.compile(r"^\s*(page\s*)?\d+\s*((of|/)\s*\d+)?\s*$", re.IGNORECASE)
_LEGEND_PAIR = re.compile(
    r"(?<![\w/])([A-Z][A-Z0-9/]{0,4})\s*=\s*([A-Za-z][A-Za-z/&' .\-()]*?)\s*(?=[,;|]|$|\s+[A-Z][A-Z0-9/]{0,4}\s*=)"
)
# "C - Closed, O - Open" (or "C: Closed") only on a line that says it is a legend.
_DASH_PAIR = re.compile(
    r"(?<![\w/])([A-Z][A-Z0-9/]{0,3})\s*[-–:]\s*([A-Za-z][A-Za-z/&' .]*?)\s*(?=[,;|]|$|\s+[A-Z][A-Z0-9/]{0,3}\s*[-–:]\s)"
)
_VALUATION = re.compile(
    r"(valu(?:ed|ation)|evaluat(?:ed|ion)|as\s+of|run\s+date|date\s+run|data\s+through|loss\s+run\s+date)",
    re.IGNORECASE,
)
_RUN_DATE = re.compile(r"run\s+date|date\s+run|loss\s+run\s+date", re.IGNORECASE)
_INSURED = re.compile(
    r"^(?:named\s+insured|insured(?:\s+name)?|account(?:\s+name)?|policyholder|client|employer"
    r"|(?:loss\s+run|report|prepared)\s+for)\s*:\s*(.+)$",
    re.IGNORECASE,
)
_CARRIER_LABEL = re.compile(
    r"^(?:carrier|insurer|insurance\s+company|writing\s+company|company|underwriter)\s*:\s*(.+)$",
    re.IGNORECASE,
)
_CARRIER_WORDS = re.compile(
    r"\b(insurance|mutual|casualty|assurance|indemnity|underwriters|reciprocal|fund|company|co\.|group)\b",
    re.IGNORECASE,
)


def _shape(text: str) -> str:
    return re.sub(r"\d+", "#", text.lower()).strip()


def mark_running(pages: list[list[Line]]) -> None:
    """Mark page numbers and lines repeated near the top or bottom of several pages.

    A line repeats when its text does, or its shape with only one number changing (the page
    number): a claim card's line that happens to open two pages ("Loss Dt 05/22/2025 ...")
    changes several numbers and stays a claim's.
    """
    if not pages:
        return
    numbers: dict[str, list[tuple[str, ...]]] = {}
    for lines in pages:
        seen: dict[str, tuple[str, ...]] = {}
        for line in lines:
            if _near_edge(line):
                seen.setdefault(_shape(line.text), tuple(_NUMBER.findall(line.text)))
        for shape, found in seen.items():
            numbers.setdefault(shape, []).append(found)
    repeated = {
        shape
        for shape, found in numbers.items()
        if len(found) >= 2 and len(found) >= 0.5 * len(pages) and _one_number_changes(found)
    }
    for lines in pages:
        for line in lines:
            shape = _shape(line.text)
            if (
                _PAGE_NO.match(line.text)
                or (_near_edge(line) and shape in repeated)
                or _near_edge(line)
                and re.search(r"\bpage\s+\d+\s+of\s+\d+\b", line.text, re.I)
            ):
                line.running = True


_NUMBER = re.compile(r"\d+")


def _one_number_changes(found: list[tuple[str, ...]]) -> bool:
    changing = {i for numbers in found[1:] for i, n in enumerate(numbers) if n != found[0][i]}
    return len(changing) <= 1


def _near_edge(line: Line) -> bool:
    return line.top < 0.09 * line.page_height or line.bottom > 0.91 * line.page_height


def legend_codes(lines: list[Line]) -> tuple[dict[str, str], dict[str, str], set[int]]:
    """Status codes, other codes (cause of loss and the like) and the ids of legend lines."""
    status: dict[str, str] = {}
    other: dict[str, str] = {}
    legend_lines: set[int] = set()
    from claims.extract.values import status_of  # values imports the status words

    for line in lines:
        low = line.text.lower()
        keyword = "legend" in low or "code" in low
        pairs = _LEGEND_PAIR.findall(line.text)
        if not pairs and keyword:
            pairs = _DASH_PAIR.findall(line.text.split(":", 1)[-1])
        if not pairs or (len(pairs) < 2 and not keyword):
            continue
        legend_lines.add(id(line))
        about_status = "status" in re.split(r"[=:]|\s[-–]\s", low)[0]
        for code, meaning in pairs:
            meaning = meaning.strip(" .-")
            if about_status or (status_of(meaning, {}) and len(code) <= 2 and not other.get(code)):
                status.setdefault(code.upper(), meaning)
            else:
                other.setdefault(code.upper(), meaning)
    return status, other, legend_lines


def report_facts(lines: list[Line]) -> tuple[str, str, str]:
    """(carrier, insured, valuation date ISO) from the document's own words, '' when not printed."""
    carrier = insured = valuation = ""
    valuation_rank = 2  # a "Valued as of" date wins over the date the report was run
    for line in lines:
        for segment in line.segments:
            text = segment.text.strip()
            if not insured and (m := _INSURED.match(text)):
                insured = m.group(1).strip()
            if not carrier and (m := _CARRIER_LABEL.match(text)):
                carrier = m.group(1).strip()
        for m in _VALUATION.finditer(line.text):
            found = dates_in(line.text[m.end() : m.end() + 40])
            rank = 1 if _RUN_DATE.match(m.group(0)) else 0
            if found and found[0][0] <= 16 and rank < valuation_rank:
                valuation, valuation_rank = found[0][2], rank
    if not carrier:
        first = [line for line in lines[:60] if line.page == 1]
        for line in sorted(first, key=lambda line: line.running):
            text = line.text.strip()
            if ":" not in text and _CARRIER_WORDS.search(text) and len(text) < 80:
                carrier = " ".join(s.text for s in line.segments).strip()
                break
    return carrier, insured, valuation


__all__ = ["date_iso", "legend_codes", "mark_running", "report_facts"]
