import datetime as dt
import smtplib
from unittest import mock
from zoneinfo import ZoneInfo

import pytest
import time_machine
from django.core import mail
from django.db import connection
from django.test.utils import CaptureQueriesContext

from tests.factories import LossRunRequestFactory
from tracker import services
from tracker.models import Notification
from tracker.schedule import request_schedule_refresh
from tracker.services import (
    CLAIM_TIMEOUT,
    DeliveryError,
    notification_claim,
    notification_deliver,
    notifications_retry_now,
    retry_backoff,
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
    sweep(now=DAY2_AT, enqueue=False)
    req.notes = "x"
    request_schedule_refresh(req)
    req.refresh_from_db()
    assert req.next_due_at == DAY5_AT


# --- the sweep ----------------------------------------------------------------------------


def test_sweep_before_due_creates_nothing(make_request):
    req = make_request(created_at=CREATED)
    result = sweep(now=DAY2_AT - dt.timedelta(seconds=1), enqueue=False)
    assert result.requests_read == 0 and result.created == []
    assert not Notification.objects.filter(request=req).exists()


def test_sweep_when_due_creates_one_pending_notice_and_advances(make_request):
    req = make_request(created_at=CREATED)
    result = sweep(now=DAY2_AT, enqueue=False)
    assert [(n.request_id, n.milestone) for n in result.created] == [(req.pk, DAY2)]
    notice = notices(req)[DAY2]
    assert (
        notice.status == S.PENDING
        and notice.due_at == DAY2_AT
        and notice.agency_id == req.agency_id
    )
    assert result.enqueued == [notice.pk]
    req.refresh_from_db()
    assert req.next_due_at == DAY5_AT


def test_sweep_twice_creates_the_notice_once(make_request):
    req = make_request(created_at=CREATED)
    sweep(now=DAY2_AT, enqueue=False)
    LossRunRequestFactory._meta.model.objects.filter(pk=req.pk).update(
        next_due_at=DAY2_AT
    )  # a stale read
    second = sweep(now=DAY2_AT + dt.timedelta(minutes=1), enqueue=False)
    assert second.created == []
    assert Notification.objects.filter(request=req).count() == 1


def test_sweep_enqueues_delivery_on_commit(make_request, django_capture_on_commit_callbacks):
    req = make_request(created_at=CREATED)
    with mock.patch("tracker.tasks.deliver_notification.delay") as delay:
        with django_capture_on_commit_callbacks(execute=True) as callbacks:
            sweep(now=DAY2_AT)
        assert len(callbacks) == 1
    delay.assert_called_once_with(notices(req)[DAY2].pk)


def test_sweep_dry_run_writes_and_enqueues_nothing(
    make_request, django_capture_on_commit_callbacks
):
    req = make_request(created_at=CREATED)
    with django_capture_on_commit_callbacks() as callbacks:
        result = sweep(now=DAY5_AT, dry_run=True)
    assert [n.milestone for n in result.created] == [DAY5]
    assert [n.milestone for n in result.superseded] == [DAY2]
    assert callbacks == []
    assert not Notification.objects.exists()
    req.refresh_from_db()
    assert req.next_due_at == DAY2_AT


def test_several_overdue_milestones_send_one_that_says_what_to_do_now(make_request):
    # A first-request date entered 20 business days late: 2nd request due and its
    # reminder are both overdue. The reminder would refer to an e-mail that never went
    # out, so the 2nd-request notice goes and the reminder is recorded as superseded.
    now = at(2026, 4, 1, 9, 0)
    req = make_request(created_at=at(2026, 2, 27, 9, 0), first=dt.date(2026, 3, 2))
    result = sweep(now=now, enqueue=False)
    got = notices(req)
    assert got[SECOND_REQUEST_DUE].status == S.PENDING
    assert got[SECOND_REQUEST_REMINDER].status == S.SUPERSEDED
    assert "Superseded" in got[SECOND_REQUEST_REMINDER].last_error
    assert result.enqueued == [got[SECOND_REQUEST_DUE].pk]
    assert notification_deliver(notification_id=got[SECOND_REQUEST_REMINDER].pk, now=now) == (
        "skipped"
    )
    assert notification_deliver(notification_id=got[SECOND_REQUEST_DUE].pk, now=now) == "sent"
    assert len(mail.outbox) == 1 and "Time for a 2nd request" in mail.outbox[0].subject
    assert "Send the 2nd request today" in mail.outbox[0].body
    req.refresh_from_db()
    assert req.next_due_at is None
    assert sweep(now=now + dt.timedelta(days=30), enqueue=False).created == []


def test_the_reminder_goes_on_its_own_once_the_second_request_notice_was_sent(make_request):
    req = make_request(created_at=CREATED, first=dt.date(2026, 3, 2))
    sweep(now=at(2026, 3, 16, 8, 0), enqueue=False)
    notice = notices(req)[SECOND_REQUEST_DUE]
    assert notification_deliver(notification_id=notice.pk, now=at(2026, 3, 16, 8, 0)) == "sent"
    sweep(now=at(2026, 3, 18, 8, 0), enqueue=False)
    reminder = notices(req)[SECOND_REQUEST_REMINDER]
    assert reminder.status == S.PENDING
    assert notification_deliver(notification_id=reminder.pk, now=at(2026, 3, 18, 8, 0)) == "sent"
    assert "still due" in mail.outbox[1].subject


def _sweep_queries(now):
    with CaptureQueriesContext(connection) as ctx:
        sweep(now=now, enqueue=False)
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
    result = sweep(now=DAY2_AT, enqueue=False)
    assert [e[0] for e in result.errors] == [bad.pk]
    assert DAY2 in notices(good)
    bad.refresh_from_db()
    assert bad.next_due_at is None  # not read again every minute


# --- delivery ----------------------------------------------------------------------------


@pytest.fixture
def due_notice(make_request):
    req = make_request(created_at=CREATED)
    sweep(now=DAY2_AT, enqueue=False)
    return notices(req)[DAY2]


def test_deliver_sends_once_and_marks_sent(due_notice):
    now = DAY2_AT + dt.timedelta(seconds=5)
    assert notification_deliver(notification_id=due_notice.pk, now=now) == "sent"
    assert notification_deliver(notification_id=due_notice.pk, now=now) == "skipped"
    assert len(mail.outbox) == 1
    due_notice.refresh_from_db()
    assert due_notice.status == S.SENT and due_notice.sent_at == now and due_notice.attempts == 1
    assert due_notice.next_attempt_at is None
    assert sweep(now=now + dt.timedelta(hours=2), enqueue=False).requeued == []


def test_a_claim_blocks_a_second_worker_until_it_is_stale(due_notice):
    now = DAY2_AT
    assert notification_claim(notification_id=due_notice.pk, now=now)
    assert not notification_claim(notification_id=due_notice.pk, now=now)
    # Worker 1 died. Another worker's delivery does nothing before the timeout ...
    assert (
        notification_deliver(notification_id=due_notice.pk, now=now + CLAIM_TIMEOUT / 2)
        == "skipped"
    )
    assert sweep(now=now + CLAIM_TIMEOUT / 2, enqueue=False).requeued == []
    # ... and after it the sweep hands the abandoned claim out again: sent once.
    later = now + CLAIM_TIMEOUT + dt.timedelta(seconds=1)
    assert sweep(now=later, enqueue=False).requeued == [due_notice.pk]
    assert notification_deliver(notification_id=due_notice.pk, now=later) == "sent"
    assert notification_deliver(notification_id=due_notice.pk, now=later) == "skipped"
    assert len(mail.outbox) == 1
    due_notice.refresh_from_db()
    assert due_notice.attempts == 2


def test_smtp_failure_is_kept_then_retried_after_backoff_and_sent_once(due_notice):
    now = DAY2_AT
    with (
        mock.patch(
            "django.core.mail.EmailMultiAlternatives.send",
            side_effect=smtplib.SMTPServerDisconnected("gone"),
        ),
        pytest.raises(DeliveryError),
    ):
        notification_deliver(notification_id=due_notice.pk, now=now)
    due_notice.refresh_from_db()
    assert due_notice.status == S.FAILED
    assert "SMTPServerDisconnected: gone" in due_notice.last_error
    assert due_notice.next_attempt_at == now + dt.timedelta(minutes=2)
    assert "owner" in due_notice.recipients
    assert mail.outbox == []
    assert sweep(now=now + dt.timedelta(minutes=1), enqueue=False).requeued == []
    assert sweep(now=now + dt.timedelta(minutes=2), enqueue=False).requeued == [due_notice.pk]
    assert (
        notification_deliver(notification_id=due_notice.pk, now=now + dt.timedelta(minutes=2))
        == "sent"
    )
    assert (
        notification_deliver(notification_id=due_notice.pk, now=now + dt.timedelta(minutes=3))
        == "skipped"
    )
    assert len(mail.outbox) == 1
    due_notice.refresh_from_db()
    assert due_notice.status == S.SENT and due_notice.last_error == "" and due_notice.attempts == 2


def test_retry_backoff_doubles_up_to_an_hour():
    assert [retry_backoff(n).total_seconds() / 60 for n in (1, 2, 3, 5, 6, 7, 20)] == [
        2,
        4,
        8,
        32,
        60,
        60,
        60,
    ]


def test_received_cancels_a_pending_notice_and_nothing_is_sent(due_notice):
    req = due_notice.request
    req.received_on = dt.date(2026, 3, 4)
    req.save()
    request_schedule_refresh(req)
    due_notice.refresh_from_db()
    assert due_notice.status == S.CANCELLED and due_notice.last_error == "Loss runs received."
    assert notification_deliver(notification_id=due_notice.pk, now=DAY2_AT) == "skipped"
    assert mail.outbox == []
    req.refresh_from_db()
    assert req.next_due_at is None
    assert sweep(now=at(2026, 6, 1), enqueue=False).created == []


def test_delivery_rechecks_the_request_even_without_a_refresh(due_notice):
    due_notice.request.__class__.objects.filter(pk=due_notice.request_id).update(
        received_on=dt.date(2026, 3, 4)
    )
    assert notification_deliver(notification_id=due_notice.pk, now=DAY2_AT) == "cancelled"
    assert mail.outbox == []
    due_notice.refresh_from_db()
    assert due_notice.status == S.CANCELLED


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
    assert sweep(now=DAY5_AT, enqueue=False).created == []  # no day-5 reminder any more


def test_a_corrected_first_request_date_replaces_the_unsent_notice(make_request):
    req = make_request(created_at=CREATED, first=dt.date(2026, 3, 2))
    now = at(2026, 3, 16, 8, 0)
    sweep(now=now, enqueue=False)
    old = notices(req)[SECOND_REQUEST_DUE]
    req.first_request_on = dt.date(2026, 3, 4)  # typo corrected: due two business days later
    req.save()
    request_schedule_refresh(req)
    old.refresh_from_db()
    assert old.status == S.CANCELLED and "dates changed" in old.last_error
    assert notification_deliver(notification_id=old.pk, now=now) == "skipped"
    req.refresh_from_db()
    assert req.next_due_at == at(2026, 3, 18, 8, 0)
    assert sweep(now=at(2026, 3, 17, 8, 0), enqueue=False).created == []
    created = sweep(now=at(2026, 3, 18, 8, 0), enqueue=False).created
    assert [(n.milestone, n.due_at) for n in created] == [(SECOND_REQUEST_DUE, at(2026, 3, 18, 8))]
    new = Notification.objects.get(request=req, milestone=SECOND_REQUEST_DUE, status=S.PENDING)
    assert new.basis == "2026-03-04"
    assert notification_deliver(notification_id=new.pk, now=at(2026, 3, 18, 8, 0)) == "sent"
    assert len(mail.outbox) == 1


def test_a_calendar_change_defers_a_pending_notice_of_the_same_dates(make_request, ny_agency):
    from accounts.services import closed_day_add

    req = make_request(created_at=CREATED, first=dt.date(2026, 3, 2))
    now = at(2026, 3, 16, 7, 59)
    sweep(now=at(2026, 3, 16, 8, 0), enqueue=False)
    notice = notices(req)[SECOND_REQUEST_DUE]
    closed_day_add(agency=ny_agency, date=dt.date(2026, 3, 16))
    notice.refresh_from_db()
    assert notice.status == S.PENDING and notice.due_at == at(2026, 3, 17, 8, 0)
    assert notification_deliver(notification_id=notice.pk, now=now) == "deferred"
    assert mail.outbox == []
    assert notification_deliver(notification_id=notice.pk, now=at(2026, 3, 17, 8)) == "sent"


def test_a_sent_notice_whose_date_was_corrected_is_told_again_at_the_new_moment(make_request):
    req = make_request(created_at=CREATED, first=dt.date(2026, 3, 2))
    now = at(2026, 3, 16, 8, 0)
    sweep(now=now, enqueue=False)
    assert (
        notification_deliver(notification_id=notices(req)[SECOND_REQUEST_DUE].pk, now=now) == "sent"
    )
    req.first_request_on = dt.date(2026, 3, 3)
    req.save()
    request_schedule_refresh(req)
    req.refresh_from_db()
    assert req.next_due_at == at(2026, 3, 17, 8, 0)  # the moved 10th business day
    assert sweep(now=at(2026, 3, 16, 17, 0), enqueue=False).created == []
    sweep(now=at(2026, 3, 17, 8, 0), enqueue=False)
    rows = Notification.objects.filter(request=req, milestone=SECOND_REQUEST_DUE)
    assert sorted(rows.values_list("basis", "status")) == [
        ("2026-03-02", S.SENT),
        ("2026-03-03", S.PENDING),
    ]


def test_a_sent_notice_is_never_sent_twice_for_the_same_dates(make_request, ny_agency):
    from accounts.services import closed_day_add

    req = make_request(created_at=CREATED, first=dt.date(2026, 3, 2))
    now = at(2026, 3, 16, 8, 0)
    sweep(now=now, enqueue=False)
    notice = notices(req)[SECOND_REQUEST_DUE]
    assert notification_deliver(notification_id=notice.pk, now=now) == "sent"
    closed_day_add(agency=ny_agency, date=dt.date(2026, 3, 16))  # moves it, same dates
    req.notes = "edited"
    req.save()
    request_schedule_refresh(req)
    for day in (17, 18, 19, 20):
        sweep(now=at(2026, 3, day, 8, 0), enqueue=False)
    assert Notification.objects.filter(request=req, milestone=SECOND_REQUEST_DUE).count() == 1
    notice.refresh_from_db()
    assert notice.status == S.SENT and notice.due_at == at(2026, 3, 16, 8, 0)


def test_retry_now_enqueues_only_unsent_notices(due_notice, django_capture_on_commit_callbacks):
    other = Notification.objects.create(
        agency=due_notice.agency,
        request=due_notice.request,
        milestone=DAY5,
        due_at=DAY5_AT,
        status=S.SENT,
    )
    with (
        mock.patch("tracker.tasks.deliver_notification.delay") as delay,
        django_capture_on_commit_callbacks(execute=True),
    ):
        ids = notifications_retry_now(notification_ids=[due_notice.pk, other.pk])
    assert ids == [due_notice.pk]
    delay.assert_called_once_with(due_notice.pk)


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
    assert notices(req)[DAY2].status == S.SENT
    assert len(mail.outbox) == 1


def test_delivery_task_failure_stays_failed_and_visible(due_notice, settings):
    from tracker.tasks import deliver_notification

    settings.CELERY_TASK_EAGER_PROPAGATES = False
    with (
        time_machine.travel(DAY2_AT, tick=False),
        mock.patch(
            "django.core.mail.EmailMultiAlternatives.send",
            side_effect=smtplib.SMTPDataError(451, "later"),
        ),
    ):
        deliver_notification.apply(args=[due_notice.pk], throw=False)
    due_notice.refresh_from_db()
    assert due_notice.status == S.FAILED and "later" in due_notice.last_error
    assert mail.outbox == []


def test_delivery_task_declares_retries_with_backoff():
    from tracker.tasks import deliver_notification

    assert deliver_notification.autoretry_for == (DeliveryError,)
    assert deliver_notification.retry_backoff and deliver_notification.max_retries >= 3
    assert deliver_notification.retry_backoff_max <= 3600
    assert services.sweep is not None


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
    sweep(now=DAY2_AT, enqueue=False)
    ny_agency.notify_time = dt.time(9, 30)
    ny_agency.save()
    agency_schedule_refresh(agency=ny_agency)
    notice = notices(req)[DAY2]
    assert notice.status == S.PENDING and notice.due_at == at(2026, 3, 4, 9, 30)
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
    from tracker.services import FANOUT_ABOVE, FANOUT_CHUNK

    n = FANOUT_ABOVE + 5
    for _ in range(n):
        make_request(created_at=CREATED)
    with (
        mock.patch("tracker.tasks.deliver_notifications.delay") as fan,
        django_capture_on_commit_callbacks(execute=True),
    ):
        sweep(now=DAY2_AT)
    assert fan.call_count == -(-n // FANOUT_CHUNK)
    assert sorted(pk for call in fan.call_args_list for pk in call.args[0]) == sorted(
        Notification.objects.values_list("id", flat=True)
    )
    # Eager Celery: the fan-out task delivers every notice, once.
    with (
        time_machine.travel(DAY2_AT, tick=False),
        django_capture_on_commit_callbacks(execute=True),
    ):
        Notification.objects.update(next_attempt_at=DAY2_AT)
        sweep(now=DAY2_AT)
    assert len(mail.outbox) == n
    assert set(Notification.objects.values_list("status", flat=True)) == {S.SENT}
