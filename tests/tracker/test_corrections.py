"""Corrections re-arm, the Help Desk hold, and working hours, through the sweep and delivery."""

import datetime as dt
from zoneinfo import ZoneInfo

import pytest
import time_machine
from django.core import mail

from accounts.services import closed_day_add
from outbox.delivery import email_deliver
from outbox.models import Email
from tests.factories import AgencyFactory
from tests.tracker.conftest import update
from tracker.models import Notification
from tracker.schedule import request_helpdesk_hold
from tracker.timeline import DAY2, DAY5, HELPDESK_DUE, SECOND_REQUEST_DUE

NY = ZoneInfo("America/New_York")
LA = ZoneInfo("America/Los_Angeles")
S = Notification.Status


def at(*args, tz=NY):
    return dt.datetime(*args, tzinfo=tz)


SENT = "sent"  # a queued notice whose outbox e-mail went out


def rows(req, milestone):
    """(basis, status) of the request's notices of one milestone; `sent` once its e-mail is."""
    notices = Notification.objects.filter(request=req, milestone=milestone).order_by("id")
    return [
        (basis, SENT if email_status == Email.Status.SENT else status)
        for basis, status, email_status in notices.values_list("basis", "status", "email__status")
    ]


# --- a received date entered by mistake --------------------------------------------------------


def test_a_received_date_cleared_again_brings_the_cancelled_notice_back(make_request, beat):
    req = make_request(created_at=at(2026, 3, 2, 10), first=dt.date(2026, 3, 2))
    update(req, at(2026, 3, 13, 9), received_on=dt.date(2026, 3, 13))  # by mistake
    assert beat(at(2026, 3, 16, 8, 0)) == []
    update(req, at(2026, 3, 16, 9), received_on=None)  # removed again
    subjects = beat(at(2026, 3, 16, 9, 1))
    assert len(subjects) == 1 and "Time for a 2nd request" in subjects[0]
    assert rows(req, SECOND_REQUEST_DUE) == [("2026-03-02", SENT)]
    assert len(beat(at(2026, 3, 17, 9, 0))) == 1  # and only once


def test_a_pending_notice_cancelled_by_a_received_date_comes_back_when_it_is_cleared(
    make_request, beat
):
    req = make_request(created_at=at(2026, 3, 2, 10), first=dt.date(2026, 3, 2))
    with time_machine.travel(at(2026, 3, 16, 8), tick=False):
        from tracker.services import sweep

        sweep(now=at(2026, 3, 16, 8))  # created, not delivered yet
    update(req, at(2026, 3, 16, 8, 1), received_on=dt.date(2026, 3, 16))
    assert rows(req, SECOND_REQUEST_DUE) == [("2026-03-02", S.CANCELLED)]
    update(req, at(2026, 3, 16, 8, 2), received_on=None)
    assert len(beat(at(2026, 3, 16, 8, 3))) == 1
    assert rows(req, SECOND_REQUEST_DUE) == [("2026-03-02", S.CANCELLED), ("2026-03-02", SENT)]


def test_a_received_date_that_stays_stops_everything(make_request, beat):
    req = make_request(created_at=at(2026, 3, 2, 10), first=dt.date(2026, 3, 2))
    update(req, at(2026, 3, 13, 9), received_on=dt.date(2026, 3, 13))
    for day in (16, 17, 18, 19):
        assert beat(at(2026, 3, day, 9)) == []
    assert not Notification.objects.filter(request=req).exists()


def test_a_first_request_date_entered_then_cleared_brings_day_5_back(make_request, beat):
    req = make_request(created_at=at(2026, 3, 2, 10))
    assert len(beat(at(2026, 3, 4, 8))) == 1  # day 2 sent
    update(req, at(2026, 3, 4, 9), first_request_on=dt.date(2026, 3, 4))
    update(req, at(2026, 3, 5, 9), first_request_on=None)  # wrong request; cleared
    assert len(beat(at(2026, 3, 6, 9))) == 1  # nothing new: day 2 was sent already
    subjects = beat(at(2026, 3, 9, 8))
    assert len(subjects) == 2
    assert [s for _, s in rows(req, DAY2)] == [SENT]
    assert [s for _, s in rows(req, DAY5)] == [SENT]


# --- a corrected first-request date after its notice went out ----------------------------------


