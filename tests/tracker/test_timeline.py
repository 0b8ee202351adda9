import datetime as dt
from zoneinfo import ZoneInfo

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from tracker.calendar import get_calendar
from tracker.timeline import (
    DAY2,
    DAY5,
    HELPDESK_DUE,
    SECOND_REQUEST_DUE,
    SECOND_REQUEST_REMINDER,
    Milestone,
    RequestDates,
    helpdesk_due_at,
    local_at,
    milestones,
    plan_due,
)

NY = ZoneInfo("America/New_York")
LA = ZoneInfo("America/Los_Angeles")
UTC = dt.UTC
FED = get_calendar()
EIGHT = dt.time(8, 0)


def utc(*args):
    return dt.datetime(*args, tzinfo=UTC)


def at(tz, *args):
    return dt.datetime(*args, tzinfo=tz)


def run(created_at, first=None, second=None, received=None, tz=NY, cal=FED, notify=EIGHT):
    dates = RequestDates(
        created_at=created_at,
        first_request_on=first,
        second_request_at=second,
        received_on=received,
    )
    return {m.kind: m.due_at for m in milestones(dates, cal=cal, tz=tz, notify_time=notify)}


# Monday 2026-03-02; DST starts Sunday 2026-03-08 and ends Sunday 2026-11-01 in the US.
CREATED = at(NY, 2026, 3, 2, 10, 0)


def test_first_request_reminders_on_2nd_and_5th_business_day_at_notify_time():
    got = run(CREATED)
    assert set(got) == {DAY2, DAY5}
    assert got[DAY2] == utc(2026, 3, 4, 13, 0)  # Wed 08:00 EST
    assert got[DAY5] == utc(2026, 3, 9, 12, 0)  # Mon 08:00 EDT: the UTC instant moved an hour


def test_first_request_reminders_stop_once_a_first_request_date_exists():
    got = run(CREATED, first=dt.date(2026, 3, 3))
    assert DAY2 not in got and DAY5 not in got


def test_reminders_count_from_the_local_creation_date():
    # Friday 22:00 in New York is already Saturday in UTC: still counted from Friday.
    got = run(at(NY, 2026, 3, 6, 22, 0))
    assert got[DAY2].astimezone(NY).date() == dt.date(2026, 3, 10)
    # The same instant in Los Angeles is Friday 19:00 local: same business days, LA clock.
    got_la = run(at(NY, 2026, 3, 6, 22, 0), tz=LA)
    assert got_la[DAY2] == at(LA, 2026, 3, 10, 8, 0)
    assert got_la[DAY2] - got[DAY2] == dt.timedelta(hours=3)


def test_second_request_due_on_10th_business_day_and_reminder_2_days_later():
    got = run(CREATED, first=dt.date(2026, 3, 2))
    assert set(got) == {SECOND_REQUEST_DUE, SECOND_REQUEST_REMINDER}
    assert got[SECOND_REQUEST_DUE] == at(NY, 2026, 3, 16, 8, 0)
    assert got[SECOND_REQUEST_REMINDER] == at(NY, 2026, 3, 18, 8, 0)


def test_second_request_due_skips_holidays_and_crosses_the_fall_back():
    # Tue 2026-10-20 + 10 business days = Tue 2026-11-03 (Columbus Day is Oct 12, before).
    got = run(CREATED, first=dt.date(2026, 10, 20))
    assert got[SECOND_REQUEST_DUE] == utc(2026, 11, 3, 13, 0)  # 08:00 EST
    # Veterans Day (Wed 2026-11-11) pushes a due date by one day.
    got = run(CREATED, first=dt.date(2026, 10, 28))
    assert got[SECOND_REQUEST_DUE].astimezone(NY).date() == dt.date(2026, 11, 12)


def test_second_request_milestones_stop_when_a_second_request_is_recorded():
    got = run(CREATED, first=dt.date(2026, 3, 2), second=at(NY, 2026, 3, 16, 11, 0))
    assert set(got) == {HELPDESK_DUE}
    assert got[HELPDESK_DUE] == at(NY, 2026, 3, 17, 11, 0)


def test_second_request_without_first_request_date_still_leads_to_help_desk():
    got = run(CREATED, second=at(NY, 2026, 3, 16, 11, 0))
    assert set(got) == {HELPDESK_DUE}


