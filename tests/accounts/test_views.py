import datetime as dt
import re

import pytest
import time_machine
from django.core import mail
from django.urls import reverse
from django.utils import timezone

from accounts import services
from accounts.models import Agency, AgencyClosedDay, Invitation, User
from accounts.views import landing_url
from outbox.models import Email
from tests.accounts.factories import AgencyClosedDayFactory, InvitationFactory
from tests.factories import OwnerFactory, UserFactory
from tests.outbox_mail import deliver_outbox

GOOD_PASSWORD = "plum-tractor-velvet-42"

SIGNUP = {
    "agency_name": "Harbor & Main Insurance",
    "full_name": "Dana Whitfield",
    "email": "dana@harbor.test",
    "password1": GOOD_PASSWORD,
    "password2": GOOD_PASSWORD,
    "state": "NJ",
    "time_zone": "America/Chicago",
}


def _errors(response, field):
    return response.context["form"].errors.get(field, [])


# Sign-up -----------------------------------------------------------------------------------


def finish_link(email: str) -> str:
    """The sign-up link e-mailed to `email` (path only, for the test client)."""
    (message,) = [m for m in deliver_outbox() if m.to == [email]]
    links = re.findall(r"https?://testserver(/signup/finish/[^\s\"<]+/)", message.body)
    assert links, message.body
    return links[0]


def finish(client, data=None, **passwords):
    """Sign-up's two steps: the details, then the password behind the e-mailed link."""
    data = data or SIGNUP
    step1 = client.post(reverse("accounts:signup"), data)
    assert step1.status_code == 302 and step1.url == reverse("accounts:signup_sent")
    return client.post(
        finish_link(data["email"].lower()),
        {"password1": GOOD_PASSWORD, "password2": GOOD_PASSWORD, **passwords},
    )


@pytest.mark.django_db
def test_signup_page_renders(client):
    response = client.get(reverse("accounts:signup"))
    assert response.status_code == 200
    for label in ["Agency name", "Your name", "Your e-mail address", "Time zone"]:
        assert label in response.text


@pytest.mark.django_db
def test_signup_mails_a_link_and_creates_nothing_yet(client):
    response = client.post(reverse("accounts:signup"), SIGNUP, follow=True)
    assert "Check your e-mail" in response.text
    assert "dana@harbor.test" in response.text
    assert not User.objects.exists() and not Agency.objects.exists()
    (message,) = deliver_outbox()
    assert message.subject == "Finish signing up Harbor & Main Insurance on Loss Run Vault"
    page = client.get(finish_link("dana@harbor.test"))
    assert "Finish signing up Harbor &amp; Main Insurance" in page.text
    assert "dana@harbor.test" in page.text


@pytest.mark.django_db
def test_signup_creates_agency_signs_in_and_lands(client):
    response = finish(client)
    assert response.status_code == 302
    assert response.url == landing_url()
    user = User.objects.get(email="dana@harbor.test")
    assert user.is_agency_owner
    assert user.agency.time_zone == "America/Chicago"
    assert client.session["_auth_user_id"] == str(user.pk)
    follow = client.get(reverse("accounts:team"))
    assert follow.status_code == 200
    assert "Harbor &amp; Main Insurance" in follow.text


@pytest.mark.django_db
def test_signup_link_works_once(client):
    finish(client)
    client.post(reverse("logout"))
    response = client.get(finish_link("dana@harbor.test"))
    assert response.status_code == 410
    assert "already exists. Sign in instead." in response.text
    assert Agency.objects.count() == 1


@pytest.mark.django_db
def test_signup_link_forged_or_expired(client):
    assert client.get("/signup/finish/not-a-token/").status_code == 400
    client.post(reverse("accounts:signup"), SIGNUP)
    link = finish_link("dana@harbor.test")
    with time_machine.travel(timezone.now() + dt.timedelta(days=3)):
        response = client.get(link)
    assert response.status_code == 410
    assert "expired" in response.text


