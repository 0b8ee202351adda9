"""A notice's e-mail withdrawn or re-timed while it can be (tracker.notices), and the sweep's
re-check of notices waiting again, each both ways."""

import datetime as dt
from zoneinfo import ZoneInfo

import pytest
import time_machine

from outbox.delivery import ENQUEUE_GRACE, email_deliver
from outbox.models import Email
from tests.factories import LossRunRequestFactory
from tracker.models import Notification
from tracker.notices import (
    NO_RECIPIENT,
    notice_retime,
    notice_withdraw,
    notices_queue,
    notices_waiting,
)
from tracker.schedule import request_helpdesk_hold, requests_schedule_new, withdraw_reason
from tracker.services import sweep
from tracker.timeline import DAY2, HELPDESK_DUE

NY = ZoneInfo("America/New_York")
S = Notification.Status
E = Email.Status


def at(*args):
    return dt.datetime(*args, tzinfo=NY)


CREATED = at(2026, 3, 2, 10, 0)  # Monday
DAY2_AT = at(2026, 3, 4, 8, 0)
LATER = at(2026, 3, 20, 8, 0)


@pytest.fixture
def queued(make_request):
    """A request whose day-2 notice the sweep queued (its e-mail pending in the outbox)."""
    req = make_request(created_at=CREATED)
    sweep(now=DAY2_AT)
    notice = Notification.objects.select_related("email").get(request=req, milestone=DAY2)
    assert notice.status == S.QUEUED and notice.email.status == E.PENDING
    return notice


@pytest.mark.parametrize("email_status", [E.PENDING, E.FAILED, E.CANCELLED])
def test_a_notice_whose_email_is_not_out_is_withdrawn_with_it(queued, email_status):
    Email.objects.filter(pk=queued.email_id).update(status=email_status)
    assert notice_withdraw(notice_id=queued.pk, reason="Loss runs received.") is True
    queued.refresh_from_db()
    assert queued.status == S.CANCELLED and queued.last_error == "Loss runs received."
    assert Email.objects.get(pk=queued.email_id).status == E.CANCELLED


@pytest.mark.parametrize("email_status", [E.SENDING, E.SENT])
def test_a_notice_whose_email_is_out_or_going_stays_as_it_is(queued, email_status):
    Email.objects.filter(pk=queued.email_id).update(status=email_status)
    assert notice_withdraw(notice_id=queued.pk, reason="x") is False
    assert notice_retime(notice_id=queued.pk, due_at=LATER) is False
    queued.refresh_from_db()
    assert queued.status == S.QUEUED and queued.last_error == "" and queued.due_at == DAY2_AT
    assert Email.objects.get(pk=queued.email_id).status == email_status


def test_a_notice_is_read_with_its_email_in_one_query(queued, django_assert_num_queries):
    Email.objects.filter(pk=queued.email_id).update(status=E.SENT)
    with django_assert_num_queries(1):
        assert notice_withdraw(notice_id=queued.pk, reason="x") is False
    with django_assert_num_queries(1):
        assert notice_retime(notice_id=queued.pk, due_at=LATER) is False


def test_a_cancelled_notice_is_neither_withdrawn_again_nor_re_timed(queued):
    assert notice_withdraw(notice_id=queued.pk, reason="first") is True
    assert notice_withdraw(notice_id=queued.pk, reason="second") is False
    assert notice_retime(notice_id=queued.pk, due_at=LATER) is False
    queued.refresh_from_db()
    assert queued.last_error == "first" and queued.due_at == DAY2_AT


def test_a_notice_without_an_email_is_withdrawn(queued):
    Notification.objects.filter(pk=queued.pk).update(status=S.PENDING, email=None)
    assert notice_withdraw(notice_id=queued.pk, reason="gone") is True
    assert Notification.objects.get(pk=queued.pk).status == S.CANCELLED


