import datetime as dt
from unittest import mock
from zoneinfo import ZoneInfo

import pytest
import time_machine
from django.core import mail
from django.db import connection
from django.test.utils import CaptureQueriesContext

from outbox.delivery import email_deliver
from outbox.models import Email
from tests.factories import LossRunRequestFactory
from tracker.models import Notification
from tracker.schedule import request_schedule_refresh
from tracker.services import (
    notifications_retry_now,
    sweep,
)
from tracker.timeline import DAY2, DAY5, SECOND_REQUEST_DUE, SECOND_REQUEST_REMINDER

NY = ZoneInfo("America/New_York")
S = Notification.Status


def at(*args):
    return dt.datetime(*args, tzinfo=NY)


CREATED = at(2026, 3, 2, 10, 0)  # Monday
DAY2_AT = at(2026, 3, 4, 8, 0)
DAY5_AT = at(2026, 3, 9, 8, 0)


def notices(req):
    return {n.milestone: n for n in Notification.objects.filter(request=req)}


# --- schedule columns ------------------------------------------------------------------------


def test_refresh_sets_the_due_columns(make_request):
    req = make_request(created_at=CREATED)
    assert req.next_due_at == DAY2_AT
    assert req.second_request_due_at is None and req.helpdesk_due_at is None
    req.first_request_on = dt.date(2026, 3, 2)
    request_schedule_refresh(req)
    req.refresh_from_db()
    assert req.next_due_at == req.second_request_due_at == at(2026, 3, 16, 8, 0)
    req.second_request_at = at(2026, 3, 16, 11, 0)
    request_schedule_refresh(req)
    req.refresh_from_db()
    assert req.next_due_at == req.helpdesk_due_at == at(2026, 3, 17, 11, 0)
    req.received_on = dt.date(2026, 3, 17)
    request_schedule_refresh(req)
    req.refresh_from_db()
    assert req.next_due_at is None


def test_refresh_skips_milestones_that_already_have_a_notice(make_request):
    req = make_request(created_at=CREATED)
    sweep(now=DAY2_AT)
    req.notes = "x"
    request_schedule_refresh(req)
    req.refresh_from_db()
    assert req.next_due_at == DAY5_AT


# --- the sweep ----------------------------------------------------------------------------


def test_sweep_before_due_creates_nothing(make_request):
    req = make_request(created_at=CREATED)
    result = sweep(now=DAY2_AT - dt.timedelta(seconds=1))
    assert result.requests_read == 0 and result.created == []
    assert not Notification.objects.filter(request=req).exists()


def test_sweep_when_due_creates_one_notice_and_queues_its_e_mail_and_advances(make_request):
    req = make_request(created_at=CREATED)
    result = sweep(now=DAY2_AT)
    assert [(n.request_id, n.milestone) for n in result.created] == [(req.pk, DAY2)]
    notice = notices(req)[DAY2]
    assert (
        notice.status == S.QUEUED and notice.due_at == DAY2_AT and notice.agency_id == req.agency_id
    )
    assert result.enqueued == [notice.pk]
    email = notice.email
    assert email.status == Email.Status.PENDING and email.agency_id == req.agency_id
    assert email.kind == f"tracker.{DAY2}" and email.about == req
    assert email.to == [req.created_by.email, "desk@acme.test", "Boss@Acme.test"]
    assert mail.outbox == []  # queued, not sent: the worker sends
    req.refresh_from_db()
    assert req.next_due_at == DAY5_AT


def test_sweep_twice_creates_the_notice_once(make_request):
    req = make_request(created_at=CREATED)
    sweep(now=DAY2_AT)
    LossRunRequestFactory._meta.model.objects.filter(pk=req.pk).update(
        next_due_at=DAY2_AT
    )  # a stale read
    second = sweep(now=DAY2_AT + dt.timedelta(minutes=1))
    assert second.created == []
    assert Notification.objects.filter(request=req).count() == 1


def test_sweep_enqueues_delivery_on_commit(make_request, django_capture_on_commit_callbacks):
    req = make_request(created_at=CREATED)
    with mock.patch("outbox.tasks.email_deliver.delay") as delay:
        with django_capture_on_commit_callbacks(execute=True) as callbacks:
            sweep(now=DAY2_AT)
        assert len(callbacks) == 1
    delay.assert_called_once_with(notices(req)[DAY2].email_id)