def test_a_moved_tenth_business_day_is_told_again_at_the_new_moment(make_request, beat):
    req = make_request(created_at=at(2026, 3, 2, 10), first=dt.date(2026, 3, 2))
    assert len(beat(at(2026, 3, 16, 8))) == 1
    update(req, at(2026, 3, 16, 10), first_request_on=dt.date(2026, 3, 5))  # it was the 5th
    assert len(beat(at(2026, 3, 18, 8))) == 1  # the old reminder no longer applies
    assert len(beat(at(2026, 3, 19, 7, 59))) == 1
    subjects = beat(at(2026, 3, 19, 8))
    assert len(subjects) == 2 and "Time for a 2nd request" in subjects[1]
    assert rows(req, SECOND_REQUEST_DUE) == [("2026-03-02", SENT), ("2026-03-05", SENT)]


def test_the_same_first_request_date_typed_again_is_never_told_twice(make_request, beat):
    req = make_request(created_at=at(2026, 3, 2, 10), first=dt.date(2026, 3, 2))
    assert len(beat(at(2026, 3, 16, 8))) == 1
    update(req, at(2026, 3, 16, 10), first_request_on=dt.date(2026, 3, 3))
    update(req, at(2026, 3, 16, 11), first_request_on=dt.date(2026, 3, 2))  # back again
    assert len(beat(at(2026, 3, 16, 12))) == 1
    assert rows(req, SECOND_REQUEST_DUE) == [("2026-03-02", SENT)]


# --- the Help Desk hold ------------------------------------------------------------------------


def test_no_deadline_notice_while_a_help_desk_ticket_is_open(make_request, beat):
    req = make_request(
        created_at=at(2026, 3, 2, 10),
        first=dt.date(2026, 3, 2),
        second=at(2026, 3, 16, 10, 30),
    )
    request_helpdesk_hold(request=req, ticket_open=True)
    req.refresh_from_db()
    assert req.helpdesk_open and req.next_due_at is None
    assert req.helpdesk_due_at == at(2026, 3, 17, 10, 30)  # the status still shows the deadline
    for day in (17, 18, 19):
        assert beat(at(2026, 3, day, 11)) == []


def test_a_pending_notice_is_cancelled_when_a_ticket_opens_and_resumes_when_it_closes(
    make_request, beat
):
    from tracker.services import sweep

    req = make_request(
        created_at=at(2026, 3, 2, 10), first=dt.date(2026, 3, 2), second=at(2026, 3, 16, 10, 30)
    )
    sweep(now=at(2026, 3, 17, 10, 30))
    (notice,) = Notification.objects.filter(request=req)
    request_helpdesk_hold(request=req, ticket_open=True)
    notice.refresh_from_db()
    assert notice.status == S.CANCELLED and "Help Desk ticket" in notice.last_error
    assert notice.email.status == Email.Status.CANCELLED
    assert email_deliver(email_id=notice.email_id, now=at(2026, 3, 17, 10, 31)) == "skipped"
    with time_machine.travel(at(2026, 3, 20, 9), tick=False):
        request_helpdesk_hold(request=req, ticket_open=False)  # closed without the loss runs
    subjects = beat(at(2026, 3, 20, 9, 1))
    assert len(subjects) == 1 and "Help Desk" in subjects[0]
    assert [s for _, s in rows(req, HELPDESK_DUE)] == [S.CANCELLED, SENT]


def test_a_notice_sent_before_the_ticket_is_not_sent_again_after_it_closes(make_request, beat):
    req = make_request(
        created_at=at(2026, 3, 2, 10), first=dt.date(2026, 3, 2), second=at(2026, 3, 16, 10, 30)
    )
    assert len(beat(at(2026, 3, 17, 10, 30))) == 1
    request_helpdesk_hold(request=req, ticket_open=True)
    request_helpdesk_hold(request=req, ticket_open=False)
    assert len(beat(at(2026, 3, 18, 10))) == 1
    assert [s for _, s in rows(req, HELPDESK_DUE)] == [SENT]


def test_holding_twice_or_releasing_an_unheld_request_changes_nothing(make_request):
    req = make_request(created_at=at(2026, 3, 2, 10))
    before = req.next_due_at
    request_helpdesk_hold(request=req, ticket_open=False)
    req.refresh_from_db()
    assert not req.helpdesk_open and req.next_due_at == before


# --- working hours through the sweep ------------------------------------------------------------