@pytest.mark.parametrize(
    "first,second",
    [(None, None), (dt.date(2026, 3, 2), None), (dt.date(2026, 3, 2), at(NY, 2026, 3, 16, 11, 0))],
)
def test_received_ends_everything(first, second):
    assert run(CREATED, first=first, second=second) != {}
    assert run(CREATED, first=first, second=second, received=dt.date(2026, 3, 5)) == {}


def test_correcting_the_first_request_date_moves_the_milestones():
    before = run(CREATED, first=dt.date(2026, 3, 2))
    after = run(CREATED, first=dt.date(2026, 3, 4))
    assert after[SECOND_REQUEST_DUE] == at(NY, 2026, 3, 18, 8, 0)
    assert after[SECOND_REQUEST_DUE] > before[SECOND_REQUEST_DUE]


def test_helpdesk_due_friday_afternoon_is_monday_same_time():
    assert helpdesk_due_at(at(NY, 2026, 3, 13, 15, 0), FED, NY) == at(NY, 2026, 3, 16, 15, 0)


def test_helpdesk_due_skips_a_holiday():
    # Wednesday before Thanksgiving (Thu 2026-11-26) -> Friday.
    assert helpdesk_due_at(at(NY, 2026, 11, 25, 15, 0), FED, NY) == at(NY, 2026, 11, 27, 15, 0)


def test_helpdesk_due_from_a_weekend_counts_from_that_day():
    assert helpdesk_due_at(at(NY, 2026, 3, 14, 10, 0), FED, NY) == at(NY, 2026, 3, 16, 10, 0)


def test_helpdesk_due_is_local_time_in_the_agency_zone():
    sent = utc(2026, 3, 13, 20, 0)  # Fri 16:00 EDT, Fri 13:00 PDT
    assert helpdesk_due_at(sent, FED, NY) == at(NY, 2026, 3, 16, 16, 0)
    assert helpdesk_due_at(sent, FED, LA) == at(LA, 2026, 3, 16, 13, 0)


def test_helpdesk_due_across_spring_forward_keeps_the_wall_clock():
    # Friday 2026-03-06 09:00 EST -> Monday 2026-03-09 09:00 EDT: 71 real hours, not 72.
    due = helpdesk_due_at(at(NY, 2026, 3, 6, 9, 0), FED, NY)
    assert due == utc(2026, 3, 9, 13, 0)
    assert due - at(NY, 2026, 3, 6, 9, 0) == dt.timedelta(hours=71)


@pytest.mark.parametrize("fold", [0, 1])
def test_second_request_at_0130_on_the_fall_back_day(fold):
    # 01:30 happens twice on Sunday 2026-11-01 (EDT, then EST). Either way the carrier
    # has until Monday 01:30 EST.
    sent = dt.datetime(2026, 11, 1, 1, 30, tzinfo=NY, fold=fold)
    assert sent.astimezone(UTC) == utc(2026, 11, 1, 5 + fold, 30)
    assert helpdesk_due_at(sent, FED, NY) == utc(2026, 11, 2, 6, 30)


def test_helpdesk_due_requires_an_aware_datetime():
    with pytest.raises(ValueError):
        helpdesk_due_at(dt.datetime(2026, 3, 13, 15, 0), FED, NY)
    with pytest.raises(ValueError):
        run(dt.datetime(2026, 3, 2, 10, 0))


def test_local_at_in_the_spring_gap_moves_forward_and_repeated_time_takes_the_first():
    assert local_at(dt.date(2026, 3, 8), dt.time(2, 30), NY) == at(NY, 2026, 3, 8, 3, 30)
    assert local_at(dt.date(2026, 3, 8), dt.time(2, 30), NY) == utc(2026, 3, 8, 7, 30)
    assert local_at(dt.date(2026, 11, 1), dt.time(1, 30), NY) == utc(2026, 11, 1, 5, 30)


def test_notify_time_in_march_and_november_shifts_by_one_hour_in_utc():
    before = local_at(dt.date(2026, 3, 6), EIGHT, NY)
    after = local_at(dt.date(2026, 3, 9), EIGHT, NY)
    assert (before.hour, after.hour) == (13, 12)
    assert local_at(dt.date(2026, 10, 30), EIGHT, NY).hour == 12
    assert local_at(dt.date(2026, 11, 2), EIGHT, NY).hour == 13


