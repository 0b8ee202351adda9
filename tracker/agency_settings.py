"""Agency settings that move deadlines, orchestrated above accounts: accounts stores the
settings and closed days, the tracker then re-times every open request, in one transaction.

accounts imports no other app; this module is why it does not need to.
"""

from __future__ import annotations

import datetime as dt

from django.db import transaction

from accounts import services as accounts_services
from accounts.models import Agency, AgencyClosedDay
from tracker import schedule as tracker_schedule
from vault.derived import agency_requests_refresh

# The agency settings the timeline reads (besides closed days): a change re-times requests.
SCHEDULE_INPUT_FIELDS = (
    "state",
    "time_zone",
    "holiday_calendar",
    "notify_time",
    "work_opens",
    "work_closes",
)


def moves_deadlines(changed: list[str]) -> bool:
    """Whether a settings change touches what the timeline reads."""
    return bool(set(changed) & set(SCHEDULE_INPUT_FIELDS))


def _requests_refresh(agency: Agency) -> None:
    """Every open request follows the agency's calendar: tracker deadlines and notices, and
    the statutory due dates (a business-day rule counts on the same calendar)."""
    agency_requests_refresh(agency=agency)
    tracker_schedule.agency_schedule_refresh(agency=agency)


@transaction.atomic
def agency_settings_save(*, agency: Agency, **values: object) -> list[str]:
    """Store the settings; re-time every open request when a schedule input changed.

    Returns the names of the fields that changed. Raises ValidationError by field.
    """
    changed = accounts_services.agency_settings_update(agency=agency, **values)
    accounts_services.agency_calendar_confirm(agency=agency)
    if moves_deadlines(changed):
        _requests_refresh(agency)
    return changed


@transaction.atomic
def agency_closed_day_add(*, agency: Agency, date: dt.date, reason: str = "") -> AgencyClosedDay:
    """A new closed day, and every open request re-timed around it."""
    day = accounts_services.closed_day_add(agency=agency, date=date, reason=reason)
    _requests_refresh(agency)
    return day


@transaction.atomic
def agency_closed_day_remove(*, agency: Agency, closed_day: AgencyClosedDay) -> None:
    """The day is a business day again; every open request re-timed."""
    accounts_services.closed_day_remove(agency=agency, closed_day=closed_day)
    _requests_refresh(agency)
