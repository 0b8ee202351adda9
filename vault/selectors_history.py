"""Reads of a request's change history (django-simple-history), for its edit page."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from accounts.models import Agency
from config.dates import human_date, human_datetime
from vault.models import Authorization, LossRunRequest


@dataclass(frozen=True)
class HistoryChange:
    label: str
    old: str
    new: str


def _shown(value: object, tz: dt.tzinfo) -> str:
    if value is None or value == "":
        return "—"
    if isinstance(value, dt.datetime):
        return human_datetime(value, tz)
    if isinstance(value, dt.date):
        return human_date(value)
    return str(value)


@dataclass(frozen=True)
class HistoryEntry:
    at: dt.datetime
    who: str
    action: str
    changes: list[HistoryChange]

    @property
    def at_text(self) -> str:
        return human_datetime(self.at, self.at.tzinfo)


def _shown_field(record: object, name: str, tz: dt.tzinfo) -> str:
    if name == "authorization":
        return str(Authorization(record.authorization).label)  # type: ignore[attr-defined]
    return _shown(getattr(record, name), tz)


AUDITED_FIELDS = {
    "authorization": "Authorization",
    "first_request_on": "1st Request",
    "second_request_at": "2nd Request",
    "received_on": "Received",
    "years_requested": "Years requested",
    "recipient_email": "Send the loss runs to",
    "notes": "Notes",
    "governing_state": "Governing state",
}


def request_history(*, agency: Agency, request: LossRunRequest) -> list[HistoryEntry]:
    """Who changed the request's tracking dates (and other audited fields) and when, newest first.

    Built from django-simple-history's rows for this request: each row is compared with the
    one before it, and only rows that created the request or changed an audited field appear.
    """
    if request.agency_id != agency.pk:
        raise ValueError("The request belongs to another agency.")
    records = list(
        request.history.select_related("history_user").order_by("history_date", "history_id")
    )
    tz = agency.tz
    entries: list[HistoryEntry] = []
    previous = None
    for record in records:
        who = record.history_user.get_full_name() if record.history_user else "The system"
        if previous is None:
            entries.append(
                HistoryEntry(record.history_date.astimezone(tz), who, "Created the request", [])
            )
        else:
            changes = [
                HistoryChange(
                    label, _shown_field(previous, name, tz), _shown_field(record, name, tz)
                )
                for name, label in AUDITED_FIELDS.items()
                if getattr(previous, name) != getattr(record, name)
            ]
            # A send or a signature step records why (history_change_reason), even when it
            # changed no audited field (a 1st request e-mailed again).
            reason = record.history_change_reason or ""
            if changes or reason:
                entries.append(
                    HistoryEntry(
                        record.history_date.astimezone(tz), who, reason or "Changed", changes
                    )
                )
        previous = record
    entries.reverse()
    return entries
