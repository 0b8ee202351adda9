"""Staff admin: carrier directory (search, private vs platform, promotion) and requests."""

import datetime as dt

import pytest
from django.urls import reverse

from tests.factories import AgencyFactory, CarrierFactory, LossRunRequestFactory, StaffFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def staff_client(client):
    client.force_login(StaffFactory())
    return client


def test_promote_private_carriers_to_the_platform_directory(staff_client):
    agency = AgencyFactory()
    private = CarrierFactory(agency=agency, legal_name="Local Mutual")
    platform = CarrierFactory(legal_name="Big Casualty")
    response = staff_client.post(
        reverse("admin:vault_carrier_changelist"),
        {"action": "promote_to_platform", "_selected_action": [private.pk, platform.pk]},
    )
    assert response.status_code == 302
    private.refresh_from_db()
    assert private.agency is None


def test_carrier_changelist_filters_and_search(staff_client):
    CarrierFactory(agency=AgencyFactory(), legal_name="Private Mutual", naic_code="11111")
    CarrierFactory(legal_name="Platform Casualty", naic_code="22222")
    url = reverse("admin:vault_carrier_changelist")
    html = staff_client.get(url, {"directory": "private"}).content.decode()
    assert "Private Mutual" in html and "Platform Casualty" not in html
    html = staff_client.get(url, {"q": "22222"}).content.decode()
    assert "Platform Casualty" in html and "Private Mutual" not in html


def test_request_admin_pages_render(staff_client):
    req = LossRunRequestFactory(policies=["GL-1"])
    assert staff_client.get(reverse("admin:vault_lossrunrequest_changelist")).status_code == 200
    change = reverse("admin:vault_lossrunrequest_change", args=[req.pk])
    assert "GL-1" in staff_client.get(change).content.decode()
    history = reverse("admin:vault_lossrunrequest_history", args=[req.pk])
    assert staff_client.get(history).status_code == 200
    for name in ("vault_insured", "vault_policy", "vault_document", "vault_carrier"):
        assert staff_client.get(reverse(f"admin:{name}_changelist")).status_code == 200


def _admin_post(req, policy, **changes):
    data = {
        "agency": req.agency_id,
        "insured": req.insured_id,
        "carrier": req.carrier_id,
        "years_requested": 5,
        "recipient_name": "",
        "recipient_email": "",
        "created_by": req.created_by_id,
        "notes": "",
        "policies-TOTAL_FORMS": "1",
        "policies-INITIAL_FORMS": "1",
        "policies-MIN_NUM_FORMS": "0",
        "policies-MAX_NUM_FORMS": "1000",
        "policies-0-id": policy.pk,
        "policies-0-request": req.pk,
        "policies-0-policy_number": "GL-1",
        "policies-0-line_of_business": "GL",
        "policies-0-term_start": "2024-01-01",
        "policies-0-term_end": "2025-01-01",
    }
    data.update(changes)
    return data


@pytest.mark.parametrize("typed", ["1989-03-03", "2999-01-01"])
def test_admin_answers_a_mistyped_date_with_a_field_error_not_a_500(staff_client, typed):
    req = LossRunRequestFactory(policies=["GL-1"])
    change = reverse("admin:vault_lossrunrequest_change", args=[req.pk])
    response = staff_client.post(
        change, _admin_post(req, req.policies.get(), first_request_on=typed)
    )
    assert response.status_code == 200
    text = response.content.decode()
    assert "more than 90 days before" in text or "cannot be in the future" in text
    req.refresh_from_db()
    assert req.first_request_on is None


def test_admin_edit_of_dates_refreshes_the_schedule(staff_client):
    req = LossRunRequestFactory(
        policies=["GL-1"], created_at=dt.datetime(2025, 3, 1, tzinfo=dt.UTC)
    )
    policy = req.policies.get()
    change = reverse("admin:vault_lossrunrequest_change", args=[req.pk])
    data = {
        "agency": req.agency_id,
        "insured": req.insured_id,
        "carrier": req.carrier_id,
        "years_requested": 5,
        "recipient_name": "",
        "recipient_email": "",
        "created_by": req.created_by_id,
        "first_request_on": "2025-03-03",
        "notes": "",
        "policies-TOTAL_FORMS": "1",
        "policies-INITIAL_FORMS": "1",
        "policies-MIN_NUM_FORMS": "0",
        "policies-MAX_NUM_FORMS": "1000",
        "policies-0-id": policy.pk,
        "policies-0-request": req.pk,
        "policies-0-policy_number": "GL-1",
        "policies-0-line_of_business": "GL",
        "policies-0-term_start": "2024-01-01",
        "policies-0-term_end": "2025-01-01",
    }
    response = staff_client.post(change, data)
    assert response.status_code == 302, response.content.decode()[:2000]
    req.refresh_from_db()
    assert req.first_request_on == dt.date(2025, 3, 3)
    assert req.second_request_due_at is not None
