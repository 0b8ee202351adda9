"""Label/value pairs on one line ("Claim Number: 123  Status: Open"), section lines, total lines."""

from __future__ import annotations

import re
from dataclasses import dataclass

from claims.extract.values import claim_like, dates_in, period_in
from claims.extract.words import Line, Segment, Word
from claims.labels import field_for

_NO_CLAIMS = re.compile(
    r"\bno\s+(?:open\s+or\s+closed\s+|reported\s+|known\s+)?(?:claims?|loss(?:es)?|accidents|"
    r"occurrences|claim\s+activity|loss\s+activity)\b(?!\s+(?:adjuster|number|examiner))|\bnil\s+loss|"
    r"\b(?:claims?|losses)\s*:\s*(?:none|0)\b|\bloss[- ]free\b",
    re.IGNORECASE,
)
_TOTAL = re.compile(
    r"^\W*(?:(?:grand|sub|sub-|term|policy|period|year|report|account|section|claim|page|all|annual)\s*)*"
    r"(?:totals?|summary)\b",
    re.IGNORECASE,
)
_GRAND = re.compile(
    r"grand|all\s+polic|all\s+terms|(?:report|account)\s+(?:total|summary)|total\s+all|all\s+years",
    re.I,
)
_TERM_WORDS = re.compile(r"polic|term|period|year|subtotal|sub-total|section", re.I)
_POLICY = re.compile(
    r"\bpol(?:icy)?\.?\s*(?:no\.?|number|num|nbr|#|id)?\s*[:#]?\s*"
    r"(?P<num>[A-Z]{1,5} \d{4,}[A-Za-z0-9\-/]*|(?=[A-Za-z0-9\-/.]*\d)[A-Za-z0-9][A-Za-z0-9\-/.]*[A-Za-z0-9])",
    re.IGNORECASE,
)
_CLAIM_PREFIX = re.compile(r"^\W*(?:claim|clm)\s*(?:number|no\.?|#)?\s*[:#]?\s+(?P<num>\S+)", re.I)
_COUNT = re.compile(
    r"(?:\b(\d{1,5})\s+claims?\b)|(?:\bclaims?(?:\s+count)?\s*[:=]\s*(\d{1,5})\b)", re.I
)


@dataclass
class Pair:
    field: str | None  # None: a label we do not know ("Location:")
    label: str
    value: str
    words: list[Word]


def labeled_pairs(line: Line) -> list[Pair]:
    """'Claim Number: 123  Date of Loss: 01/02/2023' -> two pairs; [] when the line has no label."""
    words: list[Word] = []
    starts: set[int] = set()
    for segment in line.segments:
        starts.add(len(words))
        words.extend(segment.words)
    labels: list[tuple[int, int, str | None]] = []  # first word, colon word, field
    floor = 0
    for p, word in enumerate(words):
        if not word.text.endswith(":") or re.search(r"\d", word.text):
            continue
        # A label within its own cell first: "Status: Subro | Closed:" is a status and a date
        # closed, not a value-less "Subro Closed"; a label split over cells after that.
        own = max(i for i in starts if i <= p)
        found = _label_before(words, p, max(floor, own)) or _label_before(
            words, p, max(floor, p - 5)
        )
        if found is None and (p in starts or p == 0):
            found = (p, p, None)
        if (
            found is None
            and p > 0
            and (p - 1) in starts
            and not re.search(r"\d", words[p - 1].text)
        ):
            found = (p - 1, p, field_for(words[p - 1].text + " " + word.text.rstrip(":")))
        if found:
            labels.append(found)
            floor = p + 1
    if not labels:
        return _bare_description(words)
    labels = _colonless(line, labels)
    pairs: list[Pair] = []
    head = words[: labels[0][0]]
    if head and (m := _CLAIM_PREFIX.match(" ".join(w.text for w in head))) and claim_like(m["num"]):
        pairs.append(Pair("claim_number", "Claim", m["num"], head))
    for n, (k, p, field) in enumerate(labels):
        end = labels[n + 1][0] if n + 1 < len(labels) else len(words)
        value_words = words[p + 1 : end]
        value = " ".join(w.text for w in value_words).strip(" |")
        if n + 1 < len(labels):  # "Claim: 123, Status: Open": the comma parts two pairs
            value = value.rstrip(";,")
        label = " ".join(w.text for w in words[k : p + 1]).rstrip(":")
        pairs.append(Pair(field, label, value, value_words))
    return pairs


def _label_before(words: list[Word], colon: int, first: int) -> tuple[int, int, str] | None:
    """The longest known label from words[first:] that ends at the colon word."""
    for k in range(first, colon + 1):
        text = " ".join(w.text for w in words[k : colon + 1]).rstrip(":")
        if re.search(r"\d", text):
            continue
        field = field_for(text)
        if field:
            return k, colon, field
    return None