def test_sweep_dry_run_writes_and_enqueues_nothing(
    make_request, django_capture_on_commit_callbacks
):
    req = make_request(created_at=CREATED)
    with django_capture_on_commit_callbacks() as callbacks:
        result = sweep(now=DAY5_AT, dry_run=True)
    assert [n.milestone for n in result.created] == [DAY5]
    assert [n.milestone for n in result.superseded] == [DAY2]
    assert callbacks == []
    assert not Notification.objects.exists() and not Email.objects.exists()
    req.refresh_from_db()
    assert req.next_due_at == DAY2_AT


def test_several_overdue_milestones_send_one_that_says_what_to_do_now(make_request):
    # A first-request date entered 20 business days late: 2nd request due and its
    # reminder are both overdue. The reminder would refer to an e-mail that never went
    # out, so the 2nd-request notice goes and the reminder is recorded as superseded.
    now = at(2026, 4, 1, 9, 0)
    req = make_request(created_at=at(2026, 2, 27, 9, 0), first=dt.date(2026, 3, 2))
    result = sweep(now=now)
    got = notices(req)
    assert got[SECOND_REQUEST_DUE].status == S.QUEUED
    assert got[SECOND_REQUEST_REMINDER].status == S.SUPERSEDED
    assert "Superseded" in got[SECOND_REQUEST_REMINDER].last_error
    assert got[SECOND_REQUEST_REMINDER].email is None
    assert result.enqueued == [got[SECOND_REQUEST_DUE].pk]
    assert Email.objects.count() == 1
    assert email_deliver(email_id=got[SECOND_REQUEST_DUE].email_id, now=now) == "sent"
    assert len(mail.outbox) == 1 and "Time for a 2nd request" in mail.outbox[0].subject
    assert "Send the 2nd request today" in mail.outbox[0].body
    req.refresh_from_db()
    assert req.next_due_at is None
    assert sweep(now=now + dt.timedelta(days=30)).created == []


def test_the_reminder_goes_on_its_own_once_the_second_request_notice_was_sent(make_request):
    req = make_request(created_at=CREATED, first=dt.date(2026, 3, 2))
    sweep(now=at(2026, 3, 16, 8, 0))
    notice = notices(req)[SECOND_REQUEST_DUE]
    assert email_deliver(email_id=notice.email_id, now=at(2026, 3, 16, 8, 0)) == "sent"
    sweep(now=at(2026, 3, 18, 8, 0))
    reminder = notices(req)[SECOND_REQUEST_REMINDER]
    assert reminder.status == S.QUEUED
    assert email_deliver(email_id=reminder.email_id, now=at(2026, 3, 18, 8, 0)) == "sent"
    assert "still due" in mail.outbox[1].subject


def test_a_due_notice_waits_outside_working_hours_and_its_e_mail_is_queued_inside_them(
    make_request,
):
    # 10th business day Monday 03-16 at the notify time; the sweep did not run until 18:30.
    req = make_request(created_at=CREATED, first=dt.date(2026, 3, 2))
    assert sweep(now=at(2026, 3, 16, 18, 30)).created == []
    assert not Email.objects.exists()
    req.refresh_from_db()
    assert req.next_due_at == at(2026, 3, 17, 8, 0)  # the next notify time
    assert sweep(now=at(2026, 3, 17, 7, 59)).created == []
    sweep(now=at(2026, 3, 17, 8, 0))
    email = notices(req)[SECOND_REQUEST_DUE].email
    assert email.next_attempt_at >= at(2026, 3, 17, 8, 0)


def _sweep_queries(now):
    with CaptureQueriesContext(connection) as ctx:
        sweep(now=now)
    return len([q for q in ctx.captured_queries if "SAVEPOINT" not in q["sql"]])


def test_sweep_reads_only_due_rows_query_count_independent_of_other_requests(
    make_request, ny_agency
):
    make_request(created_at=CREATED)
    baseline = _sweep_queries(DAY2_AT)
    Notification.objects.all().delete()
    LossRunRequestFactory._meta.model.objects.update(next_due_at=DAY2_AT)
    for _ in range(25):  # not due: created later
        make_request(created_at=at(2026, 3, 4, 10, 0))
    make_request(created_at=at(2026, 3, 4, 10, 0), received=dt.date(2026, 3, 4))
    assert _sweep_queries(DAY2_AT) == baseline
    assert Notification.objects.count() == 1


def test_sweep_with_nothing_due_costs_two_queries(make_request):
    make_request(created_at=CREATED)
    assert _sweep_queries(DAY2_AT - dt.timedelta(minutes=1)) == 2


