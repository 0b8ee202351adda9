"""The tracker's timeline: a pure function from a request's dates to its milestones.

Rules (shared/domain.md, "The tracker's timeline"): every notice goes out at the agency's
notify time, local, on a business day of the agency's calendar; a received date ends
everything. No database access here: the sweep, the delivery and the vault's schedule
columns all call the same functions, so they can never disagree.
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

FIRST_REQUEST_REMINDER_BUSINESS_DAYS = ((DAY2, 2), (DAY5, 5))
SECOND_REQUEST_AFTER_BUSINESS_DAYS = 10
SECOND_REQUEST_REMINDER_AFTER_BUSINESS_DAYS = 2


@dataclass(frozen=True)
class Milestone:
    kind: str
    due_at: dt.datetime  # aware, UTC


@dataclass(frozen=True)
class RequestDates:
    created_at: dt.datetime
    first_request_on: dt.date | None
    second_request_at: dt.datetime | None
    received_on: dt.date | None


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


def helpdesk_due_at(
    second_request_at: dt.datetime, cal: BusinessCalendar, tz: ZoneInfo
) -> dt.datetime:
    """24 hours counted over business days only: the same local time on the next business day.

    A second request sent on Friday 15:00 is due at the Help Desk on Monday 15:00; one
    sent the day before a holiday, on the day after it. A second request recorded on a
    weekend or holiday counts from that day (Saturday 10:00 -> Monday 10:00).
    """
    if second_request_at.tzinfo is None:
        raise ValueError("second_request_at must be aware.")
    local = second_request_at.astimezone(tz)
    return local_at(cal.add_business_days(local.date(), 1), local.time(), tz)


def second_request_due_on(first_request_on: dt.date, cal: BusinessCalendar) -> dt.date:
    return cal.add_business_days(first_request_on, SECOND_REQUEST_AFTER_BUSINESS_DAYS)


def milestones(
    dates: RequestDates, *, cal: BusinessCalendar, tz: ZoneInfo, notify_time: dt.time
) -> list[Milestone]:
    """Every milestone the request's current dates call for, in time order.

    - received: nothing at all;
    - no first-request date (and no second request): reminders at the notify time on the
      2nd and 5th business day after the (local) creation date;
    - first request, no second: `second_request_due` on the 10th business day after the
      first-request date, and `second_request_reminder` 2 business days after that;
    - second request recorded: only `helpdesk_due`, 24 business hours after it (the
      second-request notices no longer apply: the agent has already acted).

    Corrections are just new dates: the caller recomputes and compares with the notices
    that already exist, so a notice already sent is never sent again.
    """
    if dates.created_at.tzinfo is None:
        raise ValueError("created_at must be aware.")
    if dates.received_on is not None:
        return []
    if dates.second_request_at is not None:
        return [Milestone(HELPDESK_DUE, helpdesk_due_at(dates.second_request_at, cal, tz))]
    if dates.first_request_on is None:
        created_local = dates.created_at.astimezone(tz).date()
        return [
            Milestone(kind, local_at(cal.add_business_days(created_local, n), notify_time, tz))
            for kind, n in FIRST_REQUEST_REMINDER_BUSINESS_DAYS
        ]
    due = second_request_due_on(dates.first_request_on, cal)
    reminder = cal.add_business_days(due, SECOND_REQUEST_REMINDER_AFTER_BUSINESS_DAYS)
    return [
        Milestone(SECOND_REQUEST_DUE, local_at(due, notify_time, tz)),
        Milestone(SECOND_REQUEST_REMINDER, local_at(reminder, notify_time, tz)),
    ]


@dataclass(frozen=True)
class DuePlan:
    """What the sweep does with one request at `now`."""

    send: Milestone | None
    superseded: list[Milestone] = field(default_factory=list)
    next_due_at: dt.datetime | None = None


def plan_due(found: Iterable[Milestone], *, existing: Iterable[str], now: dt.datetime) -> DuePlan:
    """Split a request's milestones into what to send now, what to skip and what comes next.

    Milestones that already have a notice row (`existing`, any status) are done. Of the
    milestones due at `now` without a row, only the most recent is sent; when several are
    overdue at once (a first-request date entered 20 business days late, a sweep that did
    not run for a week) the older ones are recorded as cancelled, "superseded", and never
    sent later: one e-mail about the current step beats a burst of stale ones.
    `next_due_at` is the earliest milestone still to come (None when nothing is left).
    """
    done = set(existing)
    todo = sorted((m for m in found if m.kind not in done), key=lambda m: m.due_at)
    due = [m for m in todo if m.due_at <= now]
    later = [m for m in todo if m.due_at > now]
    return DuePlan(
        send=due[-1] if due else None,
        superseded=due[:-1],
        next_due_at=later[0].due_at if later else None,
    )
