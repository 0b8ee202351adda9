"""A block's columns as the block check (claims.importers.fastblocks) reads them: each a
list, one value per row, read with the interpreter's own loops rather than a call per cell."""

from __future__ import annotations

from collections.abc import Iterable
from itertools import repeat
from operator import itemgetter

from claims.importers.fastrows import PLAIN_LINES
from claims.importers.values import cell_text

_first, _text = itemgetter(0), itemgetter(1)


class Money:
    """One amount column of a block: cents and text per row (0 and '0.00' where blank)."""

    __slots__ = ("cents", "texts", "blank")

    def __init__(self, cents: list[int], texts: list[str], blank: bool):
        self.cents, self.texts, self.blank = cents, texts, blank


def plain_column(raw: list) -> Money | None:
    """A column whose every cell is a plain amount (claims.importers.fastrows.PLAIN_LINES:
    two decimals, no sign, '$' and thousands separators at most), read in one pass over its
    joined text: the cents and the text str() of the Decimal gives. None for any other."""
    try:
        joined = "\n".join(raw)
    except TypeError:  # a blank or a number among the texts
        return None
    if not joined or joined.count("\n") != len(raw) - 1 or not PLAIN_LINES.fullmatch(joined):
        return None  # (a cell holding a line break is not plain)
    clean = joined.replace("$", "").replace(",", "")
    cents = list(map(int, clean.replace(".", "").split("\n")))
    return Money(cents, clean.split("\n"), False)


def money_column(values: list) -> Money:
    """(cents, text)-or-None values (none FAIL) as a column."""
    blank = None in values
    if blank:
        values = [value or (0, "0.00") for value in values]
    return Money(list(map(_first, values)), list(map(_text, values)), blank)


def texts_of(raw: list, limit: int) -> list[str]:
    """Each cell's text, trimmed and cut to `limit`, as FastRows takes a text cell."""
    try:
        texts = list(map(str.strip, raw))
    except TypeError:  # a blank or a number among them
        texts = [value.strip() if value.__class__ is str else cell_text(value) for value in raw]
    if max(map(len, texts), default=0) > limit:
        texts = [text[:limit] for text in texts]
    return texts


def iso_texts(dates: list | None) -> Iterable[str | None]:
    """The ISO text of each (date, ISO text, ordinal) of a date column; None where blank."""
    if dates is None:
        return repeat(None)
    if None in dates:
        return [day[1] if day else None for day in dates]
    return map(_text, dates)
