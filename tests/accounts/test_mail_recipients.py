import pytest

from accounts.models import User
from accounts.selectors import agency_mail_recipients
from tests.factories import AgencyFactory, OwnerFactory, UserFactory


@pytest.fixture
def agency(db):
    return AgencyFactory(
        email="office@agency.test", copy_addresses="Desk@agency.test\nboss@agency.test\n"
    )


def test_the_user_then_the_copy_addresses_without_duplicates(agency):
    user = UserFactory(agency=agency, email="desk@agency.test")
    assert agency_mail_recipients(agency=agency, user=user) == [
        "desk@agency.test",
        "boss@agency.test",
    ]
    assert agency_mail_recipients(agency=agency) == ["Desk@agency.test", "boss@agency.test"]


def test_an_inactive_user_or_one_of_another_agency_is_left_out(agency):
    gone = UserFactory(agency=agency, is_active=False)
    stranger = UserFactory(agency=AgencyFactory())
    for user in (gone, stranger):
        assert agency_mail_recipients(agency=agency, user=user) == [
            "Desk@agency.test",
            "boss@agency.test",
        ]


def test_with_nobody_left_the_owners_then_the_agency_address(agency):
    agency.copy_addresses = ""
    agency.save()
    gone = UserFactory(agency=agency, is_active=False)
    owner = OwnerFactory(agency=agency)
    UserFactory(agency=agency, role=User.Role.MEMBER)
    assert agency_mail_recipients(agency=agency, user=gone) == [owner.email]
    owner.is_active = False
    owner.save()
    assert agency_mail_recipients(agency=agency, user=gone) == ["office@agency.test"]
    agency.email = ""
    agency.save()
    assert agency_mail_recipients(agency=agency, user=gone) == []