@pytest.mark.django_db
@pytest.mark.parametrize(
    ("password", "message"),
    [
        ("short", "at least 10 characters"),
        ("1234567890123", "entirely numeric"),
        ("password123", "too common"),
        ("harbor.test", "too similar to the email"),
    ],
)
def test_signup_weak_password_shows_validator_message(client, password, message):
    response = finish(client, password1=password, password2=password)
    assert response.status_code == 200
    assert any(message in e for e in _errors(response, "password1"))
    assert not User.objects.exists()


@pytest.mark.django_db
def test_signup_password_mismatch(client):
    response = finish(client, password2=GOOD_PASSWORD + "x")
    assert _errors(response, "password2") == ["The two passwords do not match."]
    assert not User.objects.exists()


@pytest.mark.django_db
def test_signup_missing_fields(client):
    response = client.post(reverse("accounts:signup"), {})
    assert response.status_code == 200
    for field in ["agency_name", "full_name", "email", "state"]:
        assert _errors(response, field) == ["This field is required."]
    assert mail.outbox == []


@pytest.mark.django_db
def test_signup_when_signed_in_redirects(owner_client):
    response = owner_client.get(reverse("accounts:signup"))
    assert response.status_code == 302


@pytest.mark.django_db
def test_signup_lands_on_today(client):
    response = finish(client)
    assert response.url == reverse("vault:today") == landing_url()


@pytest.mark.django_db
def test_signup_slug_taken_meanwhile(monkeypatch):
    from accounts.services import agency_signup
    from tests.factories import AgencyFactory

    AgencyFactory(slug="harbor-main-insurance")
    monkeypatch.setattr("accounts.services._unique_slug", lambda name: "harbor-main-insurance")
    user = agency_signup(
        agency_name="Harbor & Main Insurance",
        full_name="Dana",
        email="dana@harbor.test",
        password=GOOD_PASSWORD,
        state="NJ",
        time_zone="America/New_York",
    )
    assert user.agency.slug.startswith("harbor-main-insurance-")


# Sign-in / sign-out ------------------------------------------------------------------------


@pytest.mark.django_db
def test_login_page_renders(client):
    response = client.get(reverse("login"))
    assert response.status_code == 200
    assert "Forgot your password?" in response.text
    assert reverse("accounts:signup") in response.text


@pytest.mark.django_db
def test_login_with_email_any_case(client, settings, owner):
    response = client.post(
        reverse("login"), {"username": owner.email.upper(), "password": "correct-horse-battery"}
    )
    assert response.status_code == 302
    assert client.session["_auth_user_id"] == str(owner.pk)


@pytest.mark.django_db
def test_login_wrong_password_is_clear(client, owner):
    response = client.post(reverse("login"), {"username": owner.email, "password": "wrong-one-123"})
    assert response.status_code == 200
    assert "Please enter a correct" in response.text
    assert f'value="{owner.email}"' in response.text
    assert "_auth_user_id" not in client.session


@pytest.mark.django_db
def test_removed_member_cannot_sign_in(client, member):
    member.is_active = False
    member.save()
    response = client.post(
        reverse("login"), {"username": member.email, "password": "correct-horse-battery"}
    )
    assert response.status_code == 200
    assert "_auth_user_id" not in client.session


@pytest.mark.django_db
def test_password_change(owner_client, owner):
    page = owner_client.get(reverse("password_change"))
    assert page.status_code == 200
    assert "Your password" in page.text
    response = owner_client.post(
        reverse("password_change"),
        {
            "old_password": "correct-horse-battery",
            "new_password1": "short",
            "new_password2": "short",
        },
    )
    assert "at least 10 characters" in response.text
    response = owner_client.post(
        reverse("password_change"),
        {
            "old_password": "correct-horse-battery",
            "new_password1": GOOD_PASSWORD,
            "new_password2": GOOD_PASSWORD,
        },
    )
    assert response.status_code == 302
    owner.refresh_from_db()
    assert owner.check_password(GOOD_PASSWORD)


@pytest.mark.django_db
def test_logout_is_post_only(owner_client):
    assert owner_client.get(reverse("logout")).status_code == 405
    response = owner_client.post(reverse("logout"))
    assert response.status_code == 302
    assert "_auth_user_id" not in owner_client.session


