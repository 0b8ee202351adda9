import datetime as dt
import re

import pytest
import time_machine
from django.core import mail
from django.core.exceptions import PermissionDenied, ValidationError
from django.utils import timezone

from accounts import services
from accounts.models import Agency, Invitation, User
from tests.accounts.factories import AgencyClosedDayFactory, InvitationFactory
from tests.factories import OwnerFactory, UserFactory
from tests.outbox_mail import deliver_outbox

GOOD_PASSWORD = "plum-tractor-velvet-42"


def signup(**overrides):
    data = {
        "agency_name": "Harbor & Main Insurance",
        "full_name": "Dana Whitfield",
        "email": "Dana@Harbor.test",
        "password": GOOD_PASSWORD,
        "state": "NJ",
        "time_zone": "America/New_York",
    }
    data.update(overrides)
    return services.agency_signup(**data)


# Sign-up -----------------------------------------------------------------------------------


@pytest.mark.django_db
def test_signup_creates_agency_and_owner():
    user = signup()
    assert user.role == User.Role.OWNER
    assert user.email == "dana@harbor.test"
    assert user.check_password(GOOD_PASSWORD)
    assert user.agency.name == "Harbor & Main Insurance"
    assert user.agency.slug == "harbor-main-insurance"
    assert user.agency.state == "NJ"


@pytest.mark.django_db
def test_signup_slug_is_unique():
    first = signup(email="a@harbor.test")
    second = signup(email="b@harbor.test")
    third = signup(email="c@harbor.test")
    assert [first.agency.slug, second.agency.slug, third.agency.slug] == [
        "harbor-main-insurance",
        "harbor-main-insurance-2",
        "harbor-main-insurance-3",
    ]


@pytest.mark.django_db
def test_signup_duplicate_email_case_insensitive():
    UserFactory(email="dana@harbor.test")
    with pytest.raises(ValidationError) as exc:
        signup(email="DANA@harbor.TEST")
    assert "email" in exc.value.message_dict
    assert Agency.objects.filter(name="Harbor & Main Insurance").exists() is False


@pytest.mark.django_db
def test_signup_weak_password_uses_validators():
    with pytest.raises(ValidationError) as exc:
        signup(password="short")
    messages = exc.value.message_dict["password1"]
    assert any("at least 10 characters" in m for m in messages)
    assert not User.objects.filter(email="dana@harbor.test").exists()


# Invitations -------------------------------------------------------------------------------


@pytest.mark.django_db
def test_invitation_create_sends_signed_link(agency, owner):
    invitation = services.invitation_create(
        agency=agency, invited_by=owner, email="New@Colleague.test"
    )
    assert invitation.email == "new@colleague.test"
    assert mail.outbox == []  # queued in the outbox; a worker sends it after the commit
    assert len(deliver_outbox()) == 1
    message = mail.outbox[0]
    assert message.to == ["new@colleague.test"]
    assert agency.name in message.subject
    urls = re.findall(r"http://testserver/invitations/[^/\s]+/", message.body)
    assert len(urls) == 1
    html, mimetype = message.alternatives[0]
    assert mimetype == "text/html"
    assert f'href="{urls[0]}"' in html
    token = urls[0].rstrip("/").rsplit("/", 1)[1]
    assert services.invitation_from_token(token) == invitation


@pytest.mark.django_db
def test_invitation_subject_is_not_html_escaped(owner):
    owner.agency.name = "Smith & Sons"
    owner.agency.save()
    services.invitation_create(agency=owner.agency, invited_by=owner, email="x@colleague.test")
    deliver_outbox()
    assert "Smith & Sons" in mail.outbox[0].subject
    assert "Smith & Sons" in mail.outbox[0].body
    assert "Smith &amp; Sons" in mail.outbox[0].alternatives[0][0]


@pytest.mark.django_db
def test_invitation_to_an_account_elsewhere_tells_its_holder_not_the_inviter(
    agency, owner, other_agency
):
    UserFactory(agency=other_agency, email="taken@colleague.test")
    invitation = services.invitation_create(
        agency=agency, invited_by=owner, email="TAKEN@colleague.test"
    )
    assert invitation.email == "taken@colleague.test" and invitation.is_open
    deliver_outbox()
    (message,) = mail.outbox
    assert "already has a Loss Run Vault account" in message.body
    with pytest.raises(services.InvitationInvalid):  # and it can never be accepted
        services.invitation_from_token(services.invitation_token(invitation))


@pytest.mark.django_db
def test_invitation_create_replaces_open_invitation_to_same_address(agency, owner):
    first = services.invitation_create(agency=agency, invited_by=owner, email="x@colleague.test")
    second = services.invitation_create(agency=agency, invited_by=owner, email="x@colleague.test")
    first.refresh_from_db()
    assert first.revoked_at is not None
    assert second.is_open
    with pytest.raises(services.InvitationInvalid, match="withdrawn"):
        services.invitation_from_token(services.invitation_token(first))


