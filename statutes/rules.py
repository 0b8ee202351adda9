"""The statutory due date of a request: one pure function of a state rule and the dates.

No database access here. Business days come from the agency's calendar, passed in by the
caller (anything with `add_business_days`, e.g. tracker.calendar.BusinessCalendar), so this
module needs nothing from the tracker.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from typing import TYPE_CHECKING, Protocol

from accounts.models import US_STATES
from config.dates import human_date

if TYPE_CHECKING:
    from statutes.models import StateRule


class Calendar(Protocol):
    def add_business_days(self, d: dt.date, n: int) -> dt.date: ...

    def business_days_between(self, a: dt.date, b: dt.date) -> int: ...


class Kind:
    NO_STATE = "no_state"
    NO_STATUTE = "no_statute"
    NOT_APPLICABLE = "not_applicable"
    NOT_STARTED = "not_started"
    DUE = "due"


NO_STATUTE_TEXT = "No statute on file"
STATE_NAMES = dict(US_STATES)


@dataclass(frozen=True)
class StatutoryDeadline:
    """What the page says about the statutory deadline; `due_on` only when one runs."""

    kind: str
    sentence: str
    due_on: dt.date | None = None
    rule: StateRule | None = None

    @property
    def uncertain(self) -> bool:
        return self.rule is not None and self.rule.is_uncertain


def _window(rule: StateRule) -> str:
    unit = "business day" if rule.day_count == rule.DayCount.BUSINESS else "day"
    return f"{rule.window_days} {unit}{'s' if rule.window_days != 1 else ''}"


def due_date(rule: StateRule, first_request_on: dt.date, cal: Calendar) -> dt.date:
    """The last day the carrier has: the window counted from the day after the 1st request."""
    if rule.day_count == rule.DayCount.BUSINESS:
        return cal.add_business_days(first_request_on, rule.window_days)
    return first_request_on + dt.timedelta(days=rule.window_days)


def statutory_deadline(
    *,
    state: str,
    rule: StateRule | None,
    first_request_on: dt.date | None,
    condition_met: bool,
    cal: Calendar,
) -> StatutoryDeadline:
    """The deadline for one request under its governing state's rule (or why there is none).

    A conditional rule (California: only on cancellation, nonrenewal, ...) runs only when the
    agency has said one of its situations applies to the request (`condition_met`).
    """
    state_name = STATE_NAMES.get(state, state)
    if not state:
        return StatutoryDeadline(
            Kind.NO_STATE, "No governing state: choose the state whose law applies."
        )
    if rule is None:
        return StatutoryDeadline(Kind.NO_STATUTE, f"{NO_STATUTE_TEXT} for {state_name}.")
    if rule.trigger == rule.Trigger.CONDITIONAL and not condition_met:
        return StatutoryDeadline(
            Kind.NOT_APPLICABLE,
            f"{state_name}'s rule ({rule.citation}) applies only when: {rule.trigger_text}. "
            "It does not apply to this request, so there is no statutory due date.",
            rule=rule,
        )
    if first_request_on is None:
        return StatutoryDeadline(
            Kind.NOT_STARTED,
            f"{_window(rule)} under {rule.citation}, counted from the 1st request (not sent yet).",
            rule=rule,
        )
    due = due_date(rule, first_request_on, cal)
    return StatutoryDeadline(
        Kind.DUE,
        f"Due by {human_date(due)}: {_window(rule)} after the 1st request of "
        f"{human_date(first_request_on)} under {rule.citation}.",
        due_on=due,
        rule=rule,
    )
