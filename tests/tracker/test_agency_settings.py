"""Settings changes that move deadlines: accounts stores, the tracker re-times open requests."""

import datetime as dt

import pytest

from accounts import services
from accounts.models import Agency
from tests.factories import LossRunRequestFactory
from tracker import agency_settings


def _settings_values(agency, **changes):
    values = {name: getattr(agency, name) for name in services.SETTINGS_FIELDS}
    values.update(changes)
    return values


@pytest.fixture
def refreshed(monkeypatch):
    calls = []
    import tracker.schedule

    real = tracker.schedule.agency_schedule_refresh

    def spy(*, agency):
        count = real(agency=agency)
        calls.append(count)
        return count

    monkeypatch.setattr(tracker.schedule, "agency_schedule_refresh", spy)
    return calls


@pytest.mark.django_db
def test_settings_update_without_schedule_change_does_not_refresh(agency, refreshed):
    LossRunRequestFactory(agency=agency)
    changed = agency_settings.agency_settings_save(
        **_settings_values(agency, phone="555-0100"), agency=agency
    )
    assert changed == ["phone"]
    agency.refresh_from_db()
    assert agency.phone == "555-0100"
    assert refreshed == []


@pytest.mark.django_db
@pytest.mark.parametrize(
    "change",
    [
        {"time_zone": "America/Chicago"},
        {"notify_time": dt.time(9, 30)},
        {"work_opens": dt.time(6, 0), "notify_time": dt.time(6, 30)},
        {"work_closes": dt.time(17, 0)},
        {"holiday_calendar": Agency.HolidayCalendar.FEDERAL_AND_STATE},
        {"state": "CA"},
    ],
)
def test_settings_update_refreshes_open_requests_only(agency, other_agency, refreshed, change):
    LossRunRequestFactory(agency=agency)
    LossRunRequestFactory(agency=agency, received_on=dt.date(2026, 1, 5))
    LossRunRequestFactory(agency=other_agency)
    agency_settings.agency_settings_save(**_settings_values(agency, **change), agency=agency)
    assert refreshed == [1]  # one pass over the agency's one open request


@pytest.mark.django_db
def test_settings_update_moves_due_date_with_notify_time(agency):
    req = LossRunRequestFactory(agency=agency, first_request_on=dt.date(2026, 3, 2))
    import tracker.schedule

    tracker.schedule.request_schedule_refresh(req)
    before = req.second_request_due_at
    agency_settings.agency_settings_save(
        **_settings_values(agency, notify_time=dt.time(10, 0)), agency=agency
    )
    req.refresh_from_db()
    assert req.second_request_due_at - before == dt.timedelta(hours=2)


@pytest.mark.django_db
def test_closed_day_add_and_remove_refresh_schedule(agency, refreshed):
    # First request Mon 2026-03-02; the 10th business day after it is Mon 2026-03-16.
    req = LossRunRequestFactory(agency=agency, first_request_on=dt.date(2026, 3, 2))
    import tracker.schedule

    tracker.schedule.request_schedule_refresh(req)
    due_before = req.second_request_due_at.astimezone(agency.tz).date()
    assert due_before == dt.date(2026, 3, 16)
    refreshed.clear()

    day = agency_settings.agency_closed_day_add(
        agency=agency, date=dt.date(2026, 3, 10), reason="Move"
    )
    req.refresh_from_db()
    assert req.second_request_due_at.astimezone(agency.tz).date() == dt.date(2026, 3, 17)
    assert refreshed == [1]  # one open request recomputed

    agency_settings.agency_closed_day_remove(agency=agency, closed_day=day)
    req.refresh_from_db()
    assert req.second_request_due_at.astimezone(agency.tz).date() == dt.date(2026, 3, 16)


def test_settings_save_re_times_every_open_request_in_bounded_queries(
    make_request, ny_agency, django_assert_max_num_queries
):
    """300 open requests with a queued, unsent notice each: one settings save withdraws the
    e-mails and re-times all of them (requests and notices) in a fixed number of queries."""
    from zoneinfo import ZoneInfo

    from outbox.models import Email
    from tracker.models import Notification
    from tracker.services import sweep

    ny = ZoneInfo("America/New_York")
    created = dt.datetime(2026, 3, 2, 10, 0, tzinfo=ny)
    owner = make_request(created_at=created).created_by
    for _ in range(299):
        make_request(created_at=created, owner=owner)
    sweep(now=dt.datetime(2026, 3, 4, 8, 0, tzinfo=ny))
    assert Notification.objects.filter(status=Notification.Status.QUEUED).count() == 300
    with django_assert_max_num_queries(20):
        changed = agency_settings.agency_settings_save(
            **_settings_values(ny_agency, notify_time=dt.time(9, 30)), agency=ny_agency
        )
    assert "notify_time" in changed
    due = set(Notification.objects.values_list("due_at", "status", "email"))
    assert due == {(dt.datetime(2026, 3, 4, 9, 30, tzinfo=ny), Notification.Status.PENDING, None)}
    assert set(Email.objects.values_list("status", flat=True)) == {Email.Status.CANCELLED}
    assert not open_request_without_due(ny_agency)


def open_request_without_due(agency):
    from vault.models import LossRunRequest

    return LossRunRequest.objects.filter(
        agency=agency, received_on__isnull=True, next_due_at__isnull=True
    ).exists()
