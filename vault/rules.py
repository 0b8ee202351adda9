"""The request's domain rules, in one place: the form and the services both call these.

Each function returns `{field_name: [message, ...]}` (empty when valid) so a form can
attach every message to its field and a service can raise one ValidationError.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence
from dataclasses import dataclass
from typing import TYPE_CHECKING, TypeVar

from django.db.models import F, Q
from django.utils import timezone

from accounts.models import Agency
from config.dates import human_date

if TYPE_CHECKING:  # vault.models imports this module
    from accounts.models import User
    from vault.models import Carrier, Insured, LossRunRequest

Errors = dict[str, list[str]]


@dataclass(frozen=True)
class PolicyData:
    """One policy of a request, as the builder (or the bulk import) hands it to the services."""

    policy_number: str
    term_start: dt.date
    term_end: dt.date
    line_of_business: str = "GL"
    id: int | None = None


def agency_today(agency: Agency, now: dt.datetime | None = None) -> dt.date:
    """Today's date on the agency's wall clock."""
    return (now or timezone.now()).astimezone(agency.tz).date()


def _add(errors: Errors, field: str, message: str) -> None:
    errors.setdefault(field, []).append(message)


TERM_ORDER_MESSAGE = "The term must end after it starts."
# The same rule as a row constraint, on every model with a term (vault Policy, claims ReportTerm).
TERM_ENDS_AFTER_START = Q(term_end__gt=F("term_start"))


def term_ends_after_start(term_start: dt.date, term_end: dt.date) -> bool:
    """A policy term ends after it starts (a one-day term ends the day after)."""
    return term_end > term_start


def policy_term_errors(term_start: dt.date | None, term_end: dt.date | None) -> Errors:
    """`term_ends_after_start` as field errors; a missing date is the form's to report."""
    errors: Errors = {}
    if term_start and term_end and not term_ends_after_start(term_start, term_end):
        _add(errors, "term_end", TERM_ORDER_MESSAGE)
    return errors


def policies_errors(policies: list[PolicyData]) -> Errors:
    """At least one policy number, and every term ends after it starts."""
    errors: Errors = {}
    if not any(p.policy_number.strip() for p in policies):
        _add(errors, "policies", "Add at least one policy number.")
    for p in policies:
        if not p.policy_number.strip():
            _add(errors, "policies", "Every policy needs a policy number.")
        for message in policy_term_errors(p.term_start, p.term_end).get("term_end", []):
            _add(errors, "policies", f"{p.policy_number or 'A policy'}: {message}")
    return errors


# A tracking date this long before the request was created is a typo (most often the
# year): loss runs requested that long ago would be stale anyway (valued within 90 days).
EARLIEST_BEFORE_CREATION = dt.timedelta(days=90)


def _too_early(errors: Errors, field: str, label: str, day: dt.date, created_on: dt.date) -> None:
    if day >= created_on - EARLIEST_BEFORE_CREATION:
        return
    _add(
        errors,
        field,
        f"{label} ({human_date(day)}) is more than 90 days before this request was created "
        f"({human_date(created_on)}). Check the year.",
    )


def tracking_dates_errors(
    *,
    agency: Agency,
    first_request_on: dt.date | None,
    second_request_at: dt.datetime | None,
    received_on: dt.date | None,
    created_at: dt.datetime | None = None,
    now: dt.datetime | None = None,
) -> Errors:
    """No date in the future (agency time zone) nor more than 90 days before the request
    was created (`created_at`, default now: a new request); the 2nd request needs a 1st
    one and is not before it; received is not before the 1st request when there is one."""
    now = now or timezone.now()
    today = agency_today(agency, now)
    created_on = agency_today(agency, created_at or now)
    errors: Errors = {}
    if first_request_on and first_request_on > today:
        _add(errors, "first_request_on", "The 1st request date cannot be in the future.")
    if first_request_on:
        _too_early(errors, "first_request_on", "The 1st request date", first_request_on, created_on)
    # The order checks only compare with a 1st request date that is itself valid.
    first_ok = None if "first_request_on" in errors else first_request_on
    if received_on and received_on > today:
        _add(errors, "received_on", "The received date cannot be in the future.")
    if received_on:
        _too_early(errors, "received_on", "The received date", received_on, created_on)
    if second_request_at:
        if second_request_at.tzinfo is None:
            raise ValueError("second_request_at must be aware.")
        if second_request_at > now:
            _add(errors, "second_request_at", "The 2nd request cannot be in the future.")
        if first_request_on is None:
            _add(
                errors,
                "second_request_at",
                "Enter the 1st request date first: a 2nd request follows a 1st one.",
            )
        elif first_ok and second_request_at.astimezone(agency.tz).date() < first_ok:
            _add(errors, "second_request_at", "The 2nd request cannot be before the 1st request.")
    if received_on and first_ok and received_on < first_ok:
        _add(errors, "received_on", "The received date cannot be before the 1st request.")
    return errors


