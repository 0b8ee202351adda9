"""The weekly digest (issue 18): when it goes out, exactly once per agent and week, the
opt-out, and what it says."""

import datetime as dt
from zoneinfo import ZoneInfo

import pytest
from django.conf import settings

from outbox.models import Email
from tests.factories import AgencyFactory, LossRunRequestFactory, UserFactory
from tracker import digest
from tracker.calendar import get_calendar
from tracker.models import WeeklyDigest
from tracker.timeline import AgencyClock
from vault.models import LossRunRequest

NY = ZoneInfo("America/New_York")
CLOCK = AgencyClock(cal=get_calendar(None, ()), tz=NY)
MONDAY_8AM = dt.datetime(2025, 3, 10, 8, 0, tzinfo=NY)  # EDT since Mar 9
DAY = dt.timedelta(days=1)
MINUTE = dt.timedelta(minutes=1)


# When --------------------------------------------------------------------------------------


def test_the_digest_is_due_from_the_notify_time_of_monday():
    assert digest.digest_week_due(MONDAY_8AM, CLOCK) == dt.date(2025, 3, 10)
    assert digest.digest_week_due(MONDAY_8AM - MINUTE, CLOCK) is None


def test_not_after_working_hours_nor_on_a_weekend():
    assert digest.digest_week_due(MONDAY_8AM + dt.timedelta(hours=10), CLOCK) is None  # 18:00
    assert digest.digest_week_due(MONDAY_8AM - 2 * DAY + dt.timedelta(hours=2), CLOCK) is None


def test_a_holiday_monday_moves_it_to_tuesday():
    memorial_day = dt.datetime(2025, 5, 26, 9, 0, tzinfo=NY)
    assert digest.digest_week_due(memorial_day, CLOCK) is None
    assert digest.digest_week_due(memorial_day + DAY, CLOCK) == dt.date(2025, 5, 26)


def test_a_missed_monday_is_caught_up_later_in_the_same_week():
    assert digest.digest_week_due(MONDAY_8AM + 2 * DAY, CLOCK) == dt.date(2025, 3, 10)


def test_the_agencys_notify_time_and_zone_count():
    chicago = AgencyClock(cal=CLOCK.cal, tz=ZoneInfo("America/Chicago"), notify_time=dt.time(9, 30))
    at = dt.datetime(2025, 3, 10, 9, 30, tzinfo=ZoneInfo("America/Chicago"))
    assert digest.digest_week_due(at - MINUTE, chicago) is None
    assert digest.digest_week_due(at, chicago) == dt.date(2025, 3, 10)


def test_the_beat_asks_every_quarter_hour():
    entry = settings.CELERY_BEAT_SCHEDULE["tracker-weekly-digests"]
    assert entry["task"] == "tracker.tasks.weekly_digests" and entry["schedule"] == 900.0


# Once per agent and week -------------------------------------------------------------------


@pytest.fixture
def agent(db):
    return UserFactory(agency=AgencyFactory(), full_name="Pat Agent")


def _overdue(agent, **fields):
    req = LossRunRequestFactory(agency=agent.agency, created_by=agent, owner=agent)
    LossRunRequest.objects.filter(pk=req.pk).update(
        created_at=MONDAY_8AM - 30 * DAY,
        first_request_on=(MONDAY_8AM - 20 * DAY).date(),
        second_request_due_at=MONDAY_8AM - 3 * DAY,
        **fields,
    )
    return req


def _digests(agent):
    return Email.objects.filter(kind="tracker.weekly_digest", to=[agent.email])


@pytest.mark.django_db
def test_each_agent_gets_one_digest_a_week_however_often_the_beat_runs(agent):
    _overdue(agent)
    first = digest.digests_send(now=MONDAY_8AM + MINUTE)
    again = digest.digests_send(now=MONDAY_8AM + dt.timedelta(minutes=16))
    later = digest.digests_send(now=MONDAY_8AM + 2 * DAY)
    assert (first.sent, again.sent, later.sent) == (1, 0, 0)
    assert _digests(agent).count() == 1
    assert WeeklyDigest.objects.get(user=agent).week_of == dt.date(2025, 3, 10)
    assert digest.digests_send(now=MONDAY_8AM + 7 * DAY).sent == 1  # next week: a new one
    assert _digests(agent).count() == 2


