"""The timeline rules of shared/domain.md, each both ways, as a pure function over dates."""

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
    AgencyClock,
    Deadlines,
    Milestone,
    RequestDates,
    deadlines,
    helpdesk_due_at,
    local_at,
    milestones,
    notice_moment,
    plan_due,
)

NY = ZoneInfo("America/New_York")
LA = ZoneInfo("America/Los_Angeles")
HONOLULU = ZoneInfo("Pacific/Honolulu")
UTC = dt.UTC
FED = get_calendar()
EIGHT = dt.time(8, 0)


def utc(*args):
    return dt.datetime(*args, tzinfo=UTC)


def at(tz, *args):
    return dt.datetime(*args, tzinfo=tz)


def clock(tz=NY, cal=FED, notify=EIGHT, opens=EIGHT, closes=dt.time(18, 0)):
    return AgencyClock(cal=cal, tz=tz, notify_time=notify, opens=opens, closes=closes)


def dates(created_at, first=None, second=None, received=None, held=False):
    return RequestDates(
        created_at=created_at,
        first_request_on=first,
        second_request_at=second,
        received_on=received,
        helpdesk_open=held,
    )


def run(created_at, first=None, second=None, received=None, held=False, **clock_args):
    found = milestones(dates(created_at, first, second, received, held), clock(**clock_args))
    return {m.kind: m.due_at for m in found}


def helpdesk(second, **clock_args):
    return run(at(NY, 2026, 1, 5, 9), first=dt.date(2026, 1, 5), second=second, **clock_args)[
        HELPDESK_DUE
    ]


# --- the examples of domain.md (New York agency, federal holidays) ---------------------------


def test_created_friday_day2_reminder_monday_0800_day5_wednesday_0800():
    got = run(at(NY, 2026, 10, 16, 10, 0))  # Friday
    assert got == {DAY2: at(NY, 2026, 10, 19, 8, 0), DAY5: at(NY, 2026, 10, 21, 8, 0)}


def test_second_request_tuesday_1030_helpdesk_wednesday_1030():
    assert helpdesk(at(NY, 2026, 3, 10, 10, 30)) == at(NY, 2026, 3, 11, 10, 30)


def test_second_request_friday_1659_helpdesk_monday_0800():
    assert helpdesk(at(NY, 2026, 3, 13, 16, 59)) == at(NY, 2026, 3, 16, 8, 0)


def test_second_request_wednesday_before_thanksgiving_1659_helpdesk_friday_0800():
    assert helpdesk(at(NY, 2026, 11, 25, 16, 59)) == at(NY, 2026, 11, 27, 8, 0)


# --- day 2 and day 5: calendar days after the local creation date ----------------------------


def test_day_reminders_are_calendar_days_on_business_days_at_the_notify_time():
    got = run(at(NY, 2026, 3, 2, 10, 0))  # Monday: day 2 Wednesday, day 5 Saturday -> Monday
    assert got == {DAY2: at(NY, 2026, 3, 4, 8, 0), DAY5: at(NY, 2026, 3, 9, 8, 0)}


def test_day_reminder_on_a_weekday_is_not_moved():
    got = run(at(NY, 2026, 3, 3, 17, 0))  # Tuesday: day 2 Thursday, day 5 Sunday -> Monday
    assert got[DAY2] == at(NY, 2026, 3, 5, 8, 0)
    assert got[DAY5] == at(NY, 2026, 3, 9, 8, 0)


def test_day_reminders_across_spring_forward_keep_0800_local():
    got = run(at(NY, 2026, 3, 6, 10, 0))  # Friday; clocks change Sunday March 8
    assert got[DAY2] == utc(2026, 3, 9, 12, 0)  # Monday 08:00 EDT
    assert got[DAY5] == utc(2026, 3, 11, 12, 0)


def test_day_reminder_on_a_federal_holiday_monday_goes_tuesday():
    got = run(at(NY, 2026, 10, 9, 10, 0))  # Friday; Monday October 12 is Columbus Day
    assert got[DAY2] == at(NY, 2026, 10, 13, 8, 0)
    assert got[DAY5] == at(NY, 2026, 10, 14, 8, 0)


def test_los_angeles_thursday_evening_counts_from_the_local_thursday():
    created = at(LA, 2026, 3, 12, 20, 0)  # Friday 03:00 UTC
    got = run(created, tz=LA)
    assert got[DAY2] == at(LA, 2026, 3, 16, 8, 0)  # day 2 Saturday -> Monday
    assert got[DAY5] == at(LA, 2026, 3, 17, 8, 0)  # Tuesday (the UTC date would say Wednesday)


