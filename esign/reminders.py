"""When the signer is reminded: the 2nd and 5th business day after the link was sent, at
the agency's notify time. Pure: the calendar and the clock are passed in."""

from __future__ import annotations

import datetime as dt
import zoneinfo

from tracker.calendar import BusinessCalendar

REMINDER_BUSINESS_DAYS = (2, 5)


def reminder_times(
    *,
    sent_at: dt.datetime,
    calendar: BusinessCalendar,
    tz: zoneinfo.ZoneInfo,
    notify_time: dt.time,
    days: tuple[int, ...] = REMINDER_BUSINESS_DAYS,
) -> list[dt.datetime]:
    """The reminders' moments, aware, in order."""
    if sent_at.tzinfo is None:
        raise ValueError("sent_at must be aware.")
    sent_day = sent_at.astimezone(tz).date()
    return [
        dt.datetime.combine(calendar.add_business_days(sent_day, n), notify_time, tzinfo=tz)
        for n in days
    ]


def next_reminder_at(
    *,
    sent_at: dt.datetime,
    reminders_sent: int,
    expires_at: dt.datetime,
    calendar: BusinessCalendar,
    tz: zoneinfo.ZoneInfo,
    notify_time: dt.time,
) -> dt.datetime | None:
    """The next reminder still due before the link expires, or None."""
    times = reminder_times(sent_at=sent_at, calendar=calendar, tz=tz, notify_time=notify_time)
    if reminders_sent >= len(times):
        return None
    at = times[reminders_sent]
    return at if at < expires_at else None
