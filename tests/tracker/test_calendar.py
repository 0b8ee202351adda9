import datetime as dt

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from tracker.calendar import BusinessCalendar, calendar_for_agency, get_calendar, holiday_dates

D = dt.date
FED = get_calendar()


def test_weekend_is_skipped():
    assert FED.add_business_days(D(2026, 3, 6), 1) == D(2026, 3, 9)  # Fri -> Mon
    assert not FED.is_business_day(D(2026, 3, 7))
    assert not FED.is_business_day(D(2026, 3, 8))
    assert FED.is_business_day(D(2026, 3, 9))


def test_weekend_start_counts_from_the_day_itself():
    assert FED.add_business_days(D(2026, 3, 7), 1) == D(2026, 3, 9)  # Sat -> Mon
    assert FED.add_business_days(D(2026, 3, 8), 2) == D(2026, 3, 10)  # Sun -> Tue


def test_n_must_be_positive():
    with pytest.raises(ValueError):
        FED.add_business_days(D(2026, 3, 9), 0)


def test_federal_holiday_is_skipped():
    # Thanksgiving 2026 is Thursday Nov 26.
    assert FED.add_business_days(D(2026, 11, 25), 1) == D(2026, 11, 27)
    assert not FED.is_business_day(D(2026, 11, 26))


def test_july_4_on_saturday_observed_friday():
    assert D(2026, 7, 4).weekday() == 5
    assert not FED.is_business_day(D(2026, 7, 3))
    assert FED.add_business_days(D(2026, 7, 2), 1) == D(2026, 7, 6)


def test_christmas_on_sunday_observed_monday():
    assert D(2022, 12, 25).weekday() == 6
    assert not FED.is_business_day(D(2022, 12, 26))
    assert FED.add_business_days(D(2022, 12, 23), 1) == D(2022, 12, 27)


def test_year_end_rolls_into_next_year():
    # 2026-12-31 is a Thursday; Jan 1 2027 (Friday) is a holiday.
    assert FED.add_business_days(D(2026, 12, 31), 1) == D(2027, 1, 4)
    assert FED.add_business_days(D(2026, 12, 30), 10) == D(2027, 1, 14)


def test_new_years_day_on_saturday_is_observed_on_december_31():
    # The holidays package observes New Year's Day 2022 (a Saturday) on Friday 2021-12-31.
    assert D(2022, 1, 1).weekday() == 5
    assert D(2021, 12, 31) in holiday_dates(None, [2021])
    assert not FED.is_business_day(D(2021, 12, 31))
    assert FED.add_business_days(D(2021, 12, 30), 1) == D(2022, 1, 3)


def test_state_union_adds_state_holidays():
    ny = get_calendar("NY")
    # Lincoln's Birthday, Thursday 2026-02-12: a NY holiday, not federal.
    assert FED.is_business_day(D(2026, 2, 12))
    assert not ny.is_business_day(D(2026, 2, 12))
    ma = get_calendar("MA")
    # Patriots' Day, third Monday of April: 2026-04-20.
    assert FED.is_business_day(D(2026, 4, 20))
    assert not ma.is_business_day(D(2026, 4, 20))


def test_holiday_dates_adds_the_state_and_its_observed_days_for_the_years_asked():
    # Uncached on purpose: the calendars are cached per process, this function is not.
    ca = holiday_dates("CA", [2024])
    assert D(2024, 4, 1) in ca  # Cesar Chavez Day (Sunday March 31) observed Monday
    assert D(2024, 4, 1) not in holiday_dates(None, [2024])
    assert {d.year for d in ca} == {2024}
    assert {d.year for d in holiday_dates(None, [2027, 2028])} == {2027, 2028}
    assert D(2021, 12, 31) in holiday_dates("CA", [2021])  # federal observed kept


def test_a_calendar_built_directly_keeps_its_state():
    # BusinessCalendar itself, not get_calendar's per-process cache.
    ny = BusinessCalendar(state="NY")
    assert ny.state == "NY" and not ny.is_business_day(D(2026, 2, 12))
    assert BusinessCalendar(state="").state is None
    assert BusinessCalendar(state="").is_business_day(D(2026, 2, 12))


def test_state_union_keeps_every_federal_holiday():
    years = range(2020, 2031)
    federal = holiday_dates(None, years)
    for state in ["NY", "MA", "TX", "CA", "AL", "VA", "DE"]:
        assert federal <= holiday_dates(state, years), state
        cal = get_calendar(state)
        assert all(not cal.is_business_day(d) for d in federal if d.year in years)


def test_agency_closed_days():
    cal = BusinessCalendar(closed=[D(2026, 3, 10)])
    assert not cal.is_business_day(D(2026, 3, 10))
    assert cal.add_business_days(D(2026, 3, 9), 1) == D(2026, 3, 11)
    assert FED.add_business_days(D(2026, 3, 9), 1) == D(2026, 3, 10)


