"""The weekly digest: each agent's Monday e-mail of what is overdue, due this week, arrived.

When: at the agency's notify time on the first business day of its week (Monday, or the
next business day when Monday is closed), inside working hours; a beat task asks every
quarter of an hour (`digests_send`). A day the beat missed is caught up on the next
business day of the same week, never in the next week.

Once: a WeeklyDigest row per (agent, week) under a unique constraint, created in the same
transaction as its outbox e-mail, so two beats, a retried task or a restart never send an
agent two digests for one week. Agents who turned the digest off (User.weekly_digest: on
the Team page, or with the e-mail's one-click unsubscribe link, tracker.unsubscribe) get
none; an agent with nothing to report gets a row (the week is done) and no e-mail.

What: the agent's own requests (vault.rules.request_agent: the owner), read as the pages
read them (vault.rows), so "overdue" here means what Today shows as overdue.
"""

from __future__ import annotations

import datetime as dt
import logging
from dataclasses import dataclass, field

from django.db import IntegrityError, transaction
from django.db.models import Q
from django.urls import reverse
from django.utils import timezone

from accounts.models import Agency, User
from accounts.tenancy import scoped
from outbox.services import email_queue
from tracker.calendar import BusinessCalendar, calendar_for_agency, closed_days_by_agency
from tracker.emails import absolute_url
from tracker.models import WeeklyDigest
from tracker.schedule import agency_clock
from tracker.timeline import AgencyClock, local_at
from tracker.unsubscribe import unsubscribe_headers, unsubscribe_url
from vault.models import LossRunRequest
from vault.rows import ROW_RELATED, RequestRow, request_rows

logger = logging.getLogger(__name__)

SECTION_LIMIT = 25  # rows per section in the e-mail; the count says how many in all
ARRIVED_DAYS = 7


def week_of(day: dt.date) -> dt.date:
    """The Monday of `day`'s week: the digest's key."""
    return day - dt.timedelta(days=day.weekday())


def first_business_day_of_week(monday: dt.date, cal: BusinessCalendar) -> dt.date | None:
    """Monday, or the first business day after it in the same week (None: all closed)."""
    day = cal.next_business_day_on_or_after(monday)
    return day if day < monday + dt.timedelta(days=7) else None


def digest_week_due(now: dt.datetime, clock: AgencyClock) -> dt.date | None:
    """The week whose digest may go out at `now`, or None.

    Pure: on a business day of the week, on or after its first business day, from the
    notify time until working hours close (agency clock).
    """
    local = now.astimezone(clock.tz)
    today = local.date()
    monday = week_of(today)
    first = first_business_day_of_week(monday, clock.cal)
    if first is None or today < first or not clock.cal.is_business_day(today):
        return None
    if (
        not local_at(today, clock.notify_time, clock.tz)
        <= now
        < local_at(today, clock.closes, clock.tz)
    ):
        return None
    return monday


@dataclass
class DigestSection:
    kind: str  # "overdue", "due" or "arrived"
    title: str
    rows: list[RequestRow]
    total: int


@dataclass
class Digest:
    agent: User
    week_of: dt.date
    overdue: DigestSection
    due_this_week: DigestSection
    arrived: DigestSection

    @property
    def sections(self) -> list[DigestSection]:
        return [self.overdue, self.due_this_week, self.arrived]

    @property
    def empty(self) -> bool:
        return not (self.overdue.total or self.due_this_week.total or self.arrived.total)


def _section(kind: str, title: str, rows: list[RequestRow]) -> DigestSection:
    return DigestSection(kind, title, rows[:SECTION_LIMIT], len(rows))


