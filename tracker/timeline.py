"""The tracker's timeline: a pure function from a request's dates to its notices.

The rules, in the domain's words (shared/domain.md, "The tracker's timeline"), all in the
agency's time zone:

- the 2nd and 5th *calendar* day after the day the request was created, if no
  first-request date has been entered: a reminder asking for it;
- the 10th *business* day after the first-request date, if nothing was received: time for
  a second request (and a reminder 2 business days later);
- once a second request is recorded the carrier gets 24 more hours only, *clock* hours
  from the moment recorded; as soon as they run out: hand over to the Help Desk;
- a received date ends everything; while a Help Desk ticket is open nothing is sent.

When a notice goes out: never on a day that is not a business day, never outside working
hours. A notice that falls due then goes at the notify time of the first business day
whose notify time is still ahead (before working hours: that morning; after them: the
next business day). Reminders for a day go at the notify time of that day.

No database access here: the sweep, the delivery and the vault's schedule columns all call
the same functions, so they can never disagree.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable
from dataclasses import dataclass, field
from zoneinfo import ZoneInfo

from tracker.calendar import BusinessCalendar

DAY2 = "first_request_reminder_day2"
DAY5 = "first_request_reminder_day5"
SECOND_REQUEST_DUE = "second_request_due"
SECOND_REQUEST_REMINDER = "second_request_reminder"
HELPDESK_DUE = "helpdesk_due"

FIRST_REQUEST_REMINDER_DAYS = ((DAY2, 2), (DAY5, 5))
SECOND_REQUEST_AFTER_BUSINESS_DAYS = 10
SECOND_REQUEST_REMINDER_AFTER_BUSINESS_DAYS = 2
CARRIER_HOURS_AFTER_SECOND_REQUEST = dt.timedelta(hours=24)
# A reminder repeats the notice it follows; sent alone it would refer to an e-mail that
# never went out, so when both are due at once the original goes instead (plan_due).
REMINDER_OF = {SECOND_REQUEST_REMINDER: SECOND_REQUEST_DUE}


@dataclass(frozen=True)
class AgencyClock:
    """The agency settings that place a notice in time: calendar, zone and hours.

    Working hours run from `opens` (inclusive) to `closes` (exclusive); the notify time
    lies inside them, so a day's notify time is always a moment a notice may go out.
    """

    cal: BusinessCalendar
    tz: ZoneInfo
    notify_time: dt.time = dt.time(8, 0)
    opens: dt.time = dt.time(8, 0)
    closes: dt.time = dt.time(18, 0)

    def __post_init__(self) -> None:
        if not self.opens <= self.notify_time < self.closes:
            raise ValueError("The notify time must lie within working hours.")


@dataclass(frozen=True)
class Milestone:
    kind: str
    due_at: dt.datetime  # aware, UTC: when the notice goes out (inside working hours)
    basis: str = ""  # the dates it was computed for: same basis, same notice, sent once


@dataclass(frozen=True)
class RequestDates:
    created_at: dt.datetime
    first_request_on: dt.date | None
    second_request_at: dt.datetime | None
    received_on: dt.date | None
    helpdesk_open: bool = False


@dataclass(frozen=True)
class Deadlines:
    """The request's own deadlines (the vault's status columns), not the notice moments.

    `first_request_due_at` is the last reminder for the 1st-request date (day 5): from then
    on a request without it is overdue, and stays so after the reminders have gone out."""

    second_request_due_at: dt.datetime | None
    helpdesk_due_at: dt.datetime | None
    first_request_due_at: dt.datetime | None = None


def first_request_due_at(created_at: dt.datetime, clock: AgencyClock) -> dt.datetime:
    """When the 1st request is overdue: the moment of the day-5 reminder."""
    created = created_at.astimezone(clock.tz).date()
    last_reminder_days = FIRST_REQUEST_REMINDER_DAYS[-1][1]
    return day_notice(created + dt.timedelta(days=last_reminder_days), clock)


def local_at(day: dt.date, at: dt.time, tz: ZoneInfo) -> dt.datetime:
    """`day` at local wall time `at` in `tz`, as aware UTC.

    A wall time that does not exist (the spring-forward gap) moves forward by the gap
    (02:30 becomes 03:30 EDT); a wall time that occurs twice (fall back) is its first
    occurrence unless `at.fold` is 1.
    """
    naive = dt.datetime.combine(day, at.replace(tzinfo=None))
    # PEP 495: for a gap time, fold=0 applies the offset in force before the transition,
    # which lands after the gap; for a repeated time it picks the earlier instant.
    return naive.replace(tzinfo=tz, fold=at.fold).astimezone(dt.UTC)


def notice_moment(at: dt.datetime, clock: AgencyClock) -> dt.datetime:
    """When a notice that falls due at `at` goes out: `at` itself inside working hours on
    a business day, else the notify time of the first business day still ahead of `at`."""
    if at.tzinfo is None:
        raise ValueError("at must be aware.")
    local = at.astimezone(clock.tz)
    if clock.cal.is_business_day(local.date()) and clock.opens <= local.time() < clock.closes:
        return at.astimezone(dt.UTC)
    day = clock.cal.next_business_day_on_or_after(local.date())
    moment = local_at(day, clock.notify_time, clock.tz)
    if moment <= at:  # after working hours (or at their close): the next business day
        moment = local_at(clock.cal.add_business_days(day, 1), clock.notify_time, clock.tz)
    return moment


def day_notice(day: dt.date, clock: AgencyClock) -> dt.datetime:
    """A reminder for `day`: that day's notify time, moved to a business day if needed."""
    return notice_moment(local_at(day, clock.notify_time, clock.tz), clock)