def test_honolulu_day_reminder_skips_prince_kuhio_day_with_state_holidays():
    created = at(HONOLULU, 2026, 3, 24, 9, 0)  # Tuesday; day 2 is Thursday March 26
    assert run(created, tz=HONOLULU)[DAY2] == at(HONOLULU, 2026, 3, 26, 8, 0)
    state = run(created, tz=HONOLULU, cal=get_calendar("HI"))
    assert state[DAY2] == at(HONOLULU, 2026, 3, 27, 8, 0) == utc(2026, 3, 27, 18, 0)


def test_observed_new_year_on_december_31_moves_the_day_reminder_into_january():
    # January 1, 2028 is a Saturday: observed Friday December 31, 2027.
    got = run(at(NY, 2027, 12, 29, 11, 0))
    assert got[DAY2] == at(NY, 2028, 1, 3, 8, 0)
    assert run(at(NY, 2027, 12, 28, 11, 0))[DAY2] == at(NY, 2027, 12, 30, 8, 0)


def test_an_agency_closed_day_moves_the_day_reminder():
    created = at(NY, 2026, 3, 2, 10, 0)
    got = run(created, cal=get_calendar(None, (dt.date(2026, 3, 4),)))
    assert got[DAY2] == at(NY, 2026, 3, 5, 8, 0)
    assert run(created)[DAY2] == at(NY, 2026, 3, 4, 8, 0)


def test_day_reminders_stop_once_a_first_request_date_exists():
    got = run(at(NY, 2026, 3, 2, 10, 0), first=dt.date(2026, 3, 3))
    assert DAY2 not in got and DAY5 not in got


# --- the 10th business day --------------------------------------------------------------------


def test_second_request_due_on_10th_business_day_and_reminder_2_business_days_later():
    got = run(at(NY, 2026, 3, 2, 10), first=dt.date(2026, 3, 2))
    assert got == {
        SECOND_REQUEST_DUE: at(NY, 2026, 3, 16, 8, 0),
        SECOND_REQUEST_REMINDER: at(NY, 2026, 3, 18, 8, 0),
    }


def test_tenth_business_day_skips_thanksgiving_and_crosses_the_fall_back():
    got = run(at(NY, 2026, 10, 26, 10), first=dt.date(2026, 11, 16))
    assert got[SECOND_REQUEST_DUE] == at(NY, 2026, 12, 1, 8, 0) == utc(2026, 12, 1, 13, 0)
    got = run(at(NY, 2026, 10, 26, 10), first=dt.date(2026, 10, 26))
    assert got[SECOND_REQUEST_DUE] == utc(2026, 11, 9, 13, 0)  # 08:00 EST, not EDT


def test_state_holidays_move_the_tenth_business_day():
    # NY Lincoln's Birthday, Thursday 2026-02-12.
    fed = run(at(NY, 2026, 2, 5), first=dt.date(2026, 2, 5))
    ny = run(at(NY, 2026, 2, 5), first=dt.date(2026, 2, 5), cal=get_calendar("NY"))
    assert fed[SECOND_REQUEST_DUE] == at(NY, 2026, 2, 20, 8, 0)
    assert ny[SECOND_REQUEST_DUE] == at(NY, 2026, 2, 23, 8, 0)


def test_second_request_notices_stop_when_a_second_request_is_recorded():
    got = run(at(NY, 2026, 3, 2), first=dt.date(2026, 3, 2), second=at(NY, 2026, 3, 17, 9))
    assert set(got) == {HELPDESK_DUE}


@pytest.mark.parametrize(
    "first,second",
    [(None, None), (dt.date(2026, 3, 2), None), (dt.date(2026, 3, 2), at(NY, 2026, 3, 17, 9))],
)
def test_received_ends_everything(first, second):
    assert run(at(NY, 2026, 3, 2), first=first, second=second) != {}
    assert run(at(NY, 2026, 3, 2), first=first, second=second, received=dt.date(2026, 3, 5)) == {}


def test_an_open_help_desk_ticket_silences_every_notice():
    assert run(at(NY, 2026, 3, 2), first=dt.date(2026, 3, 2), held=True) == {}
    assert run(at(NY, 2026, 3, 2), held=True) == {}


# --- the carrier's 24 hours ---------------------------------------------------------------------