@pytest.mark.django_db
def test_lockout_after_five_failures(client, settings, owner):
    settings.AXES_ENABLED = True
    for _ in range(4):
        response = client.post(
            reverse("login"), {"username": owner.email, "password": "nope-nope-nope"}
        )
        assert response.status_code == 200
    response = client.post(
        reverse("login"), {"username": owner.email, "password": "nope-nope-nope"}
    )
    assert response.status_code == 429
    assert "Too many sign-in attempts" in response.text
    assert (
        "After 5 wrong passwords, sign-in for this account is paused for 60 minutes"
        in response.text
    )
    assert reverse("password_reset") in response.text


@pytest.mark.django_db
def test_lockout_refuses_even_the_right_password(client, settings, owner):
    settings.AXES_ENABLED = True
    for _ in range(5):
        client.post(reverse("login"), {"username": owner.email, "password": "nope-nope-nope"})
    response = client.post(
        reverse("login"), {"username": owner.email, "password": "correct-horse-battery"}
    )
    assert response.status_code == 429
    assert "_auth_user_id" not in client.session


@pytest.mark.django_db
def test_four_failures_do_not_lock_out(client, settings, owner):
    settings.AXES_ENABLED = True
    for _ in range(4):
        client.post(reverse("login"), {"username": owner.email, "password": "nope-nope-nope"})
    response = client.post(
        reverse("login"), {"username": owner.email, "password": "correct-horse-battery"}
    )
    assert response.status_code == 302


# Password reset ----------------------------------------------------------------------------


def _reset_link(body: str) -> str:
    links = re.findall(r"https?://[^\s\"<]+/accounts/reset/[^\s\"<]+/", body)
    assert links, body
    return links[0]


@pytest.mark.django_db
def test_password_reset_full_flow(client, owner):
    response = client.post(reverse("password_reset"), {"email": owner.email.upper()})
    assert response.status_code == 302
    assert mail.outbox == []  # the request only queued it
    queued = Email.objects.get()
    assert queued.kind == "accounts.password_reset" and queued.about == owner
    assert queued.agency is None  # platform mail: colleagues never see the link
    deliver_outbox()
    assert len(mail.outbox) == 1
    message = mail.outbox[0]
    assert message.subject == "Reset your Loss Run Vault password"
    link = _reset_link(message.body)
    assert link.startswith("http://testserver/")

    confirm = client.get(link, follow=True)
    assert confirm.status_code == 200
    assert "Choose a new password" in confirm.text
    form_url = confirm.redirect_chain[-1][0]
    done = client.post(form_url, {"new_password1": GOOD_PASSWORD, "new_password2": GOOD_PASSWORD})
    assert done.status_code == 302
    owner.refresh_from_db()
    assert owner.check_password(GOOD_PASSWORD)

    # The link works once.
    again = client.get(link, follow=True)
    assert "This link has expired or was already used" in again.text
    assert reverse("password_reset") in again.text


@pytest.mark.django_db
def test_password_reset_unknown_email_sends_nothing_but_says_the_same(client):
    response = client.post(reverse("password_reset"), {"email": "nobody@nowhere.test"}, follow=True)
    deliver_outbox()
    assert "Check your e-mail" in response.text
    assert mail.outbox == []


@pytest.mark.django_db
def test_password_reset_expired_link(client, owner, settings):
    client.post(reverse("password_reset"), {"email": owner.email})
    deliver_outbox()
    link = _reset_link(mail.outbox[0].body)
    later = timezone.now() + dt.timedelta(seconds=settings.PASSWORD_RESET_TIMEOUT + 60)
    with time_machine.travel(later):
        response = client.get(link, follow=True)
    assert "This link has expired or was already used" in response.text


@pytest.mark.django_db
def test_password_reset_forged_link(client, owner):
    client.post(reverse("password_reset"), {"email": owner.email})
    deliver_outbox()
    link = _reset_link(mail.outbox[0].body)
    forged = re.sub(r"/([^/]+)/$", "/cbv2n4-0123456789abcdef0123456789abcdef/", link)
    response = client.get(forged, follow=True)
    assert "This link has expired or was already used" in response.text


