"""Reads of the Today page: what needs the agency's action, the Help Desk's questions and
the first-run checklist. Every selector takes the agency (and optionally one owner)."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from django.urls import reverse

from accounts.models import Agency, Invitation, User
from accounts.tenancy import scoped
from vault.helpdesk_port import OpenTicket, tickets_waiting_on_agency
from vault.models import LossRunRequest
from vault.rows import RequestRow, request_rows, with_row_fields
from vault.status import Status, status_q

# Rows a section shows, most overdue first; "See all N" opens the vault on that status.
# Ten is a glance on a phone, and keeps the page's cost flat however much is due.
TODAY_LIMIT = 10


@dataclass
class TodaySection:
    status: str
    title: str
    rows: list[RequestRow]
    total: int
    hint: str = ""


# What Today lists, in this order: each status with its title and the order of its rows
# (most overdue first). "With the Help Desk" comes last: nothing to do unless asked.
TODAY_PLAN = [
    (Status.SIGNED, "Signed: send the 1st request", ["first_request_due_at", "created_at", "id"]),
    (Status.SECOND_DUE, "2nd requests due", ["second_request_due_at", "id"]),
    (Status.HELP_DESK, "Due for the Help Desk", ["helpdesk_due_at", "id"]),
    (
        Status.DRAFT,
        "Drafts: get the authorization signed",
        ["first_request_due_at", "created_at", "id"],
    ),
    (
        Status.AWAITING_SIGNATURE,
        "Awaiting the insured's signature",
        ["first_request_due_at", "created_at", "id"],
    ),
    (Status.WITH_HELP_DESK, "With the Help Desk", ["-updated_at", "id"]),
]
HINTS = {
    Status.WITH_HELP_DESK: "Staff work these tickets; you hear of every step by e-mail.",
}


def today_sections(
    *, agency: Agency, now: dt.datetime, counts: dict[str, int], owner: User | None = None
) -> list[TodaySection]:
    """What needs action today: each actionable status, most overdue first (one query per
    section with requests, one more for the open tickets of the Help Desk section)."""
    base = with_row_fields(scoped(LossRunRequest, agency))
    if owner is not None:
        base = base.filter(owner=owner)
    sections = []
    for status, title, order in TODAY_PLAN:
        if not counts[status]:
            continue
        reqs = list(base.filter(status_q(status, now)).order_by(*order)[:TODAY_LIMIT])
        sections.append(
            TodaySection(
                status=status,
                title=title,
                rows=request_rows(reqs, now, agency=agency),
                total=counts[status],
                hint=HINTS.get(status, ""),
            )
        )
    return sections


@dataclass
class HelpdeskQuestion:
    """A ticket on which staff wait for the agency, with its request."""

    ticket: OpenTicket
    req: LossRunRequest


def helpdesk_questions(
    *, agency: Agency, owner: User | None = None, limit: int = TODAY_LIMIT
) -> tuple[list[HelpdeskQuestion], int]:
    """ "The Help Desk needs you": tickets waiting on the agency, longest waiting first."""
    tickets, total = tickets_waiting_on_agency(agency=agency, limit=limit)
    if not tickets:
        return [], 0
    requests = with_row_fields(scoped(LossRunRequest, agency))
    if owner is not None:
        requests = requests.filter(owner=owner)
    by_id = {r.pk: r for r in requests.filter(pk__in=[t.request_id for t in tickets])}
    found = [HelpdeskQuestion(t, by_id[t.request_id]) for t in tickets if t.request_id in by_id]
    return found, (total if owner is None else len(found))


@dataclass(frozen=True)
class ChecklistStep:
    title: str
    detail: str
    action: str
    url: str
    done: bool


def first_run_checklist(*, agency: Agency, has_request: bool | None = None) -> list[ChecklistStep]:
    """A new agency's first steps; empty once every step is done (the page then hides it).

    One or two small queries (another member, an open invitation), one more for "any
    request" unless the caller knows (Today's status counts of everyone's requests).
    """
    if has_request is None:
        has_request = scoped(LossRunRequest, agency).exists()
    letterhead = bool(agency.address.strip() and agency.phone.strip())
    team = (
        scoped(User, agency).filter(is_active=True).count() > 1
        or scoped(Invitation, agency)
        .filter(accepted_at__isnull=True, revoked_at__isnull=True)
        .exists()
    )
    settings_url = reverse("accounts:settings")
    steps = [
        ChecklistStep(
            "Your letterhead",
            "Add your agency's address and phone: every letter prints them.",
            "Add address and phone",
            settings_url,
            letterhead,
        ),
        ChecklistStep(
            "Your team",
            "Invite the colleagues who request loss runs with you.",
            "Invite a colleague",
            reverse("accounts:team"),
            team,
        ),
        ChecklistStep(
            "Your first request",
            "Build a loss-run request: insured, carrier and policy terms.",
            "Create a request",
            reverse("vault:request_create"),
            has_request,
        ),
        ChecklistStep(
            "Your calendar",
            "Check your time zone, holidays and working hours: every deadline counts on them.",
            "Check the calendar",
            settings_url,
            agency.calendar_confirmed_at is not None,
        ),
    ]
    return [] if all(s.done for s in steps) else steps