def test_helpdesk_due_is_24_clock_hours_later_not_business_hours():
    assert helpdesk_due_at(at(NY, 2026, 3, 13, 16, 59)) == at(NY, 2026, 3, 14, 16, 59)
    assert helpdesk_due_at(at(NY, 2026, 12, 31, 10, 0)) == at(NY, 2027, 1, 1, 10, 0)


def test_helpdesk_due_requires_an_aware_datetime():
    with pytest.raises(ValueError, match="^second_request_at must be aware.$"):
        helpdesk_due_at(dt.datetime(2026, 3, 13, 15, 0))


def test_helpdesk_due_is_returned_in_utc():
    assert helpdesk_due_at(at(NY, 2026, 3, 13, 15, 0)).tzinfo is UTC


def test_helpdesk_due_outside_working_hours_waits_for_the_notify_time():
    assert helpdesk(at(NY, 2026, 3, 10, 20, 0)) == at(NY, 2026, 3, 12, 8, 0)  # Wed 20:00 -> Thu
    assert helpdesk(at(NY, 2026, 3, 10, 6, 0)) == at(NY, 2026, 3, 11, 8, 0)  # Wed 06:00 -> 08:00
    assert helpdesk(at(NY, 2026, 3, 10, 8, 0)) == at(NY, 2026, 3, 11, 8, 0)  # opening: as is
    assert helpdesk(at(NY, 2026, 3, 10, 17, 59)) == at(NY, 2026, 3, 11, 17, 59)
    assert helpdesk(at(NY, 2026, 3, 10, 18, 0)) == at(NY, 2026, 3, 12, 8, 0)  # closing: next day


def test_helpdesk_due_saturday_afternoon_goes_monday_morning():
    assert helpdesk(at(NY, 2026, 3, 20, 14, 0)) == at(NY, 2026, 3, 23, 8, 0)


def test_helpdesk_due_on_an_observed_new_year_goes_after_the_weekend():
    # Thursday December 30, 2027 10:00 + 24 h = Friday December 31, observed New Year's Day.
    assert helpdesk(at(NY, 2027, 12, 30, 10, 0)) == at(NY, 2028, 1, 3, 8, 0)
    assert helpdesk(at(NY, 2027, 12, 29, 10, 0)) == at(NY, 2027, 12, 30, 10, 0)


def test_helpdesk_due_over_the_fall_back_weekend_is_monday_0800_est():
    # Saturday 10:00 EDT + 24 h = Sunday 09:00 EST (the clocks went back) -> Monday.
    assert helpdesk_due_at(at(NY, 2026, 10, 31, 10, 0)) == at(NY, 2026, 11, 1, 9, 0)
    assert helpdesk(at(NY, 2026, 10, 31, 10, 0)) == utc(2026, 11, 2, 13, 0)


def test_los_angeles_state_holiday_after_thanksgiving_with_custom_hours():
    second = at(LA, 2026, 11, 25, 16, 59)
    assert helpdesk(second, tz=LA) == at(LA, 2026, 11, 27, 8, 0)
    assert helpdesk(second, tz=LA, cal=get_calendar("CA")) == at(LA, 2026, 11, 30, 8, 0)


def test_custom_working_hours_and_notify_time():
    hours = {"opens": dt.time(9, 0), "closes": dt.time(17, 0), "notify": dt.time(9, 30)}
    assert helpdesk(at(NY, 2026, 3, 10, 8, 15), **hours) == at(NY, 2026, 3, 11, 9, 30)
    assert helpdesk(at(NY, 2026, 3, 10, 9, 15), **hours) == at(NY, 2026, 3, 11, 9, 15)
    assert helpdesk(at(NY, 2026, 3, 10, 17, 0), **hours) == at(NY, 2026, 3, 12, 9, 30)
    assert helpdesk(at(NY, 2026, 3, 10, 17, 0)) == at(NY, 2026, 3, 11, 17, 0)


def test_the_notify_time_must_lie_inside_working_hours():
    with pytest.raises(ValueError):
        clock(notify=dt.time(7, 0))
    with pytest.raises(ValueError):
        clock(notify=dt.time(18, 0))
    assert clock(notify=dt.time(17, 59)).notify_time == dt.time(17, 59)


def test_notice_moment_requires_an_aware_datetime():
    with pytest.raises(ValueError):
        notice_moment(dt.datetime(2026, 3, 10, 9), clock())


def test_notice_moment_is_returned_in_utc():
    assert notice_moment(at(NY, 2026, 3, 10, 9), clock()).tzinfo == UTC


# --- bases: the dates each notice was computed for ---------------------------------------------