def test_calendar_for_agency_uses_state_choice_and_closed_days(agency):
    from accounts.models import Agency, AgencyClosedDay

    agency.state = "NY"
    agency.holiday_calendar = Agency.HolidayCalendar.FEDERAL
    assert calendar_for_agency(agency).is_business_day(D(2026, 2, 12))
    agency.holiday_calendar = Agency.HolidayCalendar.FEDERAL_AND_STATE
    assert not calendar_for_agency(agency).is_business_day(D(2026, 2, 12))
    AgencyClosedDay.objects.create(agency=agency, date=D(2026, 3, 10))
    assert not calendar_for_agency(agency).is_business_day(D(2026, 3, 10))


def test_business_days_between_half_open():
    assert FED.business_days_between(D(2026, 3, 6), D(2026, 3, 9)) == 1  # (Fri, Mon]
    assert FED.business_days_between(D(2026, 3, 9), D(2026, 3, 9)) == 0
    assert FED.business_days_between(D(2026, 3, 9), D(2026, 3, 6)) == -1
    assert FED.business_days_between(D(2026, 3, 2), D(2026, 3, 16)) == 10


def test_out_of_range_is_a_clear_error():
    with pytest.raises(ValueError, match="outside"):
        FED.add_business_days(D(1980, 1, 1), 1)
    with pytest.raises(ValueError, match="outside"):
        FED.add_business_days(D(2100, 12, 30), 5)


# --- property tests against numpy's business-day functions --------------------------------

STATES = [None, "NY", "MA", "CA", "TX", "IL", "LA", "VT", "HI", "AK"]
dates = st.dates(min_value=D(2000, 1, 1), max_value=D(2090, 12, 31))


def _np_holidays(state):
    return np.array(sorted(holiday_dates(state, range(1990, 2101))), dtype="datetime64[D]")


NP_HOLIDAYS = {s: _np_holidays(s) for s in STATES}


@settings(max_examples=300, deadline=None)
@given(d=dates, n=st.integers(min_value=1, max_value=400), state=st.sampled_from(STATES))
def test_add_business_days_matches_numpy(d, n, state):
    cal = get_calendar(state)
    hol = NP_HOLIDAYS[state]
    ours = cal.add_business_days(d, n)
    # Counting from a closed day starts at the day itself, which is numpy's roll="backward";
    # with roll="forward" the closed day first rolls onto the next business day (one step).
    assert np.datetime64(ours) == np.busday_offset(d, n, roll="backward", holidays=hol)
    forward_n = n if cal.is_business_day(d) else n - 1
    assert np.datetime64(ours) == np.busday_offset(d, forward_n, roll="forward", holidays=hol)
    assert cal.is_business_day(ours)
    assert cal.is_business_day(d) == bool(np.is_busday(d, holidays=hol))


@settings(max_examples=300, deadline=None)
@given(a=dates, b=dates, state=st.sampled_from(STATES))
def test_business_days_between_matches_numpy(a, b, state):
    cal = get_calendar(state)
    one = dt.timedelta(days=1)
    # (a, b] == [a + 1, b + 1) in numpy's half-open convention. Ours is antisymmetric
    # (b before a: minus the days in (b, a]); numpy shifts the interval when reversed.
    lo, hi, sign = (a, b, 1) if a <= b else (b, a, -1)
    expected = sign * np.busday_count(lo + one, hi + one, holidays=NP_HOLIDAYS[state])
    assert cal.business_days_between(a, b) == expected
    assert cal.business_days_between(b, a) == -expected


@settings(max_examples=100, deadline=None)
@given(d=dates, n=st.integers(min_value=1, max_value=60), state=st.sampled_from(STATES))
def test_add_then_count_round_trips(d, n, state):
    cal = get_calendar(state)
    assert cal.business_days_between(d, cal.add_business_days(d, n)) == n


def test_every_state_an_agency_can_choose_has_a_holiday_calendar():
    from accounts.models import US_STATES

    federal = holiday_dates(None, [2026])
    for code, _ in US_STATES:
        assert federal <= holiday_dates(code, [2026]), code


def test_the_calendar_years_are_exact_at_both_ends():
    cal = BusinessCalendar()
    assert not cal.is_business_day(D(1990, 1, 1))  # New Year's Day, inside the years
    assert cal.is_business_day(D(1990, 1, 2))
    assert cal.add_business_days(D(1990, 1, 1), 1) == D(1990, 1, 2)
    with pytest.raises(ValueError, match="outside the calendar's years"):
        cal.is_business_day(D(1989, 12, 31))
    last = next(
        D(2100, 12, 31) - dt.timedelta(days=k)
        for k in range(10)
        if cal.is_business_day(D(2100, 12, 31) - dt.timedelta(days=k))
    )
    with pytest.raises(ValueError, match="^Result is outside the calendar's years.$"):
        cal.add_business_days(last, 1)


def test_add_business_days_refuses_n_below_one_with_a_clear_message():
    with pytest.raises(ValueError, match="^n must be at least 1.$"):
        FED.add_business_days(D(2026, 3, 2), 0)


def test_no_business_day_left_in_the_calendar_is_a_clear_error():
    cal = BusinessCalendar(closed=[D(2100, 12, 31)])  # the last business day closed
    assert cal.next_business_day_on_or_after(D(2100, 12, 30)) == D(2100, 12, 30)
    with pytest.raises(ValueError, match="^Result is outside the calendar's years.$"):
        cal.next_business_day_on_or_after(D(2100, 12, 31))