@pytest.mark.django_db
def test_password_reset_weak_new_password(client, owner):
    client.post(reverse("password_reset"), {"email": owner.email})
    deliver_outbox()
    confirm = client.get(_reset_link(mail.outbox[0].body), follow=True)
    response = client.post(
        confirm.redirect_chain[-1][0], {"new_password1": "short", "new_password2": "short"}
    )
    assert response.status_code == 200
    assert "at least 10 characters" in response.text
    owner.refresh_from_db()
    assert owner.check_password("correct-horse-battery")


@pytest.mark.django_db
def test_password_reset_html_mail_with_site_url(client, owner, settings):
    """accounts.urls_auth adds the HTML alternative and builds the link from SITE_URL."""
    settings.SITE_URL = "https://vault.example.com"
    client.post(reverse("password_reset"), {"email": owner.email})
    deliver_outbox()
    message = mail.outbox[0]
    link = _reset_link(message.body)
    assert link.startswith("https://vault.example.com/accounts/reset/")
    html, mimetype = message.alternatives[0]
    assert mimetype == "text/html"
    assert f'href="{link}"' in html


# Team, invitations, removal ----------------------------------------------------------------


@pytest.mark.django_db
def test_team_page_lists_members_and_invitations(owner_client, agency, owner, member, other_agency):
    InvitationFactory(agency=agency, email="pending@colleague.test", invited_by=owner)
    InvitationFactory(agency=agency, email="gone@colleague.test", revoked_at=timezone.now())
    UserFactory(agency=other_agency, email="stranger@other.test")
    response = owner_client.get(reverse("accounts:team"))
    assert response.status_code == 200
    assert member.email in response.text
    assert "pending@colleague.test" in response.text
    assert "gone@colleague.test" not in response.text
    assert "stranger@other.test" not in response.text
    assert reverse("accounts:member_remove", kwargs={"user_id": member.pk}) in response.text
    assert reverse("accounts:member_remove", kwargs={"user_id": owner.pk}) not in response.text


@pytest.mark.django_db
def test_team_page_query_count_does_not_grow(
    owner_client, agency, owner, django_assert_num_queries
):
    def fill(n):
        for _ in range(n):
            UserFactory(agency=agency)
            InvitationFactory(agency=agency, invited_by=owner)
            UserFactory(agency=agency, is_active=False)

    fill(2)
    # session, user with its agency, members, removed, invitations (with inviter)
    with django_assert_num_queries(5):
        owner_client.get(reverse("accounts:team"))
    fill(5)
    with django_assert_num_queries(5):
        owner_client.get(reverse("accounts:team"))


@pytest.mark.django_db
def test_member_sees_team_read_only(client, member):
    client.force_login(member)
    response = client.get(reverse("accounts:team"))
    assert response.status_code == 200
    assert "Invite a colleague" not in response.text
    assert "/remove/" not in response.text


@pytest.mark.django_db
@pytest.mark.parametrize(
    ("name", "kwargs_of", "method"),
    [
        ("accounts:invite", None, "get"),
        ("accounts:invite", None, "post"),
        ("accounts:invitation_revoke", "invitation", "post"),
        ("accounts:member_remove", "owner", "post"),
        ("accounts:closed_day_add", None, "post"),
        ("accounts:closed_day_remove", "closed_day", "post"),
        ("accounts:settings", None, "post"),
    ],
)
def test_member_cannot_do_owner_actions(client, agency, owner, member, name, kwargs_of, method):
    objects = {
        "invitation": ("invitation_id", lambda: InvitationFactory(agency=agency)),
        "owner": ("user_id", lambda: owner),
        "closed_day": ("closed_day_id", lambda: AgencyClosedDayFactory(agency=agency)),
    }
    kwargs = {}
    if kwargs_of:
        key, make = objects[kwargs_of]
        kwargs = {key: make().pk}
    client.force_login(member)
    response = getattr(client, method)(
        reverse(name, kwargs=kwargs), {"email": "x@y.test", "date": "2026-12-24", "name": "Hijack"}
    )
    assert response.status_code == 403
    owner.refresh_from_db()
    assert owner.is_active
    assert not Invitation.objects.filter(email="x@y.test").exists()
    assert not AgencyClosedDay.objects.filter(date=dt.date(2026, 12, 24)).exists()
    assert Agency.objects.filter(name="Hijack").exists() is False


