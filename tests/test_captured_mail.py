"""The embedded mode's captured-mail page (config/outbox.py) reads outbox rows, by who asks."""

import pytest
from django.urls import reverse

from outbox.services import email_queue
from tests.factories import AgencyFactory, OwnerFactory, StaffFactory, UserFactory


def queue(subject, agency=None):
    return email_queue(
        kind="test.note",
        to=["someone@example.test"],
        subject=subject,
        template="accounts/invitation",
        context={"accept_url": f"http://testserver/{subject}/"},
        agency=agency,
    )


@pytest.fixture(autouse=True)
def _page_on(settings):
    settings.CAPTURED_MAIL_PAGE = True


@pytest.fixture
def mails(db):
    mine, theirs = AgencyFactory(), AgencyFactory()
    return {
        "agency": mine,
        "mine": queue("Ours", mine),
        "theirs": queue("Theirs", theirs),
        "platform": queue("Reset link", None),
    }


def page(client, email=None):
    if email is None:
        return client.get(reverse("dev_outbox"))
    return client.get(reverse("dev_outbox_message", args=[email.pk]))


def test_staff_see_every_e_mail(client, mails):
    client.force_login(StaffFactory())
    html = page(client).content.decode()
    assert "Ours" in html and "Theirs" in html and "Reset link" in html
    for key in ("mine", "theirs", "platform"):
        response = page(client, mails[key])
        assert response.status_code == 200
        assert mails[key].subject in response.content.decode()


def test_an_agency_user_sees_only_their_agency_s_mail(client, mails):
    client.force_login(UserFactory(agency=mails["agency"]))
    response = page(client)
    html = response.content.decode()
    assert response.status_code == 200
    assert "Ours" in html and "Theirs" not in html and "Reset link" not in html
    assert page(client, mails["mine"]).status_code == 200
    assert "http://testserver/Ours/" in page(client, mails["mine"]).content.decode()
    assert page(client, mails["theirs"]).status_code == 404
    assert page(client, mails["platform"]).status_code == 404


def test_a_signed_out_visitor_sees_nothing(client, mails):
    for email in (None, mails["mine"], mails["platform"]):
        response = page(client, email)
        assert response.status_code == 302 and response["Location"].startswith(reverse("login"))
        assert b"Ours" not in response.content and b"Reset link" not in response.content


def test_the_page_is_off_unless_enabled(client, mails, settings):
    settings.CAPTURED_MAIL_PAGE = False
    client.force_login(OwnerFactory(agency=mails["agency"]))
    assert page(client).status_code == 404
    assert page(client, mails["mine"]).status_code == 404
    client.force_login(StaffFactory())
    assert page(client).status_code == 404