def duplicate_open_request_errors(
    *,
    agency: Agency,
    insured: Insured | None,
    carrier: Carrier | None,
    existing: Sequence[LossRunRequest],
) -> Errors:
    """A second open request for the same insured and carrier needs a confirmation.

    Usually the first one is still waiting and a duplicate would double the notices and
    the carrier's work; sometimes it is meant (other policies or terms). `existing`: the
    agency's open requests for them, newest first (vault.selectors.open_requests_for; the
    rules module stays free of queries because the models import it).
    """
    if insured is None or carrier is None:
        return {}
    if not existing:
        return {}
    first = existing[0]
    created = first.created_at.astimezone(agency.tz)
    return {
        "confirm_duplicate": [
            f"{insured} already has an open request to {carrier} (created "
            f"{human_date(created.date())}, no loss runs received yet). Tick the box to create "
            "another one anyway."
        ]
    }


# Ownership ------------------------------------------------------------------------------

OWNER_MESSAGE = "Choose an active member of your agency."


def owner_errors(*, agency: Agency, owner: User) -> Errors:
    """A request's owner is an active member of the request's agency."""
    if owner.agency_id != agency.pk or not owner.is_active:
        return {"owner": [OWNER_MESSAGE]}
    return {}


_Agent = TypeVar("_Agent")


def agent_of(owner: _Agent | None, creator: _Agent | None) -> _Agent | None:
    """Who works a request: its owner, else its creator (users, or their names in an export)."""
    return owner or creator


def request_agent(request: LossRunRequest) -> User | None:
    """The agent of a request: whoever owns it, else whoever created it.

    The one answer to "who works this request" for e-mails (the Help Desk's, the digest)
    and pages; a request created by a script or a removed account may have neither.
    """
    return agent_of(request.owner, request.created_by)


# Years of loss history -----------------------------------------------------------------

Term = tuple[dt.date, dt.date]
DAYS_PER_YEAR = 365.25


def years_covered(terms: Sequence[Term]) -> int:
    """Whole years the policy terms span, from the earliest start to the latest end.

    Rounded to the nearest year (a 12-month term is 1, five annual terms are 5, a short
    term still 1). The Request Builder's default for "years of loss history" when the agent
    leaves it blank, so a one-policy request no longer asks for 5 years by default.
    """
    if not terms:
        return 1
    start = min(s for s, _ in terms)
    end = max(e for _, e in terms)
    return max(1, int((end - start).days / DAYS_PER_YEAR + 0.5))


def _years(n: int) -> str:
    return f"{n} year{'' if n == 1 else 's'}"


def years_mismatch_message(years_requested: int, terms: Sequence[Term]) -> str | None:
    """The Builder's warning when the years requested differ from the years the terms
    cover (None when they agree); the letter says the same with `years_requested_text`."""
    covered = years_covered(terms)
    if not terms or years_requested == covered:
        return None
    if years_requested > covered:
        return (
            f"{_years(years_requested)} of history requested, but the terms listed cover "
            f"{_years(covered)}. The letters ask the carrier for the "
            f"{_years(years_requested - covered)} before them too; add those terms if you "
            f"know them, or set the years to {covered}."
        )
    return (
        f"The terms listed cover {_years(covered)}, but only {_years(years_requested)} "
        "requested: the carrier may send only the latest ones."
    )


def years_requested_text(years_requested: int, terms: Sequence[Term]) -> str:
    """What the letters print for the years requested, never contradicting the terms they
    list: "1 year", or "5 years (the terms listed and the 4 years before them)"."""
    covered = years_covered(terms)
    if terms and years_requested > covered:
        return (
            f"{_years(years_requested)} (the terms listed and the "
            f"{_years(years_requested - covered)} before them)"
        )
    return _years(years_requested)


def request_terms(request: LossRunRequest) -> list[Term]:
    """The policy terms of a request (from its prefetched policies when prefetched)."""
    return [(p.term_start, p.term_end) for p in request.policies.all()]


def request_years_text(request: LossRunRequest) -> str:
    """The years a request asks for, as every letter, e-mail and page prints them (see
    years_requested_text): the one wording of "years requested" across the product."""
    return years_requested_text(request.years_requested, request_terms(request))
