"""Property: random request histories and random sweep times, through the real services.

For every history (creation; first-request dates entered, corrected, cleared; second
requests; received dates entered and removed; Help Desk tickets opened and closed) and
every pace of sweeps and late deliveries:
- never two e-mails for the same milestone of the same dates;
- none while the request is received or its ticket is open;
- none created on a day that is not a business day or outside working hours;
- once the history ends and the sweep keeps time, every milestone that applies to the
  final dates is accounted for once: sent, or superseded by the one sent with it.
"""

import datetime as dt
import os
from zoneinfo import ZoneInfo

import pytest
import time_machine
from hypothesis import HealthCheck, example, given, settings
from hypothesis import strategies as st

from accounts.models import AgencyClosedDay
from outbox.delivery import email_deliver
from outbox.models import Email
from tests.factories import AgencyFactory, LossRunRequestFactory
from tracker.models import Notification
from tracker.schedule import (
    agency_clock,
    request_helpdesk_hold,
    request_milestones,
    request_schedule_refresh,
)
from tracker.services import sweep
from tracker.timeline import notice_moment
from vault.models import LossRunRequest

pytestmark = pytest.mark.django_db

S = Notification.Status
AGENCIES = {
    "ny": {"time_zone": "America/New_York", "holiday_calendar": "federal", "state": "NY"},
    "la": {"time_zone": "America/Los_Angeles", "holiday_calendar": "federal_state", "state": "CA"},
    "hnl": {
        "time_zone": "Pacific/Honolulu",
        "holiday_calendar": "federal_state",
        "state": "HI",
        "notify_time": dt.time(9, 0),
        "work_opens": dt.time(7, 30),
        "work_closes": dt.time(16, 0),
    },
}

event = st.one_of(
    st.tuples(st.just("first"), st.integers(min_value=-5, max_value=12)),
    st.tuples(st.just("clear_first"), st.just(0)),
    st.tuples(st.just("second"), st.integers(min_value=0, max_value=600)),
    st.tuples(st.just("clear_second"), st.just(0)),
    st.tuples(st.just("received"), st.just(0)),
    st.tuples(st.just("clear_received"), st.just(0)),
    st.tuples(st.just("ticket_open"), st.just(0)),
    st.tuples(st.just("ticket_close"), st.just(0)),
    st.tuples(st.just("received_by_mistake"), st.integers(min_value=1, max_value=600)),
    st.tuples(st.just("ticket_cycle"), st.integers(min_value=1, max_value=3 * 24 * 60)),
)
step = st.tuples(
    st.integers(min_value=1, max_value=6 * 24 * 60),  # minutes until the event
    event,
    st.lists(st.integers(min_value=0, max_value=3 * 24 * 60), max_size=3),  # sweeps after it
    st.integers(min_value=0, max_value=180),  # minutes a delivery may lag its sweep
    st.booleans(),  # the worker is slow: deliveries wait until after the next event
)


def in_working_hours(moment, clock):
    local = moment.astimezone(clock.tz)
    return clock.cal.is_business_day(local.date()) and clock.opens <= local.time() < clock.closes


class History:
    def __init__(self, req):
        self.req = req
        self.sent: list[tuple[str, str]] = []

    def apply(self, now, kind, n):
        if kind == "received_by_mistake":  # entered, then removed n minutes later
            self.apply(now, "received", 0)
            self.apply(now + dt.timedelta(minutes=n), "clear_received", 0)
            return
        if kind == "ticket_cycle":  # a ticket opened, closed without the loss runs later
            self.apply(now, "ticket_open", 0)
            self.apply(now + dt.timedelta(minutes=n), "ticket_close", 0)
            return
        req = self.req
        local_today = now.astimezone(req.agency.tz).date()
        if kind == "first":
            req.first_request_on = min(req.created_at.astimezone(req.agency.tz).date(), local_today)
            req.first_request_on += dt.timedelta(
                days=min(n, (local_today - req.first_request_on).days)
            )
        elif kind == "clear_first":
            req.first_request_on = None
            req.second_request_at = None
        elif kind == "second" and req.first_request_on:
            req.second_request_at = now - dt.timedelta(minutes=n)
        elif kind == "clear_second":
            req.second_request_at = None
        elif kind == "received":
            req.received_on = local_today
        elif kind == "clear_received":
            req.received_on = None
        if kind.startswith("ticket"):
            with time_machine.travel(now, tick=False):
                request_helpdesk_hold(request=req, ticket_open=kind == "ticket_open")
            return
        with time_machine.travel(now, tick=False):
            req.save()
            request_schedule_refresh(req)

    def sweep_and_deliver(self, now, lag, slow=False):
        with time_machine.travel(now, tick=False):
            result = sweep(now=now)
        if slow:  # the e-mails stay pending in the outbox; redeliver_all picks them up later
            return
        emails = Notification.objects.filter(pk__in=result.enqueued).values_list("email_id")
        for (email_id,) in emails:
            self.deliver(email_id, now + dt.timedelta(minutes=lag))

    def deliver(self, email_id, now):
        self.req.refresh_from_db()
        if email_deliver(email_id=email_id, now=now) != "sent":
            return
        notice = Notification.objects.get(email_id=email_id)
        assert self.req.received_on is None, "an e-mail after received"
        assert not self.req.helpdesk_open, "an e-mail while a ticket is open"
        # The sweep creates a notice and queues its e-mail only inside working hours
        # (delivery follows at once; the test's lag stands for a slow worker).
        assert in_working_hours(notice.created_at, agency_clock(self.req.agency)), notice
        key = (notice.milestone, notice.basis)
        assert key not in self.sent, f"two e-mails for {key}"
        self.sent.append(key)

    def redeliver_all(self, now):
        """Any outbox e-mail of the request a worker could still pick up (late, failed)."""
        live = Email.objects.filter(
            tracker_notice__request=self.req,
            status__in=[Email.Status.PENDING, Email.Status.FAILED],
            next_attempt_at__lte=now,
        )
        for pk in live.values_list("id", flat=True):
            self.deliver(pk, now)


