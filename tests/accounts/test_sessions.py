"""A member's sessions end when the agency removes them or changes their role."""

import pytest
from django.test import Client
from django.urls import reverse

from accounts.models import User
from tests.factories import OwnerFactory, StaffFactory


@pytest.mark.django_db
def test_restored_member_does_not_get_the_old_session_back(owner_client, member):
    client = Client()
    client.force_login(member)
    assert client.get(reverse("accounts:team")).status_code == 200
    owner_client.post(reverse("accounts:member_remove", kwargs={"user_id": member.pk}))
    owner_client.post(reverse("accounts:member_restore", kwargs={"user_id": member.pk}))
    response = client.get(reverse("accounts:team"))
    assert response.status_code == 302
    assert response.url.startswith(reverse("login"))
    assert (
        client.post(
            reverse("login"), {"username": member.email, "password": "correct-horse-battery"}
        ).status_code
        == 302
    )  # restored: signing in again works


@pytest.mark.django_db
@pytest.mark.parametrize("new_role", [User.Role.OWNER, User.Role.MEMBER])
def test_role_change_ends_the_members_sessions(owner_client, agency, member, new_role):
    if new_role == User.Role.MEMBER:
        member.role = User.Role.OWNER
        member.save()
    client = Client()
    client.force_login(member)
    assert client.get(reverse("accounts:team")).status_code == 200
    owner_client.post(
        reverse("accounts:member_role", kwargs={"user_id": member.pk}), {"role": new_role}
    )
    member.refresh_from_db()
    assert member.role == new_role
    assert client.get(reverse("accounts:team")).status_code == 302


@pytest.mark.django_db
def test_owner_stepping_down_stays_signed_in(owner_client, agency, owner):
    OwnerFactory(agency=agency)
    owner_client.post(
        reverse("accounts:member_role", kwargs={"user_id": owner.pk}), {"role": User.Role.MEMBER}
    )
    owner.refresh_from_db()
    assert owner.role == User.Role.MEMBER
    assert owner_client.get(reverse("accounts:team")).status_code == 200


@pytest.mark.django_db
def test_staff_changing_a_role_in_the_admin_ends_the_sessions(member):
    client = Client()
    client.force_login(member)
    staff_client = Client()
    staff_client.force_login(StaffFactory(is_superuser=True))
    url = reverse("admin:accounts_user_change", args=[member.pk])
    form = staff_client.get(url).context["adminform"].form
    data = {name: form.initial.get(name) for name in form.fields}
    data = {k: ("" if v is None else v) for k, v in data.items()}
    data.update(agency=member.agency_id, role=User.Role.OWNER, is_active="on")
    data.pop("is_staff"), data.pop("is_superuser"), data.pop("groups"), data.pop("user_permissions")
    data["last_login_0"] = data["last_login_1"] = ""
    data["date_joined_0"], data["date_joined_1"] = "2026-01-02", "10:00:00"
    response = staff_client.post(url, data)
    assert response.status_code == 302, response.context["adminform"].form.errors
    member.refresh_from_db()
    assert member.role == User.Role.OWNER
    assert client.get(reverse("accounts:team")).status_code == 302