@pytest.mark.django_db
def test_invite_sends_email_and_lists_invitation(owner_client, agency):
    response = owner_client.post(reverse("accounts:invite"), {"email": "Sam@Colleague.test"})
    deliver_outbox()
    assert response.status_code == 302
    assert response.url == reverse("accounts:team")
    invitation = Invitation.objects.get()
    assert invitation.agency == agency
    assert invitation.email == "sam@colleague.test"
    assert mail.outbox[0].to == ["sam@colleague.test"]
    team = owner_client.get(reverse("accounts:team"))
    assert "Invitation to sam@colleague.test created; its e-mail is on its way." in team.text
    assert "sam@colleague.test" in team.text


@pytest.mark.django_db
def test_invite_bad_email_is_field_error(owner_client):
    response = owner_client.post(reverse("accounts:invite"), {"email": "not an address"})
    assert response.status_code == 200
    assert "Enter a valid email address." in response.text
    assert 'value="not an address"' in response.text


def _invite_link(body: str) -> str:
    return re.findall(r"http://testserver(/invitations/[^/\s]+/)", body)[0]


@pytest.mark.django_db
def test_accept_invitation_creates_member_and_signs_in(owner_client, client, agency):
    owner_client.post(reverse("accounts:invite"), {"email": "sam@colleague.test"})
    deliver_outbox()
    owner_client.logout()
    link = _invite_link(mail.outbox[0].body)
    page = client.get(link)
    assert page.status_code == 200
    assert f"Join {agency.name}" in page.text
    assert "sam@colleague.test" in page.text
    response = client.post(
        link, {"full_name": "Sam Ortiz", "password1": GOOD_PASSWORD, "password2": GOOD_PASSWORD}
    )
    assert response.status_code == 302
    user = User.objects.get(email="sam@colleague.test")
    assert user.agency == agency
    assert user.role == User.Role.MEMBER
    assert client.session["_auth_user_id"] == str(user.pk)


@pytest.mark.django_db
def test_accept_invitation_weak_password_keeps_name(client):
    invitation = InvitationFactory()
    link = reverse(
        "accounts:invitation_accept", kwargs={"token": services.invitation_token(invitation)}
    )
    response = client.post(
        link, {"full_name": "Sam Ortiz", "password1": "short", "password2": "short"}
    )
    assert response.status_code == 200
    assert "at least 10 characters" in response.text
    assert 'value="Sam Ortiz"' in response.text
    assert not User.objects.filter(email=invitation.email).exists()


@pytest.mark.django_db
def test_accept_used_invitation_is_clear(client):
    invitation = InvitationFactory()
    link = reverse(
        "accounts:invitation_accept", kwargs={"token": services.invitation_token(invitation)}
    )
    client.post(link, {"full_name": "Sam", "password1": GOOD_PASSWORD, "password2": GOOD_PASSWORD})
    client.logout()
    response = client.get(link)
    assert response.status_code == 410
    assert "already used" in response.text


@pytest.mark.django_db
def test_accept_expired_invitation_is_clear(client, settings):
    invitation = InvitationFactory()
    link = reverse(
        "accounts:invitation_accept", kwargs={"token": services.invitation_token(invitation)}
    )
    later = timezone.now() + dt.timedelta(seconds=settings.INVITATION_MAX_AGE + 1)
    with time_machine.travel(later):
        response = client.post(
            link, {"full_name": "Sam", "password1": GOOD_PASSWORD, "password2": GOOD_PASSWORD}
        )
    assert response.status_code == 410
    assert "This invitation has expired" in response.text
    assert not User.objects.filter(email=invitation.email).exists()


@pytest.mark.django_db
def test_accept_forged_invitation_is_clear(client):
    invitation = InvitationFactory()
    token = services.invitation_token(invitation)
    forged = f"{invitation.pk + 1}:{token.split(':', 1)[1]}"
    response = client.get(reverse("accounts:invitation_accept", kwargs={"token": forged}))
    assert response.status_code == 400
    assert "not valid" in response.text