def test_sweep_survives_a_request_it_cannot_plan(make_request):
    good = make_request(created_at=CREATED)
    bad = make_request(created_at=CREATED)
    bad.__class__.objects.filter(pk=bad.pk).update(
        first_request_on=dt.date(2100, 12, 30), next_due_at=DAY2_AT
    )
    result = sweep(now=DAY2_AT)
    assert [e[0] for e in result.errors] == [bad.pk]
    assert DAY2 in notices(good)
    bad.refresh_from_db()
    assert bad.next_due_at is None  # not read again every minute


# --- the notice's e-mail ---------------------------------------------------------------


@pytest.fixture
def due_notice(make_request):
    req = make_request(created_at=CREATED)
    sweep(now=DAY2_AT)
    return notices(req)[DAY2]


def test_a_notice_is_delivered_once_by_the_outbox(due_notice):
    now = DAY2_AT + dt.timedelta(seconds=5)
    assert email_deliver(email_id=due_notice.email_id, now=now) == "sent"
    assert email_deliver(email_id=due_notice.email_id, now=now) == "skipped"
    assert len(mail.outbox) == 1
    assert mail.outbox[0].extra_headers["X-Tracker-Notice"] == str(due_notice.pk)
    sweep(now=now + dt.timedelta(hours=2))
    assert Email.objects.count() == 1  # the sweep never queues a notice twice


def test_no_recipient_cancels_the_notice_without_an_e_mail(make_request, ny_agency):
    ny_agency.copy_addresses = ""
    ny_agency.email = ""
    ny_agency.save()
    req = make_request(created_at=CREATED)
    req.created_by.is_active = False
    req.created_by.save()
    sweep(now=DAY2_AT)
    notice = notices(req)[DAY2]
    assert notice.status == S.CANCELLED and "No recipient" in notice.last_error
    assert notice.email is None and not Email.objects.exists()


def test_received_cancels_a_pending_notice_and_nothing_is_sent(due_notice):
    req = due_notice.request
    req.received_on = dt.date(2026, 3, 4)
    req.save()
    request_schedule_refresh(req)
    due_notice.refresh_from_db()
    assert due_notice.status == S.CANCELLED and due_notice.last_error == "Loss runs received."
    assert due_notice.email.status == Email.Status.CANCELLED
    assert email_deliver(email_id=due_notice.email_id, now=DAY2_AT) == "skipped"
    assert mail.outbox == []
    req.refresh_from_db()
    assert req.next_due_at is None
    assert sweep(now=at(2026, 6, 1)).created == []


def test_received_after_the_e_mail_went_out_keeps_the_sent_notice(due_notice):
    assert email_deliver(email_id=due_notice.email_id, now=DAY2_AT) == "sent"
    req = due_notice.request
    req.received_on = dt.date(2026, 3, 5)
    req.save()
    request_schedule_refresh(req)
    due_notice.refresh_from_db()
    assert due_notice.status == S.QUEUED and due_notice.email.status == Email.Status.SENT


def test_first_request_date_entered_cancels_the_reminder_and_schedules_the_second_request(
    due_notice,
):
    req = due_notice.request
    req.first_request_on = dt.date(2026, 3, 3)
    req.save()
    request_schedule_refresh(req)
    due_notice.refresh_from_db()
    assert due_notice.status == S.CANCELLED
    req.refresh_from_db()
    assert req.next_due_at == at(2026, 3, 17, 8, 0)
    assert sweep(now=DAY5_AT).created == []  # no day-5 reminder any more


def test_a_corrected_first_request_date_replaces_the_unsent_notice(make_request):
    req = make_request(created_at=CREATED, first=dt.date(2026, 3, 2))
    now = at(2026, 3, 16, 8, 0)
    sweep(now=now)
    old = notices(req)[SECOND_REQUEST_DUE]
    req.first_request_on = dt.date(2026, 3, 4)  # typo corrected: due two business days later
    req.save()
    request_schedule_refresh(req)
    withdrawn = old.email
    old.refresh_from_db()
    assert old.status == S.CANCELLED and "dates changed" in old.last_error
    withdrawn.refresh_from_db()
    assert withdrawn.status == Email.Status.CANCELLED
    assert email_deliver(email_id=withdrawn.pk, now=now) == "skipped"
    req.refresh_from_db()
    assert req.next_due_at == at(2026, 3, 18, 8, 0)
    assert sweep(now=at(2026, 3, 17, 8, 0)).created == []
    created = sweep(now=at(2026, 3, 18, 8, 0)).created
    assert [(n.milestone, n.due_at) for n in created] == [(SECOND_REQUEST_DUE, at(2026, 3, 18, 8))]
    new = Notification.objects.get(request=req, milestone=SECOND_REQUEST_DUE, status=S.QUEUED)
    assert new.basis == "2026-03-04" and "Mar 4, 2026" in new.email.text_body
    assert email_deliver(email_id=new.email_id, now=at(2026, 3, 18, 8, 0)) == "sent"
    assert len(mail.outbox) == 1


