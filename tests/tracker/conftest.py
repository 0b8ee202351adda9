import datetime as dt

import pytest
import time_machine
from django.core import mail

from accounts.models import Agency
from tests.factories import AgencyFactory, LossRunRequestFactory, UserFactory
from tracker.schedule import request_schedule_refresh
from tracker.tasks import sweep as sweep_task


@pytest.fixture
def ny_agency(db):
    return AgencyFactory(
        name="Acme & Sons Agency",
        state="NY",
        time_zone="America/New_York",
        holiday_calendar=Agency.HolidayCalendar.FEDERAL,
        notify_time=dt.time(8, 0),
        copy_addresses="desk@acme.test\nBoss@Acme.test\n",
    )


@pytest.fixture
def make_request(ny_agency):
    def make(
        *, agency=None, created_at, first=None, second=None, received=None, owner=None, **kwargs
    ):
        agency = agency or ny_agency
        owner = owner or UserFactory(
            agency=agency, email=f"owner{UserFactory._meta.model.objects.count()}@acme.test"
        )
        req = LossRunRequestFactory(
            agency=agency,
            created_by=owner,
            created_at=created_at,
            first_request_on=first,
            second_request_at=second,
            received_on=received,
            **kwargs,
        )
        request_schedule_refresh(req)
        return req

    return make


@pytest.fixture
def beat(django_capture_on_commit_callbacks):
    """Run the beat task at a moment, with on-commit deliveries executed (eager Celery)."""

    def tick(moment):
        with (
            time_machine.travel(moment, tick=False),
            django_capture_on_commit_callbacks(execute=True),
        ):
            sweep_task.delay()
        return [m.subject for m in mail.outbox]

    return tick


def update(req, moment, **dates):
    with time_machine.travel(moment, tick=False):
        for name, value in dates.items():
            setattr(req, name, value)
        req.save()
        request_schedule_refresh(req)