@pytest.mark.django_db
def test_accept_revoked_invitation_is_clear(owner_client, client, agency):
    invitation = InvitationFactory(agency=agency)
    owner_client.post(
        reverse("accounts:invitation_revoke", kwargs={"invitation_id": invitation.pk})
    )
    invitation.refresh_from_db()
    assert invitation.revoked_at is not None
    owner_client.logout()
    link = reverse(
        "accounts:invitation_accept", kwargs={"token": services.invitation_token(invitation)}
    )
    response = client.get(link)
    assert response.status_code == 410
    assert "withdrawn" in response.text


@pytest.mark.django_db
def test_accept_while_signed_in_asks_to_sign_out(owner_client, other_agency, owner):
    invitation = InvitationFactory(agency=other_agency)
    link = reverse(
        "accounts:invitation_accept", kwargs={"token": services.invitation_token(invitation)}
    )
    response = owner_client.post(
        link, {"full_name": "Sam", "password1": GOOD_PASSWORD, "password2": GOOD_PASSWORD}
    )
    assert "sign out first" in response.text
    assert other_agency.name not in response.text
    assert not User.objects.filter(email=invitation.email).exists()


@pytest.mark.django_db
def test_revoke_accepted_invitation_shows_message(owner_client, agency):
    invitation = InvitationFactory(agency=agency, accepted_at=timezone.now())
    url = reverse("accounts:invitation_revoke", kwargs={"invitation_id": invitation.pk})
    response = owner_client.post(url, follow=True)
    assert "already accepted" in response.text


@pytest.mark.django_db
def test_remove_member(owner_client, member):
    url = reverse("accounts:member_remove", kwargs={"user_id": member.pk})
    response = owner_client.post(url, follow=True)
    assert "can no longer sign in" in response.text
    member.refresh_from_db()
    assert member.is_active is False
    assert "Removed members" in response.text


@pytest.mark.django_db
def test_owner_cannot_remove_self(owner_client, owner):
    url = reverse("accounts:member_remove", kwargs={"user_id": owner.pk})
    response = owner_client.post(url, follow=True)
    assert "You cannot remove yourself." in response.text
    owner.refresh_from_db()
    assert owner.is_active


@pytest.mark.django_db
def test_remove_asks_first_and_a_get_removes_nobody(owner_client, member):
    url = reverse("accounts:member_remove", kwargs={"user_id": member.pk})
    response = owner_client.get(url)
    assert response.status_code == 200 and f"Remove {member.get_full_name()}?" in response.text
    member.refresh_from_db()
    assert member.is_active


@pytest.mark.django_db
def test_removed_member_session_ends(client, agency, owner, member):
    client.force_login(member)
    assert client.get(reverse("accounts:team")).status_code == 200
    services.member_remove(agency=agency, actor=owner, user=member)
    response = client.get(reverse("accounts:team"))
    assert response.status_code == 302
    assert response.url.startswith(reverse("login"))


# Settings ----------------------------------------------------------------------------------


def _settings_post(agency, **changes):
    data = {
        "name": agency.name,
        "address": agency.address,
        "phone": agency.phone,
        "email": agency.email,
        "state": agency.state,
        "time_zone": agency.time_zone,
        "holiday_calendar": agency.holiday_calendar,
        "notify_time": agency.notify_time.strftime("%H:%M"),
        "work_opens": agency.work_opens.strftime("%H:%M"),
        "work_closes": agency.work_closes.strftime("%H:%M"),
        "copy_addresses": agency.copy_addresses,
        "valuation_max_age_days": agency.valuation_max_age_days,
        "large_loss_threshold_pct": agency.large_loss_threshold_pct,
    }
    data.update(changes)
    return data


@pytest.mark.django_db
def test_settings_owner_edits(owner_client, agency):
    data = _settings_post(
        agency,
        name="Renamed Agency",
        holiday_calendar="federal_state",
        notify_time="07:15",
        work_opens="07:00",
        work_closes="16:30",
        copy_addresses="a@x.test\nB@x.test",
        valuation_max_age_days="60",
        large_loss_threshold_pct="30",
    )
    response = owner_client.post(reverse("accounts:settings"), data, follow=True)
    assert "Settings saved. Open requests were rescheduled." in response.text
    agency.refresh_from_db()
    assert agency.name == "Renamed Agency"
    assert agency.notify_time == dt.time(7, 15)
    assert (agency.work_opens, agency.work_closes) == (dt.time(7, 0), dt.time(16, 30))
    assert agency.calendar_state == "NY"
    assert agency.copy_address_list == ["a@x.test", "b@x.test"]
    assert agency.valuation_max_age_days == 60
    assert agency.large_loss_threshold_pct == 30