@pytest.mark.django_db
def test_a_second_beat_racing_for_the_same_week_sends_nothing(agent):
    _overdue(agent)
    monday = dt.date(2025, 3, 10)
    assert digest.digest_send(agency=agent.agency, agent=agent, now=MONDAY_8AM, monday=monday)
    assert (
        digest.digest_send(agency=agent.agency, agent=agent, now=MONDAY_8AM, monday=monday) is None
    )
    assert _digests(agent).count() == 1


@pytest.mark.django_db
def test_before_the_notify_time_nothing_is_sent(agent):
    _overdue(agent)
    assert digest.digests_send(now=MONDAY_8AM - MINUTE).sent == 0
    assert not WeeklyDigest.objects.exists()


@pytest.mark.django_db
def test_an_agent_who_turned_it_off_gets_none(agent):
    _overdue(agent)
    type(agent).objects.filter(pk=agent.pk).update(weekly_digest=False)
    assert digest.digests_send(now=MONDAY_8AM + MINUTE).sent == 0
    assert not _digests(agent).exists() and not WeeklyDigest.objects.exists()


@pytest.mark.django_db
def test_removed_members_get_none(agent):
    _overdue(agent)
    type(agent).objects.filter(pk=agent.pk).update(is_active=False)
    assert digest.digests_send(now=MONDAY_8AM + MINUTE).sent == 0


@pytest.mark.django_db
def test_nothing_to_report_records_the_week_and_sends_no_email(agent):
    run = digest.digests_send(now=MONDAY_8AM + MINUTE)
    assert (run.sent, run.empty) == (0, 1)
    assert WeeklyDigest.objects.get(user=agent).email is None


# What it says ------------------------------------------------------------------------------


@pytest.mark.django_db
def test_it_lists_overdue_due_this_week_and_arrived_of_the_agents_own_requests(agent):
    overdue = _overdue(agent)
    due = LossRunRequestFactory(agency=agent.agency, owner=agent)
    LossRunRequest.objects.filter(pk=due.pk).update(
        created_at=MONDAY_8AM - 10 * DAY,
        first_request_on=(MONDAY_8AM - 8 * DAY).date(),
        second_request_due_at=MONDAY_8AM + 2 * DAY,
    )
    later = LossRunRequestFactory(agency=agent.agency, owner=agent)
    LossRunRequest.objects.filter(pk=later.pk).update(
        first_request_on=MONDAY_8AM.date(), second_request_due_at=MONDAY_8AM + 14 * DAY
    )
    arrived = LossRunRequestFactory(agency=agent.agency, owner=agent)
    LossRunRequest.objects.filter(pk=arrived.pk).update(received_on=(MONDAY_8AM - 2 * DAY).date())
    colleague = UserFactory(agency=agent.agency)
    theirs = _overdue(colleague)
    digest.digests_send(now=MONDAY_8AM + MINUTE)
    email = _digests(agent).get()
    text = email.text_body
    assert "OVERDUE (1)" in text and "DUE THIS WEEK (1)" in text and "(1)" in text
    assert overdue.insured.legal_name in text and "overdue since Mar 7, 2025, 8:00 AM" in text
    assert due.insured.legal_name in text and "due Mar 12, 2025, 8:00 AM" in text
    assert arrived.insured.legal_name in text and "received Mar 8, 2025" in text
    assert later.insured.legal_name not in text
    assert theirs.insured.legal_name not in text
    assert "1 overdue, 1 due, 1 arrived" in email.subject
    assert "Or turn it off on the Team page: http://testserver/agency/team/#digest" in text
    assert overdue.insured.legal_name in email.html_body


@pytest.mark.django_db
def test_the_team_page_turns_the_digest_off_and_on(client, agent):
    from django.urls import reverse

    client.force_login(agent)
    assert 'name="weekly_digest" checked' in client.get(reverse("accounts:team")).content.decode()
    client.post(reverse("accounts:digest_preference"), {})
    agent.refresh_from_db()
    assert agent.weekly_digest is False
    client.post(reverse("accounts:digest_preference"), {"weekly_digest": "on"})
    agent.refresh_from_db()
    assert agent.weekly_digest is True
