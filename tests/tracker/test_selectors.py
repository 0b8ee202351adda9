import datetime as dt
from zoneinfo import ZoneInfo

from tests.factories import AgencyFactory
from tracker.models import Notification
from tracker.selectors import notifications_for_request
from tracker.services import sweep

NY = ZoneInfo("America/New_York")


def test_history_is_the_requests_notices_in_due_order(make_request, django_assert_num_queries):
    req = make_request(created_at=dt.datetime(2026, 3, 2, 10, tzinfo=NY))
    other = make_request(created_at=dt.datetime(2026, 3, 2, 10, tzinfo=NY))
    sweep(now=dt.datetime(2026, 3, 4, 8, tzinfo=NY))
    sweep(now=dt.datetime(2026, 3, 9, 8, tzinfo=NY))
    with django_assert_num_queries(1):
        got = list(notifications_for_request(agency=req.agency, request=req))
    assert [n.milestone for n in got] == [
        "first_request_reminder_day2",
        "first_request_reminder_day5",
    ]
    assert all(n.request_id == req.pk for n in got)
    assert Notification.objects.filter(request=other).count() == 2


def test_history_of_another_agency_is_empty(make_request):
    req = make_request(created_at=dt.datetime(2026, 3, 2, 10, tzinfo=NY))
    sweep(now=dt.datetime(2026, 3, 4, 8, tzinfo=NY))
    assert notifications_for_request(agency=req.agency, request=req).count() == 1
    assert notifications_for_request(agency=AgencyFactory(), request=req).count() == 0
