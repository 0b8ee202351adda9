import datetime as dt
import zoneinfo

import pytest
import time_machine
from django.core import mail

from esign.reminders import reminder_times
from esign.services import reminders_send_due
from tests.esign.factories import SignatureRequestFactory
from tracker.calendar import get_calendar

NY = zoneinfo.ZoneInfo("America/New_York")


def test_reminders_on_the_2nd_and_5th_business_day_at_notify_time():
    sent = dt.datetime(2025, 11, 21, 15, 0, tzinfo=NY)  # Friday
    times = reminder_times(sent_at=sent, calendar=get_calendar(), tz=NY, notify_time=dt.time(8))
    # Monday 24th is day 1, Tuesday day 2; Thanksgiving (27th) is skipped: day 5 is Monday Dec 1.
    assert times == [
        dt.datetime(2025, 11, 25, 8, 0, tzinfo=NY),
        dt.datetime(2025, 12, 1, 8, 0, tzinfo=NY),
    ]


@pytest.mark.django_db
def test_due_reminders_go_once_each_and_stop_when_signed(
    agency, django_capture_on_commit_callbacks
):
    with time_machine.travel(dt.datetime(2025, 11, 21, 15, 0, tzinfo=NY)):
        signature = SignatureRequestFactory(agency=agency)
    mail.outbox.clear()
    with time_machine.travel(dt.datetime(2025, 11, 25, 7, 0, tzinfo=NY)):
        assert reminders_send_due() == 0
    with time_machine.travel(dt.datetime(2025, 11, 25, 8, 1, tzinfo=NY)):
        with django_capture_on_commit_callbacks(execute=True):
            assert reminders_send_due() == 1
        assert reminders_send_due() == 0
    assert mail.outbox[0].subject.startswith("Reminder:")
    signature.refresh_from_db()
    assert signature.reminders_sent == 1
    assert signature.next_reminder_at == dt.datetime(2025, 12, 1, 8, 0, tzinfo=NY)
    signature.status = "signed"
    signature.save()
    with time_machine.travel(dt.datetime(2025, 12, 1, 9, 0, tzinfo=NY)):
        assert reminders_send_due() == 0