def test_a_re_timed_notice_waits_pending_without_its_withdrawn_email(queued):
    email_id = queued.email_id
    assert notice_retime(notice_id=queued.pk, due_at=LATER) is True
    queued.refresh_from_db()
    assert queued.status == S.PENDING and queued.email is None and queued.due_at == LATER
    assert Email.objects.get(pk=email_id).status == E.CANCELLED
    assert email_deliver(email_id=email_id, now=DAY2_AT) == "skipped"


def test_notices_waiting_are_the_pending_ones_without_email_due_by_now(queued, make_request):
    assert notices_waiting(now=LATER, limit=10) == []  # queued: it has its e-mail
    notice_retime(notice_id=queued.pk, due_at=LATER)
    assert notices_waiting(now=LATER - dt.timedelta(seconds=1), limit=10) == []
    assert notices_waiting(now=LATER, limit=10) == [queued.pk]
    assert notices_waiting(now=LATER, limit=0) == []


def test_notices_waiting_come_oldest_due_first(queued, make_request):
    other = make_request(created_at=CREATED)
    sweep(now=DAY2_AT)
    second = Notification.objects.get(request=other, milestone=DAY2)
    notice_retime(notice_id=second.pk, due_at=LATER - dt.timedelta(hours=1))
    notice_retime(notice_id=queued.pk, due_at=LATER)
    assert notices_waiting(now=LATER, limit=10) == [second.pk, queued.pk]
    assert notices_waiting(now=LATER, limit=1) == [second.pk]


# --- the sweep re-checks a notice waiting again before queueing its e-mail ------------------


def waiting(notice, due_at):
    """The notice pending again without e-mail (withdrawn by a settings change)."""
    Notification.objects.filter(pk=notice.pk).update(status=S.PENDING, email=None, due_at=due_at)


def test_a_waiting_notice_of_a_request_received_meanwhile_is_withdrawn(queued):
    waiting(queued, DAY2_AT)
    type(queued.request).objects.filter(pk=queued.request_id).update(
        received_on=dt.date(2026, 3, 4)
    )
    result = sweep(now=at(2026, 3, 4, 9, 0))
    assert result.requeued == [queued.pk] and result.enqueued == []
    queued.refresh_from_db()
    assert queued.status == S.CANCELLED and queued.last_error == "Loss runs received."


def test_a_waiting_notice_whose_dates_changed_is_withdrawn(queued):
    waiting(queued, DAY2_AT)
    type(queued.request).objects.filter(pk=queued.request_id).update(
        first_request_on=dt.date(2026, 3, 3)
    )
    sweep(now=at(2026, 3, 4, 9, 0))
    queued.refresh_from_db()
    assert queued.status == S.CANCELLED
    assert queued.last_error == "No longer applies: the request's dates changed."


def test_a_waiting_notice_whose_moment_moved_ahead_is_re_timed_not_queued(queued, ny_agency):
    waiting(queued, DAY2_AT)
    ny_agency.notify_time = dt.time(10, 0)
    ny_agency.save()  # without the re-timing: the sweep finds the new moment itself
    result = sweep(now=at(2026, 3, 4, 9, 0))
    assert result.enqueued == []
    queued.refresh_from_db()
    assert queued.status == S.PENDING and queued.due_at == at(2026, 3, 4, 10, 0)
    assert sweep(now=at(2026, 3, 4, 10, 0)).enqueued == [queued.pk]


def test_a_waiting_notice_still_due_is_queued_inside_working_hours(queued):
    waiting(queued, DAY2_AT)
    assert sweep(now=at(2026, 3, 4, 18, 0)).enqueued == []  # closing time: it waits
    assert Notification.objects.get(pk=queued.pk).status == S.PENDING
    assert sweep(now=at(2026, 3, 5, 8, 0)).enqueued == [queued.pk]
    queued.refresh_from_db()
    assert queued.status == S.QUEUED and queued.email.status == E.PENDING


