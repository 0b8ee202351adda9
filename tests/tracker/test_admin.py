import datetime as dt
from unittest import mock
from zoneinfo import ZoneInfo

import pytest
from django.urls import reverse

from outbox.models import Email
from tests.factories import StaffFactory
from tracker.models import Notification
from tracker.services import sweep

NY = ZoneInfo("America/New_York")


@pytest.fixture
def staff_client(client, db):
    client.force_login(StaffFactory())
    return client


@pytest.fixture
def notice(make_request):
    req = make_request(created_at=dt.datetime(2026, 3, 2, 10, tzinfo=NY))
    sweep(now=dt.datetime(2026, 3, 4, 8, tzinfo=NY))
    return Notification.objects.get(request=req)


def test_changelist_filters_and_search(staff_client, notice, settings):
    settings.ROOT_URLCONF = "config.urls"
    url = reverse("admin:tracker_notification_changelist")
    assert staff_client.get(url).status_code == 200
    assert (
        staff_client.get(
            url, {"status__exact": "queued", "milestone__exact": notice.milestone}
        ).status_code
        == 200
    )
    response = staff_client.get(url, {"q": notice.request.insured.legal_name})
    assert response.status_code == 200 and str(notice.request.insured) in response.content.decode()
    assert (
        staff_client.get(reverse("admin:tracker_notification_change", args=[notice.pk])).status_code
        == 200
    )


def test_retry_now_action_enqueues_failed_notices(
    staff_client, notice, settings, django_capture_on_commit_callbacks
):
    settings.ROOT_URLCONF = "config.urls"
    Email.objects.filter(pk=notice.email_id).update(status=Email.Status.FAILED, last_error="boom")
    url = reverse("admin:tracker_notification_changelist")
    with (
        mock.patch("outbox.tasks.email_deliver.delay") as delay,
        django_capture_on_commit_callbacks(execute=True),
    ):
        response = staff_client.post(
            url, {"action": "retry_now", "_selected_action": [notice.pk]}, follow=True
        )
    assert response.status_code == 200
    assert "1 notice(s) queued" in response.content.decode()
    delay.assert_called_once_with(notice.email_id)
