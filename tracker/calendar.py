"""Business-day arithmetic over weekends, US federal (+ state) holidays and agency closed days.

Pure and fast: a calendar precomputes the sorted ordinals of every business day in its
year range once; each call is then a bisect (sub-microsecond). Calendars are cached per
(state, closed days), so building one costs once per process.
"""

from __future__ import annotations

import datetime as dt
from bisect import bisect_left, bisect_right
from collections.abc import Iterable
from functools import lru_cache

import holidays

FIRST_YEAR = 1990
LAST_YEAR = 2100


def holiday_dates(state: str | None, years: Iterable[int]) -> set[dt.date]:
    """US federal public holidays (with observed days), united with the state's when given.

    The package's state calendars leave out some federal days, so the union is explicit.
    """
    years = list(years)
    days = set(holidays.country_holidays("US", years=years, observed=True).keys())
    if state:
        days |= set(holidays.country_holidays("US", subdiv=state, years=years, observed=True).keys())
    return days


class BusinessCalendar:
    """Saturdays, Sundays, holidays and the agency's closed dates are not business days."""

    def __init__(
        self,
        state: str | None = None,
        closed: Iterable[dt.date] = (),
        first_year: int = FIRST_YEAR,
        last_year: int = LAST_YEAR,
    ) -> None:
        self.state = state or None
        self.first = dt.date(first_year, 1, 1).toordinal()
        self.last = dt.date(last_year, 12, 31).toordinal()
        closed_days = holiday_dates(self.state, range(first_year, last_year + 1)) | set(closed)
        self._closed = frozenset(d.toordinal() for d in closed_days)
        self._business = [
            o for o in range(self.first, self.last + 1)
            if o not in self._closed and dt.date.fromordinal(o).weekday() < 5
        ]  # fmt: skip

    def _check(self, o: int) -> None:
        if not self.first <= o <= self.last:
            raise ValueError(f"{dt.date.fromordinal(o)} is outside the calendar's years.")

    def is_business_day(self, d: dt.date) -> bool:
        o = d.toordinal()
        self._check(o)
        return o not in self._closed and d.weekday() < 5

    def add_business_days(self, d: dt.date, n: int) -> dt.date:
        """The n-th business day strictly after `d` (n >= 1)."""
        if n < 1:
            raise ValueError("n must be at least 1.")
        o = d.toordinal()
        self._check(o)
        i = bisect_right(self._business, o) + n - 1
        if i >= len(self._business):
            raise ValueError("Result is outside the calendar's years.")
        return dt.date.fromordinal(self._business[i])

    def business_days_between(self, a: dt.date, b: dt.date) -> int:
        """Business days in (a, b]; negative when b is before a."""
        oa, ob = a.toordinal(), b.toordinal()
        self._check(oa)
        self._check(ob)
        return bisect_right(self._business, ob) - bisect_right(self._business, oa)

    def next_business_day_on_or_after(self, d: dt.date) -> dt.date:
        o = d.toordinal()
        self._check(o)
        return dt.date.fromordinal(self._business[bisect_left(self._business, o)])


@lru_cache(maxsize=128)
def get_calendar(state: str | None = None, closed: tuple[dt.date, ...] = ()) -> BusinessCalendar:
    """The cached calendar for a state and a set of closed days."""
    return BusinessCalendar(state=state, closed=closed)


def calendar_for_agency(agency) -> BusinessCalendar:
    closed = tuple(sorted(agency.closed_days.values_list("date", flat=True)))
    return get_calendar(agency.calendar_state, closed)