def basis(created, first=None, second=None):
    return {m.kind: m.basis for m in milestones(dates(created, first, second), clock())}


def test_basis_follows_the_dates_the_notice_depends_on():
    created = at(NY, 2026, 3, 2, 10)
    assert basis(created)[DAY2] == basis(created)[DAY5] == "2026-03-02T15:00:00.000000Z"
    first = basis(created, dt.date(2026, 3, 2))
    assert first == {SECOND_REQUEST_DUE: "2026-03-02", SECOND_REQUEST_REMINDER: "2026-03-02"}
    assert basis(created, dt.date(2026, 3, 3))[SECOND_REQUEST_DUE] == "2026-03-03"
    second = basis(created, dt.date(2026, 3, 2), at(NY, 2026, 3, 16, 9))
    assert second == {HELPDESK_DUE: "2026-03-17T13:00:00.000000Z"}


def test_a_calendar_change_moves_a_notice_without_changing_its_basis():
    created = at(NY, 2026, 3, 2, 10)
    moved = milestones(dates(created), clock(cal=get_calendar(None, (dt.date(2026, 3, 4),))))
    plain = milestones(dates(created), clock())
    assert [m.basis for m in moved] == [m.basis for m in plain]
    assert [m.due_at for m in moved] != [m.due_at for m in plain]


# --- deadlines: the vault's status columns ------------------------------------------------------


def test_deadlines_are_the_raw_deadlines_not_the_notice_moments():
    got = deadlines(dates(at(NY, 2026, 3, 2), dt.date(2026, 3, 2)), clock())
    assert got.second_request_due_at == at(NY, 2026, 3, 16, 8) and got.helpdesk_due_at is None
    second = at(NY, 2026, 3, 13, 16, 59)
    got = deadlines(dates(at(NY, 2026, 3, 2), dt.date(2026, 3, 2), second), clock())
    assert got.helpdesk_due_at == at(NY, 2026, 3, 14, 16, 59) and got.second_request_due_at is None


def test_deadlines_are_empty_before_the_first_request_and_after_received():
    none = deadlines(dates(at(NY, 2026, 3, 2)), clock())
    assert (none.second_request_due_at, none.helpdesk_due_at) == (None, None)
    done = deadlines(
        dates(at(NY, 2026, 3, 2), dt.date(2026, 3, 2), None, dt.date(2026, 3, 4)), clock()
    )
    assert (done.second_request_due_at, done.helpdesk_due_at) == (None, None)


def test_milestones_require_an_aware_creation_time():
    with pytest.raises(ValueError):
        run(dt.datetime(2026, 3, 2, 10, 0))


def test_local_at_in_the_spring_gap_moves_forward_and_repeated_time_takes_the_first():
    assert local_at(dt.date(2026, 3, 8), dt.time(2, 30), NY) == utc(2026, 3, 8, 7, 30)
    assert local_at(dt.date(2026, 11, 1), dt.time(1, 30), NY) == utc(2026, 11, 1, 5, 30)
    assert local_at(dt.date(2026, 11, 1), dt.time(1, 30, fold=1), NY) == utc(2026, 11, 1, 6, 30)


# --- plan_due: what the sweep sends ----------------------------------------------------------

M1 = Milestone(SECOND_REQUEST_DUE, utc(2026, 3, 16, 12), "2026-03-02")
M2 = Milestone(SECOND_REQUEST_REMINDER, utc(2026, 3, 18, 12), "2026-03-02")
D2 = Milestone(DAY2, utc(2026, 3, 4, 13), "c")
D5 = Milestone(DAY5, utc(2026, 3, 9, 12), "c")
C = clock()


def test_plan_nothing_due_yet():
    plan = plan_due([M1, M2], existing=[], now=utc(2026, 3, 16, 11, 59), clock=C)
    assert plan.send is None and plan.superseded == [] and plan.next_due_at == M1.due_at


def test_plan_one_due_sends_it_and_points_at_the_next():
    plan = plan_due([M1, M2], existing=[], now=utc(2026, 3, 16, 12), clock=C)
    assert plan.send == M1 and plan.superseded == [] and plan.next_due_at == M2.due_at


def test_plan_several_overdue_sends_only_the_most_recent():
    plan = plan_due([D5, D2], existing=[], now=utc(2026, 4, 1, 14), clock=C)
    assert plan.send == D5 and plan.superseded == [D2] and plan.next_due_at is None