def test_a_calendar_change_re_times_an_unsent_notice_of_the_same_dates(make_request, ny_agency):
    from tracker.agency_settings import agency_closed_day_add

    req = make_request(created_at=CREATED, first=dt.date(2026, 3, 2))
    sweep(now=at(2026, 3, 16, 8, 0))
    notice = notices(req)[SECOND_REQUEST_DUE]
    withdrawn = notice.email
    agency_closed_day_add(agency=ny_agency, date=dt.date(2026, 3, 16))
    notice.refresh_from_db()
    assert notice.status == S.PENDING and notice.due_at == at(2026, 3, 17, 8, 0)
    assert notice.email is None and notice.basis == "2026-03-02"
    withdrawn.refresh_from_db()
    assert withdrawn.status == Email.Status.CANCELLED
    assert sweep(now=at(2026, 3, 16, 9, 0)).requeued == []
    assert sweep(now=at(2026, 3, 17, 8, 0)).requeued == [notice.pk]
    notice.refresh_from_db()
    assert email_deliver(email_id=notice.email_id, now=at(2026, 3, 17, 8)) == "sent"
    assert len(mail.outbox) == 1


def test_a_sent_notice_whose_date_was_corrected_is_told_again_at_the_new_moment(make_request):
    req = make_request(created_at=CREATED, first=dt.date(2026, 3, 2))
    now = at(2026, 3, 16, 8, 0)
    sweep(now=now)
    assert email_deliver(email_id=notices(req)[SECOND_REQUEST_DUE].email_id, now=now) == "sent"
    req.first_request_on = dt.date(2026, 3, 3)
    req.save()
    request_schedule_refresh(req)
    req.refresh_from_db()
    assert req.next_due_at == at(2026, 3, 17, 8, 0)  # the moved 10th business day
    assert sweep(now=at(2026, 3, 16, 17, 0)).created == []
    sweep(now=at(2026, 3, 17, 8, 0))
    rows = Notification.objects.filter(request=req, milestone=SECOND_REQUEST_DUE)
    assert sorted(rows.values_list("basis", "status", "email__status")) == [
        ("2026-03-02", S.QUEUED, Email.Status.SENT),
        ("2026-03-03", S.QUEUED, Email.Status.PENDING),
    ]


def test_a_sent_notice_is_never_sent_twice_for_the_same_dates(make_request, ny_agency):
    from tracker.agency_settings import agency_closed_day_add

    req = make_request(created_at=CREATED, first=dt.date(2026, 3, 2))
    now = at(2026, 3, 16, 8, 0)
    sweep(now=now)
    notice = notices(req)[SECOND_REQUEST_DUE]
    assert email_deliver(email_id=notice.email_id, now=now) == "sent"
    agency_closed_day_add(agency=ny_agency, date=dt.date(2026, 3, 16))  # moves it, same dates
    req.notes = "edited"
    req.save()
    request_schedule_refresh(req)
    for day in (17, 18, 19, 20):
        sweep(now=at(2026, 3, day, 8, 0))
    assert Notification.objects.filter(request=req, milestone=SECOND_REQUEST_DUE).count() == 1
    notice.refresh_from_db()
    assert notice.status == S.QUEUED and notice.due_at == at(2026, 3, 16, 8, 0)
    assert notice.email.status == Email.Status.SENT


def test_retry_now_enqueues_only_unsent_notices(
    due_notice, make_request, django_capture_on_commit_callbacks
):
    sent = make_request(created_at=CREATED)
    sweep(now=DAY2_AT)
    sent_notice = notices(sent)[DAY2]
    email_deliver(email_id=sent_notice.email_id, now=DAY2_AT)
    with (
        mock.patch("outbox.tasks.email_deliver.delay") as delay,
        django_capture_on_commit_callbacks(execute=True),
    ):
        ids = notifications_retry_now(notification_ids=[due_notice.pk, sent_notice.pk])
    assert ids == [due_notice.pk]
    delay.assert_called_once_with(due_notice.email_id)


# --- tasks (CELERY_TASK_ALWAYS_EAGER in tests) ------------------------------------------------


