"""Small HTML helpers shared by the synthetic layouts."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal
from html import escape

BASE_CSS = """
@page { size: Letter landscape; margin: 16mm 12mm 16mm 12mm; %(page)s }
body { font-family: 'DejaVu Sans', sans-serif; font-size: 8pt; }
h1 { font-size: 13pt; margin: 0 0 4pt 0; }
h2 { font-size: 10pt; margin: 10pt 0 4pt 0; }
table { border-collapse: collapse; width: 100%%; }
th, td { padding: 2pt 5pt; text-align: left; vertical-align: top; }
th { border-bottom: 0.6pt solid #444; }
td.n, th.n { text-align: right; }
.meta td { padding: 1pt 10pt 1pt 0; }
"""


def page_css(*, top: str = "", bottom: str = "") -> str:
    """@page margin boxes: a running header and footer on every page."""
    boxes = []
    if top:
        boxes.append(f"@top-left {{ content: '{top}'; font: 7pt 'DejaVu Sans'; }}")
    if bottom:
        boxes.append(
            f"@bottom-left {{ content: '{bottom}'; font: 7pt 'DejaVu Sans'; }}"
            "@bottom-right { content: 'Page ' counter(page) ' of ' counter(pages);"
            " font: 7pt 'DejaVu Sans'; }"
        )
    return " ".join(boxes)


def document(body: str, *, css: str = "", top: str = "", bottom: str = "") -> str:
    style = BASE_CSS % {"page": page_css(top=top, bottom=bottom)} + css
    return f"<!doctype html><html><head><meta charset='utf-8'><style>{style}</style></head><body>{body}</body></html>"


def us(day: dt.date | str) -> str:
    if isinstance(day, str):
        if not day:
            return ""
        day = dt.date.fromisoformat(day)
    return f"{day:%m/%d/%Y}"


def amount(value: Decimal | str, *, dollar: bool = False, parens: bool = False) -> str:
    """1234.5 -> '1,234.50'; with parens a negative prints as '(1,234.50)'."""
    number = Decimal(value)
    text = f"{abs(number):,.2f}"
    if dollar:
        text = "$" + text
    if number < 0:
        return f"({text})" if parens else f"-{text}"
    return text


def e(text: str) -> str:
    return escape(str(text))
