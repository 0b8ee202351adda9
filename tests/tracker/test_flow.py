"""Time-travel tests of the whole flow: request dates -> beat sweep -> delivery -> outbox."""

import datetime as dt
from zoneinfo import ZoneInfo

import time_machine
from django.core import mail
from django.urls import reverse

from tests.tracker.conftest import update
from tracker.models import Notification

NY = ZoneInfo("America/New_York")
LA = ZoneInfo("America/Los_Angeles")


def at(*args, tz=NY):
    return dt.datetime(*args, tzinfo=tz)


def link(name, req):
    return "http://testserver" + reverse(name, args=[req.pk])


def test_the_whole_timeline_through_the_outbox(make_request, beat):
    with time_machine.travel(at(2026, 3, 2, 10, 0), tick=False):  # Monday
        req = make_request(created_at=at(2026, 3, 2, 10, 0))
    owner = req.created_by.email

    assert beat(at(2026, 3, 4, 7, 59)) == []  # day 2, before the notify time
    subjects = beat(at(2026, 3, 4, 8, 0))
    assert len(subjects) == 1 and subjects[0].startswith(
        "[Acme & Sons Agency] Enter the 1st request date"
    )
    assert mail.outbox[0].to == [owner, "desk@acme.test", "Boss@Acme.test"]
    assert link("vault:request_edit", req) in mail.outbox[0].body
    assert len(beat(at(2026, 3, 4, 8, 1))) == 1  # the next minute's sweep sends nothing again

    assert len(beat(at(2026, 3, 9, 8, 0))) == 2  # day 5 (after the DST change)
    assert "Enter the 1st request date" in mail.outbox[1].subject

    update(req, at(2026, 3, 9, 11, 0), first_request_on=dt.date(2026, 3, 9))
    assert len(beat(at(2026, 3, 20, 8, 0))) == 2
    subjects = beat(at(2026, 3, 23, 8, 0))  # 10th business day after Mar 9
    assert len(subjects) == 3 and "Time for a 2nd request" in subjects[2]
    assert link("vault:second_request_letter", req) in mail.outbox[2].body
    assert link("vault:request_edit", req) in mail.outbox[2].body

    subjects = beat(at(2026, 3, 25, 8, 0))  # 2 business days later: one more nudge
    assert len(subjects) == 4 and "2nd request is still due" in subjects[3]

    update(req, at(2026, 3, 25, 10, 0), second_request_at=at(2026, 3, 25, 10, 0))
    assert len(beat(at(2026, 3, 26, 9, 59))) == 4
    subjects = beat(at(2026, 3, 26, 10, 0))  # 24 clock hours later
    assert len(subjects) == 5 and "Help Desk" in subjects[4]
    assert link("helpdesk:submit", req) in mail.outbox[4].body

    update(req, at(2026, 3, 27, 9, 0), received_on=dt.date(2026, 3, 27))
    assert len(beat(at(2026, 6, 1, 8, 0))) == 5
    statuses = dict(
        Notification.objects.filter(request=req).values_list("milestone", "email__status")
    )
    assert set(statuses.values()) == {"sent"} and len(statuses) == 5


def test_received_before_the_10th_business_day_means_no_e_mail(make_request, beat):
    with time_machine.travel(at(2026, 3, 2, 10, 0), tick=False):
        req = make_request(created_at=at(2026, 3, 2, 10, 0), first=dt.date(2026, 3, 2))
    assert beat(at(2026, 3, 10, 8, 0)) == []
    update(req, at(2026, 3, 12, 14, 0), received_on=dt.date(2026, 3, 12))
    for day in (16, 18, 19, 30):
        assert beat(at(2026, 3, day, 9, 0)) == []
    assert not Notification.objects.filter(request=req).exists()


def test_a_beat_that_was_down_for_weeks_sends_only_the_current_step(make_request, beat):
    with time_machine.travel(at(2026, 3, 2, 10, 0), tick=False):
        req = make_request(created_at=at(2026, 3, 2, 10, 0), first=dt.date(2026, 3, 2))
    subjects = beat(at(2026, 4, 15, 9, 0))
    assert len(subjects) == 1 and "Time for a 2nd request" in subjects[0]
    assert (
        Notification.objects.get(request=req, milestone="second_request_reminder").status
        == "superseded"
    )


def test_agencies_in_different_time_zones_get_their_local_notify_time(
    make_request, beat, ny_agency
):
    from tests.factories import AgencyFactory

    la_agency = AgencyFactory(time_zone="America/Los_Angeles", copy_addresses="")
    created = at(2026, 3, 2, 10, 0)
    with time_machine.travel(created, tick=False):
        ny_req = make_request(created_at=created)
        la_req = make_request(agency=la_agency, created_at=created)
    assert len(beat(at(2026, 3, 4, 8, 0))) == 1  # 08:00 in New York is 05:00 in LA
    assert Notification.objects.get().request_id == ny_req.pk
    assert len(beat(at(2026, 3, 4, 7, 59, tz=LA))) == 1
    assert len(beat(at(2026, 3, 4, 8, 0, tz=LA))) == 2
    assert mail.outbox[1].to == [la_req.created_by.email]