def helpdesk_due_at(second_request_at: dt.datetime) -> dt.datetime:
    """The carrier's 24 hours: clock hours from the recorded second request.

    Elapsed hours, so over a daylight-saving change the wall time shifts by the hour the
    clocks moved (the changes fall on Sunday nights, when no notice goes out anyway).
    """
    if second_request_at.tzinfo is None:
        raise ValueError("second_request_at must be aware.")
    return second_request_at.astimezone(dt.UTC) + CARRIER_HOURS_AFTER_SECOND_REQUEST


def second_request_due_on(first_request_on: dt.date, cal: BusinessCalendar) -> dt.date:
    return cal.add_business_days(first_request_on, SECOND_REQUEST_AFTER_BUSINESS_DAYS)


def moment_basis(moment: dt.datetime) -> str:
    return moment.astimezone(dt.UTC).strftime("%Y-%m-%dT%H:%M:%S.%fZ")


def deadlines(dates: RequestDates, clock: AgencyClock) -> Deadlines:
    """The 10th business day (at the notify time) and the end of the carrier's 24 hours.

    Empty once received, and each only in its own phase: the second-request deadline from
    the first request until a second one is recorded, the Help Desk deadline after that.
    """
    if dates.received_on is not None:
        return Deadlines(None, None)
    if dates.second_request_at is not None:
        return Deadlines(None, helpdesk_due_at(dates.second_request_at))
    if dates.first_request_on is None:
        return Deadlines(None, None, first_request_due_at(dates.created_at, clock))
    due = second_request_due_on(dates.first_request_on, clock.cal)
    return Deadlines(local_at(due, clock.notify_time, clock.tz), None)


def milestones(dates: RequestDates, clock: AgencyClock) -> list[Milestone]:
    """Every notice the request's current dates call for, in time order.

    - received, or a Help Desk ticket open: nothing at all;
    - no first-request date (and no second request): reminders on the 2nd and 5th
      calendar day after the local creation date;
    - first request, no second: `second_request_due` on the 10th business day after the
      first-request date, and `second_request_reminder` 2 business days after that;
    - second request recorded: only `helpdesk_due`, when the carrier's 24 hours run out
      (the second-request notices no longer apply: the agent has already acted).

    Each notice carries the dates it was computed for (`basis`): corrections are just new
    dates, and the caller compares bases with the notices that already exist, so a notice
    is never sent twice for the same dates and a moved one goes out again.
    """
    if dates.created_at.tzinfo is None:
        raise ValueError("created_at must be aware.")
    if dates.received_on is not None or dates.helpdesk_open:
        return []
    if dates.second_request_at is not None:
        due = helpdesk_due_at(dates.second_request_at)
        return [Milestone(HELPDESK_DUE, notice_moment(due, clock), moment_basis(due))]
    if dates.first_request_on is None:
        created = dates.created_at.astimezone(clock.tz).date()
        basis = moment_basis(dates.created_at)
        return [
            Milestone(kind, day_notice(created + dt.timedelta(days=n), clock), basis)
            for kind, n in FIRST_REQUEST_REMINDER_DAYS
        ]
    due_on = second_request_due_on(dates.first_request_on, clock.cal)
    reminder_on = clock.cal.add_business_days(due_on, SECOND_REQUEST_REMINDER_AFTER_BUSINESS_DAYS)
    basis = dates.first_request_on.isoformat()
    return [
        Milestone(SECOND_REQUEST_DUE, day_notice(due_on, clock), basis),
        Milestone(SECOND_REQUEST_REMINDER, day_notice(reminder_on, clock), basis),
    ]


@dataclass(frozen=True)
class DuePlan:
    """What the sweep does with one request at `now`."""

    send: Milestone | None
    superseded: list[Milestone] = field(default_factory=list)
    next_due_at: dt.datetime | None = None


def plan_due(
    found: Iterable[Milestone],
    *,
    existing: Iterable[tuple[str, str]],
    now: dt.datetime,
    clock: AgencyClock,
) -> DuePlan:
    """Split a request's milestones into what to send now, what to skip and what comes next.

    `existing` holds the (kind, basis) of the notices that have a row still counting
    (any status but cancelled): those are done. Of the milestones due at `now` without
    such a row only the most recent is sent; when several are due at once (a first-request
    date entered 20 business days late, a ticket closed after the deadlines passed) the
    others are recorded as superseded and never sent later: one e-mail about the current
    step beats a burst of stale ones. A reminder is never that one e-mail when the notice
    it repeats is due with it: the original goes instead, so no e-mail refers to one that
    never went out. Outside working hours nothing is sent: what is due (a date entered
    late on a Saturday night) waits for the next notify time. `next_due_at` is the
    earliest moment the sweep has something to do for this request.
    """
    done = set(existing)
    todo = sorted((m for m in found if (m.kind, m.basis) not in done), key=lambda m: m.due_at)
    due = [m for m in todo if m.due_at <= now]
    later = [m for m in todo if m.due_at > now]
    opens_at = notice_moment(now, clock)
    if due and opens_at > now:
        return DuePlan(send=None, next_due_at=min([opens_at, *(m.due_at for m in later)]))
    send = due[-1] if due else None
    if send is not None:
        original = REMINDER_OF.get(send.kind)
        send = next((m for m in due if m.kind == original and m.basis == send.basis), send)
    return DuePlan(
        send=send,
        superseded=[m for m in due if m is not send],
        next_due_at=later[0].due_at if later else None,
    )