def _colonless(line: Line, labels: list[tuple[int, int, str | None]]):
    """On a card line, labels whose colon OCR lost ("Paid Indemnity | $0.00 | Paid Medical: ...",
    "Date of Loss: | 01/02/2023 | Date Reported | 01/05/2023"): a whole segment that is a known
    label, first on the line or after a value, and followed by a value."""
    taken = {i for k, p, _ in labels for i in range(k, p + 1)}
    colon_ends = {p for _, p, _ in labels}
    found = list(labels)
    index = 0
    bounds = []
    for segment in line.segments:
        bounds.append((index, index + len(segment.words) - 1, segment))
        index += len(segment.words)
    for n, (first, last, segment) in enumerate(bounds):
        if first in taken or n + 1 >= len(bounds) or re.search(r"\d", segment.text):
            continue
        field = field_for(segment.text)
        after_label = n > 0 and bounds[n - 1][1] in colon_ends
        next_first = bounds[n + 1][0]
        if (
            field
            and not after_label
            and next_first not in taken
            and not field_for(bounds[n + 1][2].text)
        ):
            found.append((first, last, field))
    return sorted(found)


def _bare_description(words: list[Word]) -> list[Pair]:
    """'Description Customer slipped ...' when OCR lost the colon: the label leads a long text."""
    for size in (2, 1):
        if (
            len(words) >= size + 3
            and field_for(" ".join(w.text for w in words[:size])) == "description"
        ):
            value = words[size:]
            return [Pair("description", "Description", " ".join(w.text for w in value), value)]
    return []


def segment_pairs(line: Line) -> list[Pair]:
    """Labels and values in alternating cells without colons ('Claim Number   123   Status   Open')."""
    segments = line.segments
    if len(segments) == 2:  # one label and its value, even a value that reads like a label
        field = field_for(segments[0].text)
        if field and not re.search(r"\d", segments[0].text):
            return [Pair(field, segments[0].text, segments[1].text, segments[1].words)]
        return []
    pairs: list[Pair] = []
    i = 0
    while i + 1 < len(segments):
        field = field_for(segments[i].text)
        if field and not re.search(r"\d", segments[i].text) and not field_for(segments[i + 1].text):
            pairs.append(Pair(field, segments[i].text, segments[i + 1].text, segments[i + 1].words))
            i += 2
        else:
            return []
    return pairs if pairs and i == len(segments) else []


def section_of(text: str) -> tuple[str, tuple[str, str] | None] | None:
    """(policy number or '', period or None) of a policy-term heading, or None."""
    period = period_in(text)
    match = _POLICY.search(text)
    policy = match["num"] if match and not dates_in(match["num"]) else ""
    if not policy and not period:
        return None
    if period is None and len(dates_in(text)) > 1:
        return None
    return policy, period


def is_no_claims(text: str) -> bool:
    return bool(_NO_CLAIMS.search(text))


def total_kind(line: Line) -> str | None:
    """'grand', 'term', 'plain' (a bare "Total") for a summary line; None for anything else."""
    first = " ".join(s.text for s in line.segments[:2])
    if not _TOTAL.match(first):
        return None
    head = line.segments[0].text
    if _GRAND.search(line.text):
        return "grand"
    if re.match(r"^\W*claim\s+totals?\b", head, re.I):
        return "claim"
    if _TERM_WORDS.search(head):
        return "term"
    return "plain"


def claim_count(text: str) -> str | None:
    match = _COUNT.search(text)
    if not match:
        return None
    return match.group(1) or match.group(2)


_AMOUNT_FIRST = re.compile(
    r"^(?P<amount>\(?-?\$?[\d,]+(?:\.\d{1,2})?\)?-?)\s+(?P<label>[A-Za-z][A-Za-z /&]{1,30})$"
)
_LABEL_FIRST = re.compile(
    r"^(?P<label>[A-Za-z][A-Za-z /&]{1,30}?)\s+(?P<amount>\(?-?\$?[\d,]+(?:\.\d{1,2})?\)?-?)$"
)


def loose_amounts(line: Line) -> list[tuple[str, str]]:
    """(field, amount text) of cells like '$13,500.00 paid' or 'Incurred 22,500.00' on a total line."""
    found = []
    for segment in line.segments:
        text = segment.text.strip()
        match = _AMOUNT_FIRST.match(text) or _LABEL_FIRST.match(text)
        if match:
            field = field_for(match["label"])
            if field:
                found.append((field, match["amount"]))
    return found


WRAP_GAP = 0.35  # lines closer than this share of their height are one cell's wrapped text


def wrapped_label(line: Line, below: Line) -> Line | None:
    """A card line whose label wrapped in its cell ("Loss" over "Description", the value's
    second line beside it), joined with the line below; None when `below` is another line.

    Only where the joined label is a known one that the first word(s) alone are not, and
    every segment below starts under a segment above (the same cells, one line lower).
    """
    if below.page != line.page or below.top - line.bottom > WRAP_GAP * line.height:
        return None
    if len(line.segments) > 4 or len(below.segments) > len(line.segments):
        return None
    head, tail = line.segments[0].text, below.segments[0].text
    if re.search(r"[\d:]", head + tail) or abs(line.x0 - below.x0) > 2:
        return None
    joined = field_for(f"{head} {tail}")
    if joined is None or joined == field_for(head):
        return None
    segments = [Segment(list(s.words)) for s in line.segments]
    for segment in below.segments:
        match = next((s for s in segments if abs(s.x0 - segment.x0) <= 2), None)
        if match is None:
            return None
        match.words.extend(segment.words)
    return Line(line.page, line.top, below.bottom, segments, line.page_height)