@pytest.mark.django_db
@pytest.mark.parametrize(
    ("changes", "field", "message"),
    [
        ({"copy_addresses": "ok@x.test\nnot-an-address"}, "copy_addresses", "not-an-address"),
        ({"large_loss_threshold_pct": "0"}, "large_loss_threshold_pct", "between 1 and 100"),
        ({"large_loss_threshold_pct": "150"}, "large_loss_threshold_pct", "between 1 and 100"),
        ({"holiday_calendar": "federal_state", "state": ""}, "state", "Choose the state"),
        ({"time_zone": "Europe/Paris"}, "time_zone", "Select a valid choice"),
        ({"notify_time": "25:00"}, "notify_time", "Enter a valid time"),
        ({"notify_time": "07:30"}, "notify_time", "within your working hours (08:00 to 18:00)"),
        ({"notify_time": "18:00"}, "notify_time", "within your working hours"),
        ({"work_opens": "18:00"}, "work_closes", "must end after they start"),
        ({"work_closes": "bad"}, "work_closes", "Enter a valid time"),
        ({"name": ""}, "name", "required"),
    ],
)
def test_settings_bad_input(owner_client, agency, changes, field, message):
    data = _settings_post(agency, phone="555-0199", **changes)
    response = owner_client.post(reverse("accounts:settings"), data)
    assert response.status_code == 200
    errors = response.context["form"].errors[field]
    assert any(message in e for e in errors), errors
    assert 'value="555-0199"' in response.text
    agency.refresh_from_db()
    assert agency.phone == ""


@pytest.mark.django_db
def test_settings_member_views_read_only(client, agency, member):
    agency.copy_addresses = "cc@x.test"
    agency.save()
    client.force_login(member)
    response = client.get(reverse("accounts:settings"))
    assert response.status_code == 200
    assert "cc@x.test" in response.text
    assert '<form method="post" action="/agency/settings/"' not in response.text
    assert "Only the agency's owner can change" in response.text


@pytest.mark.django_db
def test_settings_page_query_count_does_not_grow(owner_client, agency, django_assert_num_queries):
    for n in range(2):
        AgencyClosedDayFactory(agency=agency, date=dt.date(2026, 12, 1 + n))
    # session, user with its agency, closed days
    with django_assert_num_queries(3):
        owner_client.get(reverse("accounts:settings"))
    for n in range(2, 12):
        AgencyClosedDayFactory(agency=agency, date=dt.date(2026, 12, 1 + n))
    with django_assert_num_queries(3):
        response = owner_client.get(reverse("accounts:settings"))
    assert response.text.count("/remove/") == 12


@pytest.mark.django_db
def test_settings_page_shows_only_own_closed_days(owner_client, agency, other_agency):
    AgencyClosedDayFactory(agency=agency, date=dt.date(2026, 12, 24), reason="Christmas Eve")
    AgencyClosedDayFactory(agency=other_agency, date=dt.date(2026, 12, 26), reason="Boxing Day")
    response = owner_client.get(reverse("accounts:settings"))
    assert "Christmas Eve" in response.text
    assert "Boxing Day" not in response.text


@pytest.mark.django_db
def test_closed_day_add_and_remove(owner_client, agency):
    response = owner_client.post(
        reverse("accounts:closed_day_add"),
        {"date": "2026-12-24", "reason": "Christmas Eve"},
        follow=True,
    )
    assert "Thursday, Dec 24, 2026 is now a closed day" in response.text
    day = AgencyClosedDay.objects.get(agency=agency)
    response = owner_client.post(
        reverse("accounts:closed_day_remove", kwargs={"closed_day_id": day.pk}), follow=True
    )
    assert "is a business day again" in response.text
    assert not AgencyClosedDay.objects.exists()