def test_a_dry_run_reports_waiting_notices_without_touching_them(queued):
    waiting(queued, DAY2_AT)
    result = sweep(now=at(2026, 3, 4, 9, 0), dry_run=True)
    assert result.requeued == result.enqueued == [queued.pk]
    assert Notification.objects.get(pk=queued.pk).email is None


def test_the_reason_a_notice_is_withdrawn_names_what_changed():
    build = LossRunRequestFactory.build
    received = build(received_on=dt.date(2026, 3, 4), helpdesk_open=True)
    assert withdraw_reason(received) == "Loss runs received."
    held = build(received_on=None, helpdesk_open=True)
    assert withdraw_reason(held) == "Paused: a Help Desk ticket is open for this request."
    moved = build(received_on=None, helpdesk_open=False)
    assert withdraw_reason(moved) == "No longer applies: the request's dates changed."


def test_a_ticket_opened_withdraws_the_unsent_notice_saying_so(queued):
    request_helpdesk_hold(request=queued.request, ticket_open=True)
    queued.refresh_from_db()
    assert queued.status == S.CANCELLED
    assert queued.last_error == "Paused: a Help Desk ticket is open for this request."
    assert Email.objects.get(pk=queued.email_id).status == E.CANCELLED


# --- new requests of a bulk creation ---------------------------------------------------------


def test_new_requests_get_their_due_columns_from_the_agency_calendar(
    ny_agency, django_assert_num_queries
):
    from accounts.models import AgencyClosedDay

    AgencyClosedDay.objects.create(agency=ny_agency, date=dt.date(2026, 3, 16))
    fresh = LossRunRequestFactory.build(created_at=CREATED, first_request_on=None)
    first = LossRunRequestFactory.build(created_at=CREATED, first_request_on=dt.date(2026, 3, 2))
    third = LossRunRequestFactory.build(created_at=CREATED, first_request_on=None)
    with django_assert_num_queries(1):  # the agency's closed days, however many requests
        requests_schedule_new([fresh, first, third], agency=ny_agency)
    assert fresh.agency == first.agency == ny_agency
    assert fresh.next_due_at == DAY2_AT and fresh.second_request_due_at is None
    # The 10th business day after March 2 is the 16th, closed: the 17th.
    assert first.next_due_at == first.second_request_due_at == at(2026, 3, 17, 8, 0)
    assert first.helpdesk_due_at is None


# --- queueing a notice's e-mail ------------------------------------------------------------


def pending_notice(req, **fields):
    fields = {"milestone": DAY2, "basis": "b", "due_at": DAY2_AT} | fields
    return Notification.objects.create(agency=req.agency, request=req, **fields)


def test_only_pending_notices_without_an_email_get_one(make_request):
    req = make_request(created_at=CREATED)
    cancelled = pending_notice(req, status=S.CANCELLED)
    (with_email,) = notices_queue([pending_notice(req, basis="c").pk])
    Notification.objects.filter(pk=with_email.pk).update(status=S.PENDING)
    email_count = Email.objects.count()
    assert notices_queue([cancelled.pk, with_email.pk]) == []
    assert Email.objects.count() == email_count
    assert Notification.objects.get(pk=cancelled.pk).email is None


def test_the_queued_notices_come_back_queued_with_their_email(make_request):
    req = make_request(created_at=CREATED)
    (notice,) = notices_queue([pending_notice(req).pk])
    assert notice.status == S.QUEUED and notice.email_id is not None
    stored = Notification.objects.get(pk=notice.pk)
    assert stored.status == S.QUEUED and stored.email_id == notice.email_id


def test_a_notice_without_recipient_comes_back_cancelled_saying_why(make_request):
    from accounts.models import Agency, User

    req = make_request(created_at=CREATED)
    User.objects.filter(agency=req.agency).update(is_active=False)
    Agency.objects.filter(pk=req.agency_id).update(copy_addresses="", email="")
    (notice,) = notices_queue([pending_notice(req).pk])
    assert notice.status == S.CANCELLED and notice.last_error == NO_RECIPIENT
    assert Notification.objects.get(pk=notice.pk).last_error == NO_RECIPIENT