def test_plan_reminder_due_with_its_original_sends_the_original():
    plan = plan_due([M2, M1], existing=[], now=utc(2026, 4, 1, 14), clock=C)
    assert plan.send == M1 and plan.superseded == [M2]


def test_plan_reminder_alone_is_sent_once_the_original_went_out():
    plan = plan_due([M1, M2], existing=[(M1.kind, M1.basis)], now=utc(2026, 4, 1, 14), clock=C)
    assert plan.send == M2 and plan.superseded == []


def test_plan_reminder_of_other_dates_does_not_pull_an_original_of_other_dates():
    old = Milestone(SECOND_REQUEST_DUE, utc(2026, 3, 10, 12), "2026-02-24")
    plan = plan_due([old, M2], existing=[], now=utc(2026, 4, 1, 14), clock=C)
    assert plan.send == M2 and plan.superseded == [old]


def test_plan_skips_milestones_that_already_have_a_notice_of_the_same_dates():
    plan = plan_due([M1, M2], existing=[(M1.kind, M1.basis)], now=utc(2026, 3, 17, 14), clock=C)
    assert plan.send is None and plan.next_due_at == M2.due_at
    done = [(M1.kind, M1.basis), (M2.kind, M2.basis)]
    plan = plan_due([M1, M2], existing=done, now=utc(2026, 4, 1, 14), clock=C)
    assert plan.send is None and plan.next_due_at is None
    moved = Milestone(SECOND_REQUEST_DUE, utc(2026, 3, 17, 12), "2026-03-03")
    plan = plan_due([moved], existing=[(M1.kind, M1.basis)], now=utc(2026, 3, 17, 12), clock=C)
    assert plan.send == moved


def test_plan_outside_working_hours_waits_for_the_next_notify_time():
    saturday_night = at(NY, 2026, 3, 21, 22, 1)
    plan = plan_due([M1, M2], existing=[], now=saturday_night, clock=C)
    assert plan.send is None and plan.superseded == []
    assert plan.next_due_at == at(NY, 2026, 3, 23, 8, 0)
    monday = plan_due([M1, M2], existing=[], now=at(NY, 2026, 3, 23, 8, 0), clock=C)
    assert monday.send == M1 and monday.superseded == [M2]


def test_plan_outside_hours_points_at_an_earlier_milestone_when_one_comes_first():
    early = clock(notify=dt.time(9, 0))
    due_0830 = Milestone(HELPDESK_DUE, at(NY, 2026, 3, 11, 8, 30), "x")
    overdue = Milestone(SECOND_REQUEST_DUE, at(NY, 2026, 3, 9, 9, 0), "y")
    plan = plan_due([overdue, due_0830], existing=[], now=at(NY, 2026, 3, 10, 19), clock=early)
    assert plan.send is None and plan.next_due_at == at(NY, 2026, 3, 11, 8, 30)


def test_plan_outside_hours_with_nothing_due_just_points_at_the_next():
    plan = plan_due([M1], existing=[], now=at(NY, 2026, 3, 14, 22), clock=C)
    assert plan.send is None and plan.next_due_at == M1.due_at


# --- property: sweeps at any pace over random timelines --------------------------------------


def in_working_hours(moment, c):
    local = moment.astimezone(c.tz)
    return c.cal.is_business_day(local.date()) and c.opens <= local.time() < c.closes