def digest_for(*, agency: Agency, agent: User, now: dt.datetime, monday: dt.date) -> Digest:
    """One agent's digest at `now` (three queries, plus one when a request is with the
    Help Desk): open requests with a due date before the week ends, and this week's arrivals."""
    tz = agency.tz
    week_end = local_at(monday + dt.timedelta(days=7), dt.time(0, 0), tz)
    mine = scoped(LossRunRequest, agency).filter(owner=agent).select_related(*ROW_RELATED)
    due_before = (
        Q(first_request_due_at__lt=week_end, first_request_on__isnull=True)
        | Q(second_request_due_at__lt=week_end)
        | Q(helpdesk_due_at__lt=week_end)
    )
    open_rows = request_rows(
        list(
            mine.filter(due_before, received_on__isnull=True, helpdesk_open=False).order_by(
                "next_due_at", "created_at", "id"
            )[:500]
        ),
        now,
        agency=agency,
        tz=tz,
    )
    open_rows = [r for r in open_rows if r.action_due_at is not None]
    open_rows.sort(key=lambda r: (r.action_due_at, r.req.pk))
    since = now.astimezone(tz).date() - dt.timedelta(days=ARRIVED_DAYS)
    arrived = request_rows(
        list(mine.filter(received_on__gte=since).order_by("-received_on", "-id")[:200]),
        now,
        agency=agency,
        tz=tz,
    )
    return Digest(
        agent=agent,
        week_of=monday,
        overdue=_section("overdue", "Overdue", [r for r in open_rows if r.overdue]),
        due_this_week=_section(
            "due",
            "Due this week",
            [r for r in open_rows if not r.overdue and r.action_due_at < week_end],
        ),
        arrived=_section("arrived", f"Arrived in the last {ARRIVED_DAYS} days", arrived),
    )


def _queue(digest: Digest, agency: Agency, row: WeeklyDigest) -> None:
    context = {
        "agency": agency,
        "digest": digest,
        "agent": digest.agent,
        "site_url": absolute_url(""),
        "today_url": absolute_url("/"),
        "vault_url": absolute_url("/vault/"),
        "preferences_url": absolute_url(reverse("accounts:team") + "#digest"),
        "unsubscribe_url": unsubscribe_url(row),
    }
    with timezone.override(agency.tz):
        row.email = email_queue(
            kind="tracker.weekly_digest",
            to=[digest.agent.email],
            subject=(
                f"[{agency.name}] Your week: {digest.overdue.total} overdue, "
                f"{digest.due_this_week.total} due, {digest.arrived.total} arrived"
            ),
            template="tracker/weekly_digest",
            context=context,
            agency=agency,
            about=row,
            headers=unsubscribe_headers(row),
        )
    row.save(update_fields=["email"])


@transaction.atomic
def digest_send(
    *, agency: Agency, agent: User, now: dt.datetime, monday: dt.date
) -> WeeklyDigest | None:
    """Record and queue one agent's digest for the week of `monday` (the row's `email` stays
    empty when there is nothing to report); None when the week's digest already exists
    (another beat was first)."""
    try:
        with transaction.atomic():
            row = WeeklyDigest.objects.create(
                agency=agency, user=agent, week_of=monday, created_at=now
            )
    except IntegrityError:
        return None
    digest = digest_for(agency=agency, agent=agent, now=now, monday=monday)
    if not digest.empty:
        _queue(digest, agency, row)
    return row


@dataclass
class DigestRun:
    sent: int = 0
    empty: int = 0
    errors: list[str] = field(default_factory=list)


def digests_send(*, now: dt.datetime) -> DigestRun:
    """The beat's pass over every agency whose digest moment it is (see digest_week_due)."""
    run = DigestRun()
    agencies = list(Agency.objects.order_by("id"))  # tenancy: the beat serves every agency
    closed = closed_days_by_agency([a.pk for a in agencies])
    for agency in agencies:
        clock = agency_clock(agency, calendar_for_agency(agency, closed[agency.pk]))
        monday = digest_week_due(now, clock)
        if monday is None:
            continue
        done = WeeklyDigest.objects.filter(agency=agency, week_of=monday).values("user_id")
        agents = (
            scoped(User, agency)
            .filter(is_active=True, weekly_digest=True)
            .exclude(pk__in=done)
            .order_by("id")
        )
        for agent in agents:
            try:
                row = digest_send(agency=agency, agent=agent, now=now, monday=monday)
            except Exception as exc:  # one agent's failure must not stop the others
                logger.exception("Weekly digest failed for user %s", agent.pk)
                run.errors.append(f"user {agent.pk}: {exc}")
                continue
            if row is not None and row.email_id:
                run.sent += 1
            elif row is not None:
                run.empty += 1
    return run