def test_the_first_attempt_is_never_before_not_before(make_request):
    req = make_request(created_at=CREATED)
    with time_machine.travel(DAY2_AT, tick=False):
        (plain,) = notices_queue([pending_notice(req).pk])
        req2 = make_request(created_at=CREATED)
        (early,) = notices_queue([pending_notice(req2).pk], not_before=DAY2_AT)
        req3 = make_request(created_at=CREATED)
        (late,) = notices_queue([pending_notice(req3).pk], not_before=LATER)
    assert plain.email.next_attempt_at == DAY2_AT + ENQUEUE_GRACE
    assert early.email.next_attempt_at == DAY2_AT + ENQUEUE_GRACE
    assert late.email.next_attempt_at == LATER


def test_queueing_many_notices_costs_the_queries_of_one(make_request):
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    def cost(n):
        ids = [pending_notice(make_request(created_at=CREATED)).pk for _ in range(n)]
        with CaptureQueriesContext(connection) as ctx:
            assert len(notices_queue(ids)) == n
        return len(ctx.captured_queries)

    assert cost(1) == cost(3)


def test_the_help_desk_notice_reads_its_times_in_the_agency_zone(make_request):
    from tests.factories import AgencyFactory

    honolulu = AgencyFactory(time_zone="Pacific/Honolulu", copy_addresses="")
    hst = ZoneInfo("Pacific/Honolulu")
    second = dt.datetime(2026, 3, 3, 10, 30, tzinfo=hst)
    req = make_request(
        agency=honolulu, created_at=CREATED, first=dt.date(2026, 2, 2), second=second
    )
    notice = Notification.objects.create(
        agency=honolulu,
        request=req,
        milestone=HELPDESK_DUE,
        basis="b",
        due_at=second + dt.timedelta(hours=24),
    )
    (queued,) = notices_queue([notice.pk])
    body = queued.email.text_body
    assert "Tuesday, Mar 3, 2026, 10:30 AM HST" in body
    assert "Wednesday, Mar 4, 2026, 10:30 AM HST" in body


def test_notices_waiting_leave_out_cancelled_ones_and_those_with_an_email(queued, make_request):
    req = make_request(created_at=CREATED)
    cancelled = pending_notice(req, status=S.CANCELLED)
    Notification.objects.filter(pk=queued.pk).update(status=S.PENDING)  # e-mail still set
    assert cancelled.pk not in notices_waiting(now=LATER, limit=10)
    assert notices_waiting(now=LATER, limit=10) == []


def test_the_clock_carries_the_agencys_own_hours(ny_agency):
    from tracker.schedule import agency_clock

    ny_agency.work_opens, ny_agency.notify_time, ny_agency.work_closes = (
        dt.time(7, 0),
        dt.time(7, 30),
        dt.time(16, 0),
    )
    got = agency_clock(ny_agency)
    assert (got.opens, got.notify_time, got.closes, got.tz) == (
        dt.time(7, 0),
        dt.time(7, 30),
        dt.time(16, 0),
        NY,
    )


def test_a_date_change_follows_every_live_notice_past_ones_that_are_history(make_request):
    """The request's rows are read oldest first: a cancelled one before a live one must not
    stop the live one from following the dates."""
    from tracker.schedule import request_schedule_refresh

    req = make_request(created_at=CREATED)
    pending_notice(req, status=S.CANCELLED, due_at=DAY2_AT - dt.timedelta(days=1))
    sweep(now=DAY2_AT)
    live = Notification.objects.get(request=req, milestone=DAY2, status=S.QUEUED)
    req.first_request_on = dt.date(2026, 3, 3)
    req.save()
    request_schedule_refresh(req)
    live.refresh_from_db()
    assert live.status == S.CANCELLED