@settings(max_examples=150, deadline=None)
@given(
    created=st.datetimes(
        min_value=dt.datetime(2026, 1, 1), max_value=dt.datetime(2027, 12, 1), timezones=st.just(NY)
    ),
    first_after=st.one_of(st.none(), st.integers(min_value=-3, max_value=20)),
    second_after=st.one_of(st.none(), st.integers(min_value=0, max_value=30 * 24 * 60)),
    sweep_every=st.sampled_from(
        [dt.timedelta(minutes=1), dt.timedelta(hours=7), dt.timedelta(days=9)]
    ),
    tz=st.sampled_from([NY, LA, HONOLULU]),
    state=st.sampled_from([None, "CA", "HI", "NY"]),
)
def test_sweeps_at_any_pace_account_for_every_milestone_once(
    created, first_after, second_after, sweep_every, tz, state
):
    c = clock(tz=tz, cal=get_calendar(state))
    first = created.date() + dt.timedelta(days=first_after) if first_after is not None else None
    second = (
        created + dt.timedelta(minutes=second_after) if second_after is not None and first else None
    )
    found = milestones(dates(created, first, second), c)
    assert [m.due_at for m in found] == sorted(m.due_at for m in found)
    assert all(in_working_hours(m.due_at, c) for m in found)
    sent, superseded = [], []
    if sweep_every == dt.timedelta(minutes=1):  # only look at the minutes around each milestone
        moments = sorted({m.due_at + dt.timedelta(minutes=k) for m in found for k in (-1, 0, 1)})
    else:
        end = max((m.due_at for m in found), default=created) + sweep_every
        moments = [created + sweep_every * k for k in range((end - created) // sweep_every + 1)]
        moments.append(notice_moment(end, c))  # one sweep inside working hours at the end
    for now in moments:
        plan = plan_due(found, existing=[*sent, *superseded], now=now, clock=c)
        if plan.send:
            assert plan.send.due_at <= now and in_working_hours(now, c)
            sent.append((plan.send.kind, plan.send.basis))
            superseded += [(m.kind, m.basis) for m in plan.superseded]
        if plan.next_due_at is not None:
            assert plan.next_due_at > now
    assert sorted(sent + superseded) == sorted((m.kind, m.basis) for m in found)
    assert len(set(sent)) == len(sent)
    assert (SECOND_REQUEST_REMINDER, first and first.isoformat()) not in sent or (
        SECOND_REQUEST_DUE,
        first.isoformat(),
    ) in sent
    if sweep_every == dt.timedelta(minutes=1):  # a timely sweep skips only a same-moment notice
        moments = {m.kind: m.due_at for m in found}
        assert all(moments[k] == moments[DAY5] for k, _ in superseded)


# --- exact messages, and no dependence on the server's own zone --------------------------------


def test_the_timeline_refuses_naive_times_and_bad_hours_with_exact_messages():
    with pytest.raises(ValueError, match=r"^The notify time must lie within working hours\.$"):
        clock(notify=dt.time(7, 0))
    with pytest.raises(ValueError, match=r"^at must be aware\.$"):
        notice_moment(dt.datetime(2026, 3, 10, 9), clock())
    with pytest.raises(ValueError, match=r"^created_at must be aware\.$"):
        run(dt.datetime(2026, 3, 2, 10, 0))


@pytest.fixture
def server_in_tokyo(monkeypatch):
    """The server's own clock set to Tokyo (UTC+9): the agency's zone must decide, never it."""
    import time

    monkeypatch.setenv("TZ", "Asia/Tokyo")
    time.tzset()
    yield
    monkeypatch.undo()
    time.tzset()


def test_the_server_zone_never_leaks_into_a_moment(server_in_tokyo):
    assert local_at(dt.date(2026, 3, 10), EIGHT, NY).utcoffset() == dt.timedelta(0)
    assert local_at(dt.date(2026, 3, 10), EIGHT, NY) == utc(2026, 3, 10, 12, 0)
    # Created Thursday 19:00 in Los Angeles (Friday in Tokyo and in UTC): day 2 is Saturday,
    # so Monday 08:00 Los Angeles; the 10th business day after March 2 at 08:00 New York.
    got = run(at(LA, 2026, 3, 5, 19, 0), tz=LA)
    assert got[DAY2] == at(LA, 2026, 3, 9, 8, 0) and got[DAY5] == at(LA, 2026, 3, 10, 8, 0)
    due = deadlines(dates(at(NY, 2026, 3, 2), dt.date(2026, 3, 2)), clock())
    assert due.second_request_due_at == at(NY, 2026, 3, 16, 8)


# --- a request still without its 1st-request date is overdue from the day-5 reminder ----------


def test_without_a_first_request_date_it_is_overdue_from_the_day5_reminder():
    # Created Friday March 6: day 5 is Wednesday March 11, at the notify time.
    got = deadlines(dates(at(NY, 2026, 3, 6, 10, 0)), clock())
    assert got == Deadlines(None, None, at(NY, 2026, 3, 11, 8, 0))


def test_the_overdue_moment_counts_from_the_local_creation_date():
    # Thursday 22:00 in Los Angeles is already Friday in New York (the settings' zone) and in
    # UTC: day 5 from Thursday is Tuesday, from Friday it would be Wednesday.
    got = deadlines(dates(at(LA, 2026, 3, 12, 22, 0)), clock(tz=LA))
    assert got.first_request_due_at == at(LA, 2026, 3, 17, 8, 0)


def test_with_a_first_request_date_nothing_is_overdue_for_it():
    got = deadlines(dates(at(NY, 2026, 3, 6, 10, 0), first=dt.date(2026, 3, 9)), clock())
    assert got.first_request_due_at is None and got.second_request_due_at is not None