def test_sweep_task_delivers_through_the_delivery_task(
    make_request, django_capture_on_commit_callbacks
):
    req = make_request(created_at=CREATED)
    from tracker.tasks import sweep as sweep_task

    with (
        time_machine.travel(DAY2_AT + dt.timedelta(seconds=30), tick=False),
        django_capture_on_commit_callbacks(execute=True),
    ):
        out = sweep_task.delay().get()
    assert out == {"created": 1, "enqueued": 1, "errors": 0}
    assert notices(req)[DAY2].email.status == Email.Status.SENT
    assert len(mail.outbox) == 1


# --- agency settings change ------------------------------------------------------------------


def test_agency_schedule_refresh_follows_time_zone_and_closed_days(make_request, ny_agency):
    from accounts.models import AgencyClosedDay
    from tracker.schedule import agency_schedule_refresh

    open_req = make_request(created_at=CREATED)
    received = make_request(created_at=CREATED, received=dt.date(2026, 3, 3))
    ny_agency.time_zone = "America/Los_Angeles"
    ny_agency.save()
    AgencyClosedDay.objects.create(agency=ny_agency, date=dt.date(2026, 3, 4))
    assert agency_schedule_refresh(agency=ny_agency) == 1
    open_req.refresh_from_db()
    la = ZoneInfo("America/Los_Angeles")
    assert open_req.next_due_at == dt.datetime(2026, 3, 5, 8, 0, tzinfo=la)
    received.refresh_from_db()
    assert received.next_due_at is None


def test_agency_schedule_refresh_re_times_an_unsent_notice(make_request, ny_agency):
    from tracker.schedule import agency_schedule_refresh

    req = make_request(created_at=CREATED)
    sweep(now=DAY2_AT)
    ny_agency.notify_time = dt.time(9, 30)
    ny_agency.save()
    agency_schedule_refresh(agency=ny_agency)
    notice = notices(req)[DAY2]
    assert notice.status == S.PENDING and notice.due_at == at(2026, 3, 4, 9, 30)
    assert notice.email is None and Email.objects.get().status == Email.Status.CANCELLED
    req.refresh_from_db()
    assert req.next_due_at == at(2026, 3, 9, 9, 30)


def test_refresh_writes_no_history_row(make_request):
    req = make_request(created_at=CREATED)
    before = req.history.count()
    request_schedule_refresh(req)
    assert req.history.count() == before


def test_a_large_backlog_is_fanned_out_and_each_notice_delivered_once(
    make_request, django_capture_on_commit_callbacks
):
    from outbox.delivery import FANOUT_ABOVE, FANOUT_CHUNK

    n = FANOUT_ABOVE + 5
    for _ in range(n):
        make_request(created_at=CREATED)
    with (
        mock.patch("outbox.tasks.email_deliver_many.delay") as fan,
        django_capture_on_commit_callbacks(execute=True) as callbacks,
    ):
        sweep(now=DAY2_AT)
    assert len(callbacks) == 1  # one on-commit publish for the whole batch
    assert fan.call_count == -(-n // FANOUT_CHUNK)
    assert sorted(pk for call in fan.call_args_list for pk in call.args[0]) == sorted(
        Email.objects.values_list("id", flat=True)
    )
    # Eager Celery: the fan-out task delivers every e-mail, once.
    with (
        time_machine.travel(DAY2_AT, tick=False),
        django_capture_on_commit_callbacks(execute=True),
    ):
        callbacks[0]()
    assert len(mail.outbox) == n
    assert set(Email.objects.values_list("status", flat=True)) == {Email.Status.SENT}


def test_a_re_timed_notice_found_after_closing_time_waits_for_working_hours(
    make_request, ny_agency
):
    from tracker.schedule import agency_schedule_refresh

    req = make_request(created_at=CREATED)
    sweep(now=DAY2_AT)
    ny_agency.notify_time = dt.time(9, 30)
    ny_agency.save()
    agency_schedule_refresh(agency=ny_agency)  # the day-2 notice is due at 09:30 now
    notice = notices(req)[DAY2]
    assert sweep(now=at(2026, 3, 4, 18, 30)).enqueued == []  # no sweep ran during the day
    notice.refresh_from_db()
    assert notice.status == S.PENDING and notice.email is None
    assert sweep(now=at(2026, 3, 5, 8, 0)).enqueued == [notice.pk]
    notice.refresh_from_db()
    assert notice.status == S.QUEUED
    assert notice.email.next_attempt_at >= at(2026, 3, 5, 8, 0)
