"""Keyset pagination over a queryset ordered newest first by (created_at, id).

A page is found from the row it starts after (or before), never by counting the rows
ahead of it, so page 1,000 or the last page costs what page 1 costs: an index range scan
that stops after one page. A cursor is "<microseconds since the epoch>-<id>" of that row.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from django.db.models import Q, QuerySet

EPOCH = dt.datetime(1970, 1, 1, tzinfo=dt.UTC)
ONE_MICROSECOND = dt.timedelta(microseconds=1)
MAX_ID = 2**63 - 1


@dataclass(frozen=True)
class Cursor:
    created_at: dt.datetime
    id: int

    def encode(self) -> str:
        return f"{(self.created_at - EPOCH) // ONE_MICROSECOND}-{self.id}"

    @classmethod
    def decode(cls, text: str | None) -> Cursor | None:
        """The cursor in `text`, or None for anything that is not one (never an error)."""
        micros, _, pk = (text or "").strip().partition("-")
        if not (micros.isdigit() and pk.isdigit()) or len(micros) > 17 or int(pk) > MAX_ID:
            return None
        try:
            return cls(EPOCH + int(micros) * ONE_MICROSECOND, int(pk))
        except OverflowError:
            return None

    @classmethod
    def of(cls, row) -> Cursor:
        return cls(row.created_at, row.pk)


def _older_than(c: Cursor) -> Q:
    # created_at <= t bounds the index range; the OR only drops the ties at t.
    return Q(created_at__lte=c.created_at) & (Q(created_at__lt=c.created_at) | Q(id__lt=c.id))


def _newer_than(c: Cursor) -> Q:
    return Q(created_at__gte=c.created_at) & (Q(created_at__gt=c.created_at) | Q(id__gt=c.id))


@dataclass
class Window:
    rows: list
    has_previous: bool
    has_next: bool
    is_first: bool  # the newest rows of the set (the first page)
    is_last: bool  # the oldest rows of the set (the last page)


def keyset_window(
    qs: QuerySet,
    *,
    per_page: int,
    after: Cursor | None = None,
    before: Cursor | None = None,
    last: bool = False,
) -> Window:
    """One page of `qs` (ordered by -created_at, -id): the first, the one after/before a
    cursor, or the last. One query (two when "newer" runs into the first page)."""
    newest_first = qs.order_by("-created_at", "-id")
    if after is not None:
        fetched = list(newest_first.filter(_older_than(after))[: per_page + 1])
        more = len(fetched) > per_page
        return Window(fetched[:per_page], True, more, False, not more)
    if before is not None or last:
        oldest_first = qs.order_by("created_at", "id")
        if before is not None:
            oldest_first = oldest_first.filter(_newer_than(before))
        fetched = list(oldest_first[: per_page + 1])
        more = len(fetched) > per_page
        if more or last:
            rows = fetched[:per_page][::-1]
            return Window(rows, more, before is not None, not more, last)
        # "Newer" reached the newest rows: show the first page whole.
    fetched = list(newest_first[: per_page + 1])
    more = len(fetched) > per_page
    return Window(fetched[:per_page], False, more, True, not more)