@pytest.mark.django_db
def test_invitation_create_with_smtp_down_keeps_the_invitation_and_retries_the_mail(agency, owner):
    from unittest import mock

    from outbox.models import Email

    with mock.patch(
        "django.core.mail.EmailMultiAlternatives.send",
        side_effect=ConnectionRefusedError("smtp down"),
    ):
        invitation = services.invitation_create(
            agency=agency, invited_by=owner, email="x@colleague.test"
        )
        assert deliver_outbox() == []
    email = Email.objects.get()
    assert email.status == Email.Status.FAILED and "smtp down" in email.last_error
    assert email.about == invitation and email.agency == agency
    assert len(deliver_outbox()) == 1 and len(deliver_outbox()) == 1


@pytest.mark.django_db
def test_invitation_token_expires(settings):
    invitation = InvitationFactory()
    token = services.invitation_token(invitation)
    with time_machine.travel(
        timezone.now() + dt.timedelta(seconds=settings.INVITATION_MAX_AGE - 60)
    ):
        assert services.invitation_from_token(token) == invitation
    later = timezone.now() + dt.timedelta(seconds=settings.INVITATION_MAX_AGE + 60)
    with time_machine.travel(later), pytest.raises(services.InvitationInvalid, match="expired"):
        services.invitation_from_token(token)


@pytest.mark.django_db
@pytest.mark.parametrize(
    "token",
    ["garbage", "1:1abcde:not-a-signature", ""],
)
def test_invitation_forged_token(token):
    InvitationFactory()
    with pytest.raises(services.InvitationInvalid, match="not valid") as exc:
        services.invitation_from_token(token)
    assert exc.value.status == 400


@pytest.mark.django_db
def test_invitation_token_signed_with_other_salt_is_forged():
    from django.core import signing

    invitation = InvitationFactory()
    token = signing.TimestampSigner(salt="something-else").sign(str(invitation.pk))
    with pytest.raises(services.InvitationInvalid, match="not valid"):
        services.invitation_from_token(token)


@pytest.mark.django_db
def test_invitation_accept_creates_member():
    invitation = InvitationFactory()
    user = services.invitation_accept(
        invitation=invitation, full_name="Sam Ortiz", password=GOOD_PASSWORD
    )
    assert user.agency == invitation.agency
    assert user.role == User.Role.MEMBER
    assert user.email == invitation.email
    invitation.refresh_from_db()
    assert invitation.accepted_at is not None
    with pytest.raises(services.InvitationInvalid, match="already used"):
        services.invitation_from_token(services.invitation_token(invitation))


@pytest.mark.django_db
def test_invitation_accept_weak_password():
    invitation = InvitationFactory()
    with pytest.raises(ValidationError) as exc:
        services.invitation_accept(invitation=invitation, full_name="Sam", password="1234567890")
    assert "password1" in exc.value.message_dict
    invitation.refresh_from_db()
    assert invitation.accepted_at is None


@pytest.mark.django_db
def test_invitation_accept_twice_is_refused():
    invitation = InvitationFactory()
    services.invitation_accept(invitation=invitation, full_name="Sam", password=GOOD_PASSWORD)
    with pytest.raises(services.InvitationInvalid):
        services.invitation_accept(invitation=invitation, full_name="Sam", password=GOOD_PASSWORD)


@pytest.mark.django_db
def test_invitation_to_address_registered_meanwhile():
    invitation = InvitationFactory()
    UserFactory(email=invitation.email.upper())
    with pytest.raises(services.InvitationInvalid, match="already exists"):
        services.invitation_from_token(services.invitation_token(invitation))


@pytest.mark.django_db
def test_invitation_revoke(agency):
    invitation = InvitationFactory(agency=agency)
    services.invitation_revoke(agency=agency, invitation=invitation)
    assert invitation.revoked_at is not None
    with pytest.raises(services.InvitationInvalid, match="withdrawn"):
        services.invitation_from_token(services.invitation_token(invitation))


@pytest.mark.django_db
def test_invitation_revoke_other_agency_refused(agency, other_agency):
    invitation = InvitationFactory(agency=other_agency)
    with pytest.raises(ValueError):
        services.invitation_revoke(agency=agency, invitation=invitation)
    invitation.refresh_from_db()
    assert invitation.revoked_at is None


@pytest.mark.django_db
def test_invitation_revoke_accepted_refused(agency):
    invitation = InvitationFactory(agency=agency, accepted_at=timezone.now())
    with pytest.raises(ValidationError, match="already accepted"):
        services.invitation_revoke(agency=agency, invitation=invitation)


# Members -----------------------------------------------------------------------------------


@pytest.mark.django_db
def test_member_remove_deactivates_and_keeps_agency(agency, owner, member):
    services.member_remove(agency=agency, actor=owner, user=member)
    member.refresh_from_db()
    assert member.is_active is False
    assert member.agency == agency


@pytest.mark.django_db
def test_member_remove_self_refused(agency, owner):
    OwnerFactory(agency=agency)
    with pytest.raises(ValidationError, match="yourself"):
        services.member_remove(agency=agency, actor=owner, user=owner)