@settings(
    max_examples=int(os.environ.get("PROPERTY_EXAMPLES", "60")),
    deadline=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
)
@example(  # a received date entered by mistake while the day-2 notice waits for a worker
    agency_key="ny",
    created_minutes=0,
    closed_day=False,
    steps=[(1, ("received_by_mistake", 10), [4320], 0, True)],
)
@example(  # a ticket opened and closed while the Help Desk notice waits for a worker
    agency_key="la",
    created_minutes=0,
    closed_day=True,
    steps=[
        (60, ("first", 0), [], 0, False),
        (60, ("second", 0), [], 0, False),
        (1, ("ticket_cycle", 30), [24 * 60 + 120], 0, True),
    ],
)
@given(
    agency_key=st.sampled_from(sorted(AGENCIES)),
    created_minutes=st.integers(min_value=0, max_value=365 * 24 * 60),
    closed_day=st.booleans(),
    steps=st.lists(step, max_size=8),
)
def test_random_histories_never_double_send_and_account_for_every_milestone(
    agency_key, created_minutes, closed_day, steps
):
    Notification.objects.all().delete()
    LossRunRequest.objects.all().delete()
    agency = AgencyFactory(copy_addresses="desk@agency.test", **AGENCIES[agency_key])
    tz = ZoneInfo(agency.time_zone)
    created = dt.datetime(2026, 1, 2, 9, tzinfo=tz) + dt.timedelta(minutes=created_minutes)
    if closed_day:
        day = created.astimezone(tz).date() + dt.timedelta(days=2)
        AgencyClosedDay.objects.create(agency=agency, date=day)
    with time_machine.travel(created, tick=False):
        req = LossRunRequestFactory(agency=agency, created_at=created)
        request_schedule_refresh(req)
    history = History(req)
    now = created
    for wait, (kind, n), sweeps, lag, slow in steps:
        for offset in sorted(sweeps):
            moment = now + dt.timedelta(minutes=offset)
            history.sweep_and_deliver(moment, lag, slow)
        now = now + dt.timedelta(minutes=wait + max(sweeps, default=0))
        history.apply(now, kind, n)
        if slow:
            history.redeliver_all(now + dt.timedelta(minutes=lag))
    # The history is over; from now on the sweep keeps time (every milestone's moment).
    req.refresh_from_db()
    final = request_milestones(req)
    moments = sorted({notice_moment(now, agency_clock(agency))} | {m.due_at for m in final})
    rows = Notification.objects.filter(request=req).exclude(status=S.CANCELLED)
    for moment in moments:
        moment = notice_moment(max(moment, now), agency_clock(agency))
        history.sweep_and_deliver(moment, 0)
        history.redeliver_all(moment)
        for m in final:  # on time: a sweep at a milestone's moment accounts for it
            if m.due_at <= moment:
                assert rows.filter(milestone=m.kind, basis=m.basis).exists(), (m, moment)
    end = max(moments) + dt.timedelta(days=5)
    history.redeliver_all(notice_moment(end, agency_clock(agency)))
    for m in final:
        statuses = list(
            rows.filter(milestone=m.kind, basis=m.basis).values_list("status", "email__status")
        )
        done = ((S.QUEUED, Email.Status.SENT), (S.SUPERSEDED, None))
        assert len(statuses) == 1 and statuses[0] in done, (m, statuses)
    assert len(history.sent) == len(set(history.sent))
