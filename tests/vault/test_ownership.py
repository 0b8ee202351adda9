"""Ownership (issue 18): a request's owner, the one "agent" function, "My requests" and the
owner column in the vault, invitations with a role, and removing a member with a handover."""

import datetime as dt

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.urls import reverse

from accounts import services as account_services
from accounts.models import Invitation, User
from tests.factories import AgencyFactory, LossRunRequestFactory, OwnerFactory, UserFactory
from tests.vault.test_views import builder_post
from vault import services, services_team
from vault.models import LossRunRequest
from vault.rules import PolicyData, agent_of, request_agent

pytestmark = pytest.mark.django_db


def _create(agency, user, **extra):
    req = LossRunRequestFactory(agency=agency)
    return services.request_create(
        agency=agency,
        user=user,
        insured=req.insured,
        carrier=req.carrier,
        policies=[PolicyData("GL-1", dt.date(2024, 1, 1), dt.date(2025, 1, 1))],
        **extra,
    )


# The owner and the agent -------------------------------------------------------------------


def test_a_new_request_is_owned_by_its_creator(agency, member):
    assert _create(agency, member).owner == member


def test_a_request_can_be_created_for_a_colleague(agency, owner, member):
    req = _create(agency, owner, owner=member)
    assert (req.created_by, req.owner) == (owner, member)


def test_an_owner_from_another_agency_or_removed_is_refused(agency, owner):
    with pytest.raises(ValidationError) as exc:
        _create(agency, owner, owner=UserFactory(agency=AgencyFactory()))
    assert "owner" in exc.value.message_dict
    gone = UserFactory(agency=agency, is_active=False)
    with pytest.raises(ValidationError):
        _create(agency, owner, owner=gone)


def test_request_agent_is_the_owner_else_the_creator(agency, owner, member):
    req = LossRunRequestFactory(agency=agency, created_by=owner, owner=member)
    assert request_agent(req) == member
    req.owner = None
    assert request_agent(req) == owner
    assert agent_of(None, None) is None


def test_the_owner_is_editable_on_the_request_page(owner_client, agency, owner, member):
    req = _create(agency, owner)
    url = reverse("vault:request_edit", kwargs={"request_id": req.pk})
    page = owner_client.get(url).content.decode()
    assert 'name="owner"' in page and member.get_full_name() in page
    post = builder_post(req.insured, req.carrier, owner=str(member.pk))
    post["policies-0-id"] = str(req.policies.get().pk)
    post["policies-INITIAL_FORMS"] = "1"
    assert owner_client.post(url, post).status_code == 302
    req.refresh_from_db()
    assert req.owner == member


def test_the_request_page_refuses_another_agencys_user_as_owner(owner_client, agency, owner):
    req = _create(agency, owner)
    stranger = UserFactory(agency=AgencyFactory())
    url = reverse("vault:request_edit", kwargs={"request_id": req.pk})
    post = builder_post(req.insured, req.carrier, owner=str(stranger.pk))
    post["policies-0-id"] = str(req.policies.get().pk)
    post["policies-INITIAL_FORMS"] = "1"
    response = owner_client.post(url, post)
    assert response.status_code == 200 and "owner" in response.context["form"].errors
    req.refresh_from_db()
    assert req.owner == owner


# The vault: owner column and filter --------------------------------------------------------


def test_the_vault_has_an_owner_column_and_my_requests(owner_client, agency, owner, member):
    mine = LossRunRequestFactory(agency=agency, created_by=owner, owner=owner)
    theirs = LossRunRequestFactory(agency=agency, created_by=member, owner=member)
    url = reverse("vault:list")
    html = owner_client.get(url).content.decode()
    assert ">Owner</th>" in html and member.get_full_name() in html
    rows = owner_client.get(url, {"owner": "me"}).context["page"].rows
    assert [r.req.pk for r in rows] == [mine.pk]
    rows = owner_client.get(url, {"owner": str(member.pk)}).context["page"].rows
    assert [r.req.pk for r in rows] == [theirs.pk]
    stranger = UserFactory(agency=AgencyFactory())
    response = owner_client.get(url, {"owner": str(stranger.pk)})
    assert response.status_code == 200 and len(response.context["page"].rows) == 2