@pytest.mark.django_db
def test_closed_day_duplicate_and_bad_date(owner_client, agency):
    AgencyClosedDayFactory(agency=agency, date=dt.date(2026, 12, 24))
    response = owner_client.post(
        reverse("accounts:closed_day_add"), {"date": "2026-12-24", "reason": "Again"}
    )
    assert response.status_code == 200
    assert "already on the list" in response.text
    assert 'value="Again"' in response.text
    response = owner_client.post(reverse("accounts:closed_day_add"), {"date": "24/12/2026x"})
    assert "Enter a valid date." in response.text
    assert AgencyClosedDay.objects.count() == 1


@pytest.mark.django_db
def test_second_owner_may_remove_first(client, agency, owner):
    co_owner = OwnerFactory(agency=agency)
    client.force_login(co_owner)
    client.post(reverse("accounts:member_remove", kwargs={"user_id": owner.pk}))
    owner.refresh_from_db()
    assert owner.is_active is False


@pytest.mark.django_db
def test_make_owner_from_team_page(owner_client, member):
    page = owner_client.get(reverse("accounts:team"))
    assert reverse("accounts:member_role", kwargs={"user_id": member.pk}) in page.text
    response = owner_client.post(
        reverse("accounts:member_role", kwargs={"user_id": member.pk}),
        {"role": "owner"},
        follow=True,
    )
    assert "is now an owner" in response.text
    member.refresh_from_db()
    assert member.is_agency_owner


@pytest.mark.django_db
def test_bad_role_is_a_message_not_an_error(owner_client, member):
    response = owner_client.post(
        reverse("accounts:member_role", kwargs={"user_id": member.pk}), {}, follow=True
    )
    assert response.status_code == 200
    assert "Unknown role" in response.text
    member.refresh_from_db()
    assert member.role == User.Role.MEMBER


@pytest.mark.django_db
def test_member_cannot_change_roles(client, agency, member):
    client.force_login(member)
    url = reverse("accounts:member_role", kwargs={"user_id": member.pk})
    assert client.post(url, {"role": "owner"}).status_code == 403
    member.refresh_from_db()
    assert member.role == User.Role.MEMBER


@pytest.mark.django_db
def test_team_lists_owners_first(owner_client, agency, owner):
    UserFactory(agency=agency, full_name="Aaron Early", email="aaron@x.test")
    text = owner_client.get(reverse("accounts:team")).text
    assert text.index(owner.email) < text.index("aaron@x.test")


@pytest.mark.django_db
def test_inviting_a_removed_member_points_to_restore(owner_client, agency, owner, member):
    services.member_remove(agency=agency, actor=owner, user=member)
    response = owner_client.post(reverse("accounts:invite"), {"email": member.email})
    assert "was removed from your agency. Restore them" in response.text
    response = owner_client.post(reverse("accounts:invite"), {"email": owner.email.upper()})
    assert "is already a member of your agency" in response.text
    assert not Invitation.objects.exists()


@pytest.mark.django_db
def test_restore_removed_member(owner_client, client, agency, owner, member):
    services.member_remove(agency=agency, actor=owner, user=member)
    url = reverse("accounts:member_restore", kwargs={"user_id": member.pk})
    assert url in owner_client.get(reverse("accounts:team")).text
    response = owner_client.post(url, follow=True)
    assert "can sign in again" in response.text
    member.refresh_from_db()
    assert member.is_active
    assert member.role == User.Role.MEMBER


@pytest.mark.django_db
def test_member_cannot_restore(client, agency, owner, member):
    removed = UserFactory(agency=agency, is_active=False)
    client.force_login(member)
    url = reverse("accounts:member_restore", kwargs={"user_id": removed.pk})
    assert client.post(url).status_code == 403
    removed.refresh_from_db()
    assert removed.is_active is False


@pytest.mark.django_db
def test_settings_unchanged_says_so(owner_client, agency):
    response = owner_client.post(reverse("accounts:settings"), _settings_post(agency), follow=True)
    assert "Nothing changed." in response.text


@pytest.mark.django_db
def test_settings_form_shows_current_values(owner_client, agency):
    agency.phone = "555-0142"
    agency.save()
    response = owner_client.get(reverse("accounts:settings"))
    assert 'value="555-0142"' in response.text
    assert 'value="08:00"' in response.text
