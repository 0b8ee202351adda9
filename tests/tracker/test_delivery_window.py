"""A notice's e-mail that is retried or delivered late still goes out only on a business day
inside the agency's working hours, at the next allowed moment (the outbox's send window the
tracker registers: tracker.notices.notice_send_window)."""

import datetime as dt
import smtplib
from unittest import mock
from zoneinfo import ZoneInfo

import pytest
import time_machine
from django.core import mail

from accounts.models import AgencyClosedDay
from outbox.delivery import ENQUEUE_GRACE, DeliveryError, email_deliver, requeue
from outbox.models import Email
from outbox.windows import window_opens
from tracker.models import Notification
from tracker.notices import notice_send_window
from tracker.services import sweep

NY = ZoneInfo("America/New_York")
E = Email.Status


def at(*args):
    return dt.datetime(*args, tzinfo=NY)


FRIDAY_LATE = at(2026, 3, 20, 17, 58)  # 10th business day after Friday, March 6
MONDAY_OPENS = at(2026, 3, 23, 8, 0)


def smtp_down():
    return mock.patch(
        "django.core.mail.EmailMultiAlternatives.send",
        side_effect=smtplib.SMTPServerDisconnected("gone"),
    )


def queued_at(make_request, moment, first=dt.date(2026, 3, 6), **kwargs):
    """A request whose 2nd-request notice the sweep queues at `moment`; its outbox e-mail."""
    req = make_request(created_at=at(2026, 3, 6, 9), first=first, **kwargs)
    with time_machine.travel(moment, tick=False):
        sweep(now=moment)
    (notice,) = Notification.objects.filter(request=req)
    return notice.email


def fail_once(email, now):
    with smtp_down(), pytest.raises(DeliveryError):
        email_deliver(email_id=email.pk, now=now)
    email.refresh_from_db()
    return email


def test_a_retry_after_closing_time_on_friday_waits_for_monday_morning(make_request):
    email = fail_once(queued_at(make_request, FRIDAY_LATE), FRIDAY_LATE)
    assert email.status == E.FAILED and email.next_attempt_at == MONDAY_OPENS
    # Celery's own retry at 18:00:30, the outbox sweep all weekend: nothing goes out.
    assert email_deliver(email_id=email.pk, now=at(2026, 3, 20, 18, 0, 30)) == "deferred"
    assert requeue(now=at(2026, 3, 21, 12), enqueue=False).requeued == []
    assert requeue(now=MONDAY_OPENS - dt.timedelta(seconds=1), enqueue=False).requeued == []
    assert requeue(now=MONDAY_OPENS, enqueue=False).requeued == [email.pk]
    assert email_deliver(email_id=email.pk, now=MONDAY_OPENS) == "sent"
    assert len(mail.outbox) == 1
    email.refresh_from_db()
    assert email.sent_at == MONDAY_OPENS


def test_a_retry_inside_working_hours_goes_at_its_backoff(make_request):
    morning = at(2026, 3, 20, 10, 0)
    email = fail_once(queued_at(make_request, morning), morning)
    assert email.next_attempt_at == morning + dt.timedelta(minutes=2)
    assert email_deliver(email_id=email.pk, now=morning + dt.timedelta(minutes=2)) == "sent"
    assert len(mail.outbox) == 1


def test_a_retry_before_a_closed_monday_waits_for_tuesday(make_request, ny_agency):
    AgencyClosedDay.objects.create(agency=ny_agency, date=dt.date(2026, 3, 23))
    email = fail_once(queued_at(make_request, FRIDAY_LATE), FRIDAY_LATE)
    assert email.next_attempt_at == at(2026, 3, 24, 8, 0)
    assert email_deliver(email_id=email.pk, now=MONDAY_OPENS) == "deferred"
    assert mail.outbox == []


def test_a_retry_on_the_eve_of_thanksgiving_waits_for_friday(make_request):
    # 10th business day after Tuesday, November 10 (Veterans Day, the 11th, not counted).
    eve = at(2026, 11, 25, 17, 59)
    email = fail_once(queued_at(make_request, eve, first=dt.date(2026, 11, 10)), eve)
    assert email.next_attempt_at == at(2026, 11, 27, 8, 0)


def test_a_late_first_delivery_waits_but_one_right_after_the_sweep_goes(make_request):
    """Workers down: the outbox sweep re-enqueues after its grace, held to working hours.
    Right after the sweep queued it (inside working hours) the worker sends at once."""
    email = queued_at(make_request, FRIDAY_LATE)
    assert email_deliver(email_id=email.pk, now=FRIDAY_LATE + ENQUEUE_GRACE) == "deferred"
    email.refresh_from_db()
    assert email.attempts == 0 and email.next_attempt_at == MONDAY_OPENS
    other = queued_at(make_request, FRIDAY_LATE)
    assert email_deliver(email_id=other.pk, now=at(2026, 3, 20, 18, 0, 30)) == "sent"


def test_the_window_reads_the_agency_settings_as_they_are_at_delivery(make_request, ny_agency):
    email = fail_once(queued_at(make_request, FRIDAY_LATE), FRIDAY_LATE)
    ny_agency.work_opens = ny_agency.notify_time = dt.time(9, 0)
    ny_agency.save()
    assert email_deliver(email_id=email.pk, now=MONDAY_OPENS) == "deferred"
    email.refresh_from_db()
    assert email.next_attempt_at == at(2026, 3, 23, 9, 0)


def test_the_tracker_window_holds_only_its_own_kinds(make_request, ny_agency):
    email = queued_at(make_request, FRIDAY_LATE)
    night = at(2026, 3, 20, 22, 0)
    assert notice_send_window(email, night) == window_opens(email, night) == MONDAY_OPENS
    assert notice_send_window(email, FRIDAY_LATE) == FRIDAY_LATE
    other = Email(kind="helpdesk.ticket_status", agency=ny_agency)
    assert window_opens(other, night) == night