@pytest.mark.django_db
def test_member_remove_co_owner_allowed(agency, owner):
    co_owner = OwnerFactory(agency=agency)
    services.member_remove(agency=agency, actor=owner, user=co_owner)
    co_owner.refresh_from_db()
    assert co_owner.is_active is False


@pytest.mark.django_db
def test_member_remove_last_owner_refused(agency, owner):
    # Two owners remove each other at the same moment: the second removal must fail.
    co_owner = OwnerFactory(agency=agency)
    stale_co_owner = User.objects.get(pk=co_owner.pk)
    services.member_remove(agency=agency, actor=co_owner, user=owner)
    with pytest.raises(ValidationError, match="last owner"):
        services.member_remove(
            agency=agency, actor=User.objects.get(pk=owner.pk), user=stale_co_owner
        )
    assert User.objects.filter(agency=agency, role=User.Role.OWNER, is_active=True).count() == 1


@pytest.mark.django_db
def test_member_remove_by_member_refused(agency, owner, member):
    other = UserFactory(agency=agency)
    with pytest.raises(PermissionDenied):
        services.member_remove(agency=agency, actor=member, user=other)
    other.refresh_from_db()
    assert other.is_active


@pytest.mark.django_db
def test_member_remove_other_agency_refused(agency, owner, other_agency):
    stranger = UserFactory(agency=other_agency)
    with pytest.raises(ValueError):
        services.member_remove(agency=agency, actor=owner, user=stranger)
    stranger.refresh_from_db()
    assert stranger.is_active


# Settings and closed days ------------------------------------------------------------------


def _settings_values(agency, **changes):
    values = {name: getattr(agency, name) for name in services.SETTINGS_FIELDS}
    values.update(changes)
    return values


@pytest.mark.django_db
def test_settings_update_normalises_copy_addresses(agency):
    services.agency_settings_update(
        **_settings_values(agency, copy_addresses="  a@x.test \n\n b@x.test  "), agency=agency
    )
    agency.refresh_from_db()
    assert agency.copy_address_list == ["a@x.test", "b@x.test"]


@pytest.mark.django_db
def test_settings_update_stores_and_names_changed_fields_only(agency):
    changed = services.agency_settings_update(
        **_settings_values(agency, phone="555-0100"), agency=agency
    )
    assert changed == ["phone"]
    agency.refresh_from_db()
    assert agency.phone == "555-0100"
    assert services.agency_settings_update(**_settings_values(agency), agency=agency) == []


@pytest.mark.django_db
def test_closed_day_duplicate_is_field_error(agency):
    AgencyClosedDayFactory(agency=agency, date=dt.date(2026, 12, 24))
    with pytest.raises(ValidationError) as exc:
        services.closed_day_add(agency=agency, date=dt.date(2026, 12, 24))
    assert "date" in exc.value.message_dict


@pytest.mark.django_db
def test_closed_day_remove_other_agency_refused(agency, other_agency):
    day = AgencyClosedDayFactory(agency=other_agency)
    with pytest.raises(ValueError):
        services.closed_day_remove(agency=agency, closed_day=day)


# Roles -------------------------------------------------------------------------------------


@pytest.mark.django_db
def test_member_set_role_promote_and_demote(agency, owner, member):
    services.member_set_role(agency=agency, actor=owner, user=member, role=User.Role.OWNER)
    member.refresh_from_db()
    assert member.is_agency_owner
    services.member_set_role(agency=agency, actor=member, user=owner, role=User.Role.MEMBER)
    owner.refresh_from_db()
    assert owner.role == User.Role.MEMBER


@pytest.mark.django_db
def test_member_set_role_keeps_one_owner(agency, owner):
    with pytest.raises(ValidationError, match="at least one owner"):
        services.member_set_role(agency=agency, actor=owner, user=owner, role=User.Role.MEMBER)
    owner.refresh_from_db()
    assert owner.is_agency_owner


@pytest.mark.django_db
def test_member_set_role_refusals(agency, owner, member, other_agency):
    with pytest.raises(PermissionDenied):
        services.member_set_role(agency=agency, actor=member, user=member, role=User.Role.OWNER)
    with pytest.raises(ValueError):
        services.member_set_role(
            agency=agency, actor=owner, user=UserFactory(agency=other_agency), role=User.Role.OWNER
        )
    with pytest.raises(ValidationError, match="Unknown role"):
        services.member_set_role(agency=agency, actor=owner, user=member, role="admin")
    removed = UserFactory(agency=agency, is_active=False)
    with pytest.raises(ValidationError, match="removed"):
        services.member_set_role(agency=agency, actor=owner, user=removed, role=User.Role.OWNER)
    member.refresh_from_db()
    assert member.role == User.Role.MEMBER


@pytest.mark.django_db
def test_invitation_create_by_member_refused(agency, member):
    with pytest.raises(PermissionDenied):
        services.invitation_create(agency=agency, invited_by=member, email="x@colleague.test")
    assert not Invitation.objects.exists()
