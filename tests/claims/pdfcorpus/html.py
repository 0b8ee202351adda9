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


def day(value: str, style: str) -> str:
    """An ISO date printed the way a carrier does: 'iso', 'short' (01/05/24), 'month'
    (Jan 5, 2024), 'us' (01/05/2024); '' stays ''."""
    if not value:
        return ""
    date = dt.date.fromisoformat(value)
    if style == "iso":
        return date.isoformat()
    if style == "short":
        return f"{date:%m/%d/%y}"
    if style == "month":
        return f"{date:%b} {date.day}, {date.year}"
    return us(date)


def signed(
    value: Decimal | str, *, negative: str = "-", zero: str = "0.00", dollar: bool = False
) -> str:
    """An amount with the carrier's negative style: '-' (leading), 'trail' (1,234.00-),
    'cr' (1,234.00 CR), 'parens'; `zero` is what a zero prints as ('-', '0.00', '')."""
    number = Decimal(value)
    if number == 0:
        return zero
    text = ("$" if dollar else "") + f"{abs(number):,.2f}"
    if number > 0:
        return text
    return {"-": f"-{text}", "trail": f"{text}-", "cr": f"{text} CR", "parens": f"({text})"}[
        negative
    ]


def as_printed(value: Decimal | str, zero: str) -> str:
    """The truth of an amount printed with `signed`: '' where a zero printed as a dash."""
    number = Decimal(value)
    if number == 0 and zero in ("-", ""):
        return ""
    return f"{number:.2f}"
