"""Column tables: finding a header (one line or several stacked), and cutting rows into its cells."""

from __future__ import annotations

import re
from dataclasses import dataclass, field

from claims.extract.ocr import misread_label
from claims.extract.values import amount_text, claim_like, date_iso, is_amount, is_blank
from claims.extract.words import Line, Segment
from claims.labels import DATE_FIELDS, MONEY_FIELDS, field_for

MEASURES = {"paid_total": "paid", "reserves": "reserve", "total_incurred": "incurred"}


@dataclass
class Column:
    field: str | None
    label: str
    x0: float
    x1: float


@dataclass
class Columns:
    columns: list[Column]
    kind: str  # "claims", "more" (a second label row of a claim), "summary", "ledger"
    # A record printed on two rows under a two-row header (claim, dates, status above; cause
    # and money below): each row's own columns. Empty for a header of one band.
    bands: list[list[Column]] = field(default_factory=list)
    band: int = -1  # the band of the last line cut: on a tie, the next line takes the next band

    @property
    def fields(self) -> set[str]:
        return {c.field for band in (self.bands or [self.columns]) for c in band if c.field}

    def assign(self, line: Line) -> tuple[dict[str, list[Segment]], list[Segment]]:
        """Each segment goes to the column it overlaps most; text across several columns is returned apart.

        Under a header of two bands a line is cut by the band whose columns its values fit,
        and where both fit as well (amounts only), by the band after the line above's.
        """
        cached = line.meta.get("cells")
        if cached and cached[0] is self:
            return cached[1]
        if self.bands:
            options = [_assign(band, line) for band in self.bands]
            scores = [_fit(cells) for cells, _ in options]
            after = (self.band + 1) % len(self.bands)
            self.band = after if scores[after] == max(scores) else scores.index(max(scores))
            found = options[self.band]
        else:
            found = _assign(self.columns, line)
        line.meta["cells"] = (self, found)
        return found


def _fit(cells: dict[str, list[Segment]]) -> int:
    """How well a line's cells suit their columns: a date under a date, an amount under money."""
    score = 0
    for key, segments in cells.items():
        field_name = key.split("+")[0]
        text = " ".join(s.text for s in segments)
        if field_name in DATE_FIELDS:
            good = bool(date_iso(text)) or is_blank(text)
        elif field_name in MONEY_FIELDS:
            good = amount_text(text) is not None or is_blank(text)
        elif field_name == "claim_number":
            good = claim_like(text)
        elif field_name.startswith("?"):
            continue
        else:
            good = not date_iso(text) and not is_amount(text)
        score += 1 if good else -1
    return score


def _assign(columns: list[Column], line: Line) -> tuple[dict[str, list[Segment]], list[Segment]]:
    cells: dict[str, list[Segment]] = {}
    spanning: list[Segment] = []
    for segment in line.segments:
        x0, x1 = segment.x0, segment.x1
        best, best_score, covered = 0, -1e9, 0
        for i, column in enumerate(columns):
            inter = min(x1, column.x1) - max(x0, column.x0)
            if inter > 0.5 * max(column.x1 - column.x0, 1.0):
                covered += 1
            score = inter if inter > 0 else -min(abs(x0 - column.x1), abs(column.x0 - x1))
            if score > best_score:
                best, best_score = i, score
        if covered >= 2 and len(segment.words) >= 4:
            spanning.append(segment)
        elif covered >= 2:
            for word in segment.words:
                _put(columns, cells, Segment([word]), _best(columns, word.x0, word.x1))
        else:
            _put(columns, cells, segment, best)
    return cells, spanning


def _put(
    columns: list[Column], cells: dict[str, list[Segment]], segment: Segment, index: int
) -> None:
    column = columns[index]
    key = column.field or f"?{index}"
    if column.field and sum(1 for c in columns if c.field == column.field) > 1:
        key = f"{column.field}+{index}"  # three reserve columns: added up by the caller
    cells.setdefault(key, []).append(segment)


def _best(columns: list[Column], x0: float, x1: float) -> int:
    best, best_score = 0, None
    for i, column in enumerate(columns):
        inter = min(x1, column.x1) - max(x0, column.x0)
        score = inter if inter > 0 else -min(abs(x0 - column.x1), abs(column.x0 - x1))
        if best_score is None or score > best_score:
            best, best_score = i, score
    return best


_DIGIT = re.compile(r"\d")


def _label_line(line: Line) -> bool:
    if len(line.segments) < 2:
        return False
    for segment in line.segments:
        text = segment.text
        if _DIGIT.search(text) or ":" in text or len(segment.words) > 5:
            return False
    return True


