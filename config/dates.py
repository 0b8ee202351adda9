"""Dates as the product shows them, from Python (templates use the `date` filter).

The formats are the settings' (config/formats/en): "Dec 1, 2026" and "Dec 1, 2026,
3:21 PM". A datetime is shown on the clock it is given (or the current time zone).
"""

from __future__ import annotations

import datetime as dt

from django.utils import timezone
from django.utils.formats import date_format


def human_date(value: dt.date | None) -> str:
    """Dec 1, 2026 (empty for no date)."""
    return date_format(value, "DATE_FORMAT") if value else ""


def human_datetime(value: dt.datetime | None, tz: dt.tzinfo | None = None) -> str:
    """Dec 1, 2026, 3:21 PM on `tz` (default: the current time zone); empty for none."""
    if not value:
        return ""
    local = value.astimezone(tz or timezone.get_current_timezone())
    return date_format(local, "DATETIME_FORMAT")
