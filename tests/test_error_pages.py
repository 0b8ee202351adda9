import pytest
from django.urls import reverse

from tests.factories import StaffFactory

pytestmark = pytest.mark.django_db


def test_missing_page_is_a_friendly_404(client, owner):
    client.force_login(owner)
    response = client.get("/no-such-page/")
    assert response.status_code == 404
    assert "We couldn't find that" in response.text


def test_staff_on_an_agency_page_get_a_clear_403_with_the_admin_link(client):
    client.force_login(StaffFactory())
    response = client.get(reverse("vault:list"))
    assert response.status_code == 403
    assert "Staff work in the admin" in response.text
    assert reverse("admin:index") in response.text
