from unittest import mock

import pytest
from django.urls import reverse
from django.utils import timezone

from outbox.delivery import email_deliver
from outbox.models import Email
from outbox.services import email_queue
from tests.factories import AgencyFactory, StaffFactory


@pytest.fixture
def staff_client(client, db):
    client.force_login(StaffFactory())
    return client


def queue(subject, agency=None, kind="test.note"):
    return email_queue(
        kind=kind,
        to=["someone@example.test"],
        subject=subject,
        template="accounts/invitation",
        context={},
        agency=agency,
    )


@pytest.fixture
def rows(db):
    agency = AgencyFactory(name="Filter Agency")
    failed = queue("Failed one", agency, kind="helpdesk.agency_status")
    Email.objects.filter(pk=failed.pk).update(
        status=Email.Status.FAILED, attempts=3, last_error="SMTPServerDisconnected: gone"
    )
    sent = queue("Sent one", kind="accounts.password_reset")
    email_deliver(email_id=sent.pk)
    return {"agency": agency, "failed": failed, "sent": sent}


def listed(response) -> list[int]:
    return [e.pk for e in response.context["cl"].result_list]


def test_changelist_filters_by_status_kind_agency_and_date(
    staff_client, rows, django_assert_max_num_queries
):
    url = reverse("admin:outbox_email_changelist")
    with django_assert_max_num_queries(12):
        response = staff_client.get(url)
    assert response.status_code == 200
    assert "SMTPServerDisconnected: gone" in response.content.decode()  # the last error listed
    failed, sent = rows["failed"].pk, rows["sent"].pk
    assert listed(staff_client.get(url, {"status__exact": "failed"})) == [failed]
    assert listed(staff_client.get(url, {"kind__exact": "accounts.password_reset"})) == [sent]
    assert listed(staff_client.get(url, {"agency__id__exact": rows["agency"].pk})) == [failed]
    day = timezone.localdate(rows["sent"].created_at)  # the admin filters by local day
    by_day = staff_client.get(
        url,
        {"created_at__year": day.year, "created_at__month": day.month, "created_at__day": day.day},
    )
    assert set(listed(by_day)) == {failed, sent}
    assert listed(staff_client.get(url, {"q": "Failed one"})) == [failed]


def test_change_page_shows_the_error_and_the_bodies(staff_client, rows):
    response = staff_client.get(reverse("admin:outbox_email_change", args=[rows["failed"].pk]))
    html = response.content.decode()
    assert response.status_code == 200
    assert "SMTPServerDisconnected: gone" in html and rows["failed"].message_id.strip("<>") in html


def test_retry_now_goes_through_the_service_and_skips_sent_rows(
    staff_client, rows, django_capture_on_commit_callbacks
):
    url = reverse("admin:outbox_email_changelist")
    with (
        mock.patch("outbox.tasks.email_deliver.delay") as delay,
        django_capture_on_commit_callbacks(execute=True),
    ):
        response = staff_client.post(
            url,
            {"action": "retry_now", "_selected_action": [rows["failed"].pk, rows["sent"].pk]},
            follow=True,
        )
    html = response.content.decode()
    assert "1 e-mail(s) queued for delivery." in html
    assert "1 e-mail(s) skipped: already sent, being sent or cancelled." in html
    delay.assert_called_once_with(rows["failed"].pk)


def test_rows_cannot_be_added_edited_or_deleted(staff_client, rows):
    email = rows["failed"]
    assert staff_client.get(reverse("admin:outbox_email_add")).status_code == 403
    assert (
        staff_client.get(reverse("admin:outbox_email_delete", args=[email.pk])).status_code == 403
    )
    staff_client.post(reverse("admin:outbox_email_change", args=[email.pk]), {"subject": "x"})
    email.refresh_from_db()
    assert email.subject == "Failed one"