def test_the_csv_export_names_the_owner(owner_client, agency, member):
    LossRunRequestFactory(agency=agency, created_by=member, owner=member)
    body = b"".join(owner_client.get(reverse("vault:export_csv")).streaming_content).decode()
    assert "Owner" in body.splitlines()[0] and member.get_full_name() in body


# Invitations set the role ------------------------------------------------------------------


@pytest.mark.parametrize("role", [User.Role.OWNER, User.Role.MEMBER])
def test_an_invitation_sets_the_role_the_new_member_gets(owner_client, agency, role):
    response = owner_client.post(
        reverse("accounts:invite"), {"email": "x@colleague.test", "role": role}
    )
    assert response.status_code == 302
    invitation = Invitation.objects.get(agency=agency, email="x@colleague.test")
    assert invitation.role == role
    user = account_services.invitation_accept(
        invitation=invitation, full_name="Xavier Colleague", password="a-long-pass-phrase-9"
    )
    assert user.role == role


def test_an_invitation_without_a_role_makes_a_member(owner_client, agency):
    owner_client.post(reverse("accounts:invite"), {"email": "y@colleague.test"})
    assert Invitation.objects.get(email="y@colleague.test").role == User.Role.MEMBER


# Removing a member: who takes over ---------------------------------------------------------


def test_removing_a_member_asks_who_takes_over_their_open_requests(
    owner_client, agency, owner, member
):
    open_ = LossRunRequestFactory(agency=agency, owner=member)
    done = LossRunRequestFactory(agency=agency, owner=member, received_on=dt.date(2025, 3, 1))
    colleague = UserFactory(agency=agency, full_name="Casey Colleague")
    url = reverse("accounts:member_remove", kwargs={"user_id": member.pk})
    page = owner_client.get(url).content.decode()
    assert "owns 1 open request" in page and "Casey Colleague" in page
    # Nobody chosen: nothing happens, the question is asked again.
    response = owner_client.post(url, {"successor": ""})
    assert response.status_code == 200 and "Choose who takes over" in response.content.decode()
    member.refresh_from_db()
    assert member.is_active
    response = owner_client.post(url, {"successor": str(colleague.pk)})
    assert response.status_code == 302
    member.refresh_from_db()
    open_.refresh_from_db()
    done.refresh_from_db()
    assert not member.is_active
    assert open_.owner == colleague and done.owner == member  # history keeps its owner


def test_a_member_without_open_requests_is_removed_without_a_choice(owner_client, agency, member):
    url = reverse("accounts:member_remove", kwargs={"user_id": member.pk})
    assert "nothing needs to change hands" in owner_client.get(url).content.decode()
    assert owner_client.post(url).status_code == 302
    member.refresh_from_db()
    assert not member.is_active


def test_the_handover_is_all_or_nothing(agency, owner):
    """Removing the last owner fails, and so the reassignment before it is rolled back."""
    co_owner_requests = LossRunRequestFactory(agency=agency, owner=owner)
    with pytest.raises(ValidationError):
        services_team.member_remove_with_handover(
            agency=agency, actor=owner, user=owner, successor=UserFactory(agency=agency)
        )
    co_owner_requests.refresh_from_db()
    assert co_owner_requests.owner == owner


def test_only_an_owner_removes_and_only_to_a_colleague_of_the_agency(agency, owner, member):
    LossRunRequestFactory(agency=agency, owner=member)
    with pytest.raises(PermissionDenied):
        services_team.member_remove_with_handover(
            agency=agency, actor=UserFactory(agency=agency), user=member, successor=owner
        )
    assert LossRunRequest.objects.get(agency=agency).owner == member
    with pytest.raises(ValidationError):
        services_team.member_remove_with_handover(
            agency=agency, actor=owner, user=member, successor=OwnerFactory(agency=AgencyFactory())
        )
    member.refresh_from_db()
    assert member.is_active