def test_a_date_entered_late_on_saturday_night_waits_for_monday_morning(make_request, beat):
    req = make_request(created_at=at(2026, 3, 2, 10))
    assert len(beat(at(2026, 3, 4, 8))) == 1
    update(req, at(2026, 3, 21, 22, 1), first_request_on=dt.date(2026, 3, 2))  # Saturday
    assert len(beat(at(2026, 3, 21, 22, 2))) == 1
    assert len(beat(at(2026, 3, 22, 12))) == 1
    req.refresh_from_db()
    assert req.next_due_at == at(2026, 3, 23, 8, 0)
    subjects = beat(at(2026, 3, 23, 8, 0))
    assert len(subjects) == 2 and "Time for a 2nd request" in subjects[1]
    assert mail.outbox[1].message()["Date"]


def test_the_agency_working_hours_setting_moves_the_notice(make_request, beat):
    agency = AgencyFactory(
        time_zone="America/Los_Angeles",
        notify_time=dt.time(9, 30),
        work_opens=dt.time(9, 0),
        work_closes=dt.time(17, 0),
        copy_addresses="",
    )
    req = make_request(
        agency=agency,
        created_at=at(2026, 3, 2, 10, tz=LA),
        first=dt.date(2026, 3, 2),
        second=at(2026, 3, 10, 8, 15, tz=LA),
    )
    assert beat(at(2026, 3, 11, 8, 15, tz=LA)) == []
    assert beat(at(2026, 3, 11, 9, 29, tz=LA)) == []
    assert len(beat(at(2026, 3, 11, 9, 30, tz=LA))) == 1
    assert Notification.objects.get(request=req).due_at == at(2026, 3, 11, 9, 30, tz=LA)


# --- the mutation-run gaps ----------------------------------------------------------------------


def test_los_angeles_thursday_evening_request_counts_from_the_local_date(make_request, beat):
    agency = AgencyFactory(time_zone="America/Los_Angeles", copy_addresses="")
    created = at(2026, 3, 12, 20, 0, tz=LA)  # Friday 03:00 UTC
    with time_machine.travel(created, tick=False):
        req = make_request(agency=agency, created_at=created)
    assert len(beat(at(2026, 3, 16, 8, 0, tz=LA))) == 1  # day 2 (Saturday) on Monday
    assert len(beat(at(2026, 3, 17, 8, 0, tz=LA))) == 2  # day 5 Tuesday, not Wednesday
    assert [s for _, s in rows(req, DAY5)] == [SENT]


def test_a_sweep_over_an_agency_with_closed_days_sends_the_day_2_reminder(
    make_request, beat, ny_agency
):
    closed_day_add(agency=ny_agency, date=dt.date(2026, 3, 4))  # day 2 of a Monday request
    req = make_request(created_at=at(2026, 3, 2, 10))
    assert beat(at(2026, 3, 4, 8)) == []  # the closed day: nothing
    subjects = beat(at(2026, 3, 5, 8))
    assert len(subjects) == 1 and "1st request date" in subjects[0]
    assert len(beat(at(2026, 3, 9, 8))) == 2
    assert [s for _, s in rows(req, DAY2)] == [SENT]
    assert not Notification.objects.filter(status=S.SUPERSEDED).exists()


@pytest.mark.parametrize("state,sent", [(None, 1), ("NY", 0)])
def test_a_state_holiday_moves_the_notice_only_on_the_state_calendar(
    make_request, beat, state, sent
):
    agency = AgencyFactory(
        state="NY", holiday_calendar="federal_state" if state else "federal", copy_addresses=""
    )
    # Lincoln's Birthday (NY), Thursday 2026-02-12, is day 2 of a Tuesday request.
    make_request(agency=agency, created_at=at(2026, 2, 10, 10))
    assert len(beat(at(2026, 2, 12, 8))) == sent


# --- the stored "1st request overdue" moment ------------------------------------------------


def test_the_request_stores_when_its_first_request_is_overdue_until_the_date_is_entered(
    make_request,
):
    req = make_request(created_at=at(2026, 3, 6, 10))  # Friday: day 5 is Wednesday the 11th
    req.refresh_from_db()
    assert req.first_request_due_at == at(2026, 3, 11, 8, 0)
    update(req, at(2026, 3, 12, 9), first_request_on=dt.date(2026, 3, 12))
    req.refresh_from_db()
    assert req.first_request_due_at is None