def test_state_holidays_and_closed_days_move_milestones():
    # NY Lincoln's Birthday, Thu 2026-02-12: first request Thu 2026-02-05.
    fed = run(CREATED, first=dt.date(2026, 2, 5))
    ny = run(CREATED, first=dt.date(2026, 2, 5), cal=get_calendar("NY"))
    assert ny[SECOND_REQUEST_DUE] - fed[SECOND_REQUEST_DUE] >= dt.timedelta(days=1)
    closed = run(CREATED, first=dt.date(2026, 3, 2), cal=get_calendar(None, (dt.date(2026, 3, 3),)))
    assert closed[SECOND_REQUEST_DUE] == at(NY, 2026, 3, 17, 8, 0)


# --- plan_due: what the sweep sends ----------------------------------------------------------

M1 = Milestone(SECOND_REQUEST_DUE, utc(2026, 3, 16, 12))
M2 = Milestone(SECOND_REQUEST_REMINDER, utc(2026, 3, 18, 12))


def test_plan_nothing_due_yet():
    plan = plan_due([M1, M2], existing=[], now=utc(2026, 3, 16, 11, 59))
    assert plan.send is None and plan.superseded == [] and plan.next_due_at == M1.due_at


def test_plan_one_due_sends_it_and_points_at_the_next():
    plan = plan_due([M1, M2], existing=[], now=utc(2026, 3, 16, 12))
    assert plan.send == M1 and plan.superseded == [] and plan.next_due_at == M2.due_at


def test_plan_several_overdue_sends_only_the_most_recent():
    plan = plan_due([M2, M1], existing=[], now=utc(2026, 4, 1))
    assert plan.send == M2 and plan.superseded == [M1] and plan.next_due_at is None


def test_plan_skips_milestones_that_already_have_a_notice():
    plan = plan_due([M1, M2], existing=[SECOND_REQUEST_DUE], now=utc(2026, 3, 17))
    assert plan.send is None and plan.next_due_at == M2.due_at
    plan = plan_due(
        [M1, M2], existing=[SECOND_REQUEST_DUE, SECOND_REQUEST_REMINDER], now=utc(2026, 4, 1)
    )
    assert plan.send is None and plan.next_due_at is None


# --- property: minute-by-minute sweeps over random timelines --------------------------------


@settings(max_examples=150, deadline=None)
@given(
    created=st.datetimes(
        min_value=dt.datetime(2026, 1, 1), max_value=dt.datetime(2027, 12, 1), timezones=st.just(NY)
    ),
    first_after=st.one_of(st.none(), st.integers(min_value=-3, max_value=20)),
    second_after=st.one_of(st.none(), st.integers(min_value=0, max_value=30 * 24)),
    sweep_every=st.sampled_from(
        [dt.timedelta(minutes=1), dt.timedelta(hours=7), dt.timedelta(days=9)]
    ),
    tz=st.sampled_from([NY, LA]),
)
def test_sweeps_at_any_pace_account_for_every_milestone_once(
    created, first_after, second_after, sweep_every, tz
):
    first = created.date() + dt.timedelta(days=first_after) if first_after is not None else None
    second = (
        created + dt.timedelta(hours=second_after) if second_after is not None and first else None
    )
    dates = RequestDates(
        created_at=created, first_request_on=first, second_request_at=second, received_on=None
    )
    found = milestones(dates, cal=FED, tz=tz, notify_time=EIGHT)
    assert [m.due_at for m in found] == sorted(m.due_at for m in found)
    sent, superseded = [], []
    now = created
    end = max((m.due_at for m in found), default=created) + sweep_every
    if sweep_every == dt.timedelta(minutes=1):  # only look at the minutes around each milestone
        moments = sorted({m.due_at + dt.timedelta(minutes=k) for m in found for k in (-1, 0, 1)})
    else:
        moments = []
        while now <= end:
            moments.append(now)
            now += sweep_every
        moments.append(end)
    for now in moments:
        plan = plan_due(found, existing=[*sent, *superseded], now=now)
        if plan.send:
            assert plan.send.due_at <= now
            sent.append(plan.send.kind)
            superseded += [m.kind for m in plan.superseded]
            assert all(m.due_at <= plan.send.due_at for m in plan.superseded)
        if plan.next_due_at is not None:
            assert plan.next_due_at > now
    assert sorted(sent + superseded) == sorted(m.kind for m in found)  # each exactly once
    assert len(set(sent)) == len(sent)
    if sweep_every == dt.timedelta(minutes=1):
        assert superseded == []  # a timely sweep sends every milestone
