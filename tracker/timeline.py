"""The tracker's timeline: a pure function from a request's dates to its milestones.

Rules (shared/domain.md, "The tracker's timeline"): all notify-times are the agency's
notify time, local, on a business day of the agency's calendar; a received date ends
everything.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from zoneinfo import ZoneInfo

from tracker.calendar import BusinessCalendar

DAY2 = "first_request_reminder_day2"
DAY5 = "first_request_reminder_day5"
SECOND_REQUEST_DUE = "second_request_due"
SECOND_REQUEST_REMINDER = "second_request_reminder"
HELPDESK_DUE = "helpdesk_due"

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
    """`day` at local time `at` in `tz`, as aware UTC. Wall times in a DST gap move forward."""
    naive = dt.datetime.combine(day, at)
    aware = naive.replace(tzinfo=tz)
    roundtrip = aware.astimezone(dt.UTC).astimezone(tz)
    if roundtrip.replace(tzinfo=None) != naive:  # nonexistent (spring-forward) wall time
        aware = naive.replace(tzinfo=tz, fold=1)
    return aware.astimezone(dt.UTC)


def helpdesk_due_at(second_request_at: dt.datetime, cal: BusinessCalendar, tz: ZoneInfo) -> dt.datetime:
    """24 hours counted over business days only: the same local time on the next business day."""
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

    - no first-request date: reminders on the 2nd and 5th business day after creation;
    - first request, no second: second_request_due on the 10th business day after it, and
      second_request_reminder 2 business days later;
    - second request recorded: helpdesk_due 24 business hours after it (the second-request
      notices no longer apply: the agent has already acted);
    - received: nothing at all.
    """
    if dates.created_at.tzinfo is None:
        raise ValueError("created_at must be aware.")
    if dates.received_on is not None:
        return []
    out: list[Milestone] = []
    if dates.first_request_on is None:
        created_local = dates.created_at.astimezone(tz).date()
        for kind, n in ((DAY2, 2), (DAY5, 5)):
            out.append(Milestone(kind, local_at(cal.add_business_days(created_local, n), notify_time, tz)))
        if dates.second_request_at is None:
            return out
    if dates.second_request_at is not None:
        out.append(Milestone(HELPDESK_DUE, helpdesk_due_at(dates.second_request_at, cal, tz)))
        return [m for m in out if m.kind == HELPDESK_DUE]
    due = second_request_due_on(dates.first_request_on, cal)
    out.append(Milestone(SECOND_REQUEST_DUE, local_at(due, notify_time, tz)))
    reminder = cal.add_business_days(due, SECOND_REQUEST_REMINDER_AFTER_BUSINESS_DAYS)
    out.append(Milestone(SECOND_REQUEST_REMINDER, local_at(reminder, notify_time, tz)))
    return out