def _build(line_group: list[Line]) -> list[Column]:
    """Columns of a header of one or more lines. A label over two or more labels of the next
    line ("Paid" over "Indemnity" and "Expense") is a group: each column below gets it."""
    columns = [Column(None, s.text, s.x0, s.x1) for s in line_group[0].segments]
    for line in line_group[1:]:
        under: dict[int, list[Segment]] = {}
        loose: list[Segment] = []
        for segment in line.segments:
            index = next(
                (
                    i
                    for i, c in enumerate(columns)
                    if min(segment.x1, c.x1) - max(segment.x0, c.x0) > 0
                ),
                None,
            )
            if index is None:
                loose.append(segment)
            else:
                under.setdefault(index, []).append(segment)
        rebuilt: list[Column] = []
        for i, column in enumerate(columns):
            below = under.get(i, [])
            if len(below) >= 2:
                rebuilt.extend(Column(None, f"{column.label} {s.text}", s.x0, s.x1) for s in below)
            elif below:
                s = below[0]
                rebuilt.append(
                    Column(
                        None, f"{column.label} {s.text}", min(column.x0, s.x0), max(column.x1, s.x1)
                    )
                )
            else:
                rebuilt.append(column)
        rebuilt.extend(Column(None, s.text, s.x0, s.x1) for s in loose)
        columns = rebuilt
    columns.sort(key=lambda c: c.x0)
    scanned = any(w.conf < 100 for line in line_group for s in line.segments for w in s.words)
    for column in columns:
        column.field = field_for(column.label) or (misread_label(column.label) if scanned else None)
    _net_over_gross(columns)
    return columns


_GROSS = re.compile(r"\bgross\b", re.IGNORECASE)
_NET = re.compile(r"\bnet\b", re.IGNORECASE)


def _net_over_gross(columns: list[Column]) -> None:
    """'Gross Incurred' beside 'Net Incurred' is the same figure before recoveries, not a part
    to add: the net column is the field, the gross one is left unread."""
    for column in columns:
        if column.field and _GROSS.search(column.label):
            same = [c for c in columns if c.field == column.field and c is not column]
            if any(_NET.search(c.label) for c in same):
                column.field = None


def _score(columns: list[Column]) -> int:
    return sum(1 for c in columns if c.field)


def header_at(lines: list[Line], index: int) -> tuple[Columns, int] | None:
    """The column header starting at lines[index] and how many lines it takes, or None."""
    first = lines[index]
    if not _label_line(first):
        return None
    group = [first]
    best = _build(group)
    bands: list[list[Column]] = []
    for nxt in lines[index + 1 : index + 3]:
        previous = group[-1]
        if nxt.page != first.page or nxt.top - previous.bottom > 0.8 * previous.height:
            break
        if any(_DIGIT.search(s.text) or ":" in s.text or len(s.words) > 5 for s in nxt.segments):
            break
        merged = _build([*group, nxt])
        if len(group) == 1 and _label_line(nxt):
            bands = _second_band(best, _build([nxt]), merged)
            if bands:
                group.append(nxt)
                break
        if _score(merged) < _score(best) or (
            _score(merged) == _score(best) and len(merged) > len(best)
        ):
            break
        group.append(nxt)
        best = merged
    score = _score(best)
    # Three labels at least: two ("Status  Closed") are as often a label and its value.
    if score < 3 or score < 0.6 * len(best):
        return None
    fields = {c.field for band in (bands or [best]) for c in band if c.field}
    if "claim_number" in fields:
        kind = "claims"
    elif "claim_count" in fields or (
        "policy_number" in fields and fields & {"term_start", "policy_period"}
    ):
        kind = "summary"
    elif "category" in fields or (fields <= set(MEASURES) | {"category"}):
        kind = "ledger"
    else:
        kind = "more"
    return Columns(best, kind, bands), len(group)


def _second_band(
    first: list[Column], second: list[Column], merged: list[Column]
) -> list[list[Column]]:
    """[first, second] when the line under a header is a header of its own (three labels or
    more, other fields than the first's) that does not nest under it: read as the lower half
    of the labels above, it would turn a known label unknown ("Claim No" over "Cause"). The
    header of a record printed on two rows."""
    own = {c.field for c in second if c.field}
    if _score(second) < 3 or _score(second) < 0.6 * len(second):
        return []
    if len(own & {c.field for c in first if c.field}) > 1:
        return []
    lost = any(
        m.field is None and m.label.startswith(c.label) for c in first if c.field for m in merged
    )
    return [first, second] if lost else []
