"""Sign-up and invitations answer the same whether or not an address has an account."""

import re

import pytest
from django.contrib.messages import get_messages
from django.test import Client
from django.urls import reverse

from accounts.models import Agency, Invitation
from tests.factories import OwnerFactory, StaffFactory
from tests.outbox_mail import deliver_outbox

pytestmark = pytest.mark.django_db


def _comparable(page: str, email: str) -> str:
    """The page without what differs by chance (CSRF tokens, ids) or by the address typed."""
    page = re.sub(r"[A-Za-z0-9]{64}", "", page.replace(email, "X"))
    return re.sub(r"/invitations/\d+/", "/invitations/N/", page)


def _invite(client, email):
    """What the inviter sees: the answer, its message, and the Team page's line for it."""
    response = client.post(reverse("accounts:invite"), {"email": email})
    notes = [str(m).replace(email, "X") for m in get_messages(response.wsgi_request)]
    team = client.get(reverse("accounts:team")).text
    listed = re.search(
        rf"<tr>\s*<td data-label=\"E-mail\">{re.escape(email)}</td>.*?</tr>", team, re.S
    )
    return response.status_code, response.get("Location"), notes, _comparable(listed[0], email)


@pytest.mark.parametrize("holder", ["another agency's owner", "platform staff"])
def test_inviting_an_address_with_an_account_looks_like_any_invitation(
    owner_client, other_agency, holder
):
    taken = (
        OwnerFactory(agency=other_agency) if holder.endswith("owner") else StaffFactory()
    ).email
    fresh = "nobody-yet@elsewhere.test"
    assert _invite(owner_client, taken) == _invite(owner_client, fresh)
    assert Invitation.objects.filter(email__in=[taken, fresh]).count() == 2


def test_the_holder_of_the_address_is_told_why_there_is_nothing_to_accept(
    owner_client, other_agency
):
    taken = OwnerFactory(agency=other_agency).email
    owner_client.post(reverse("accounts:invite"), {"email": taken.upper()})
    (message,) = deliver_outbox()
    assert message.to == [taken]
    assert "already has a Loss Run Vault account" in message.body
    assert "http://testserver/accounts/login/" in message.body
    assert "/invitations/" not in message.body  # no link to accept
    assert "/invitations/" not in message.alternatives[0][0]


SIGNUP = {
    "agency_name": "Harbor & Main Insurance",
    "full_name": "Dana Whitfield",
    "state": "NJ",
    "time_zone": "America/Chicago",
}


def _sign_up(email: str):
    """What the visitor sees after sending the sign-up form."""
    client = Client()
    response = client.post(reverse("accounts:signup"), {**SIGNUP, "email": email}, follow=True)
    return response.redirect_chain, _comparable(response.text, email.lower())


def test_signing_up_with_an_address_that_has_an_account_looks_the_same(other_agency):
    taken = OwnerFactory(agency=other_agency).email
    assert _sign_up(taken.upper()) == _sign_up("nobody-yet@elsewhere.test")
    assert Agency.objects.count() == 1  # the other agency only: nothing was created


def test_the_account_holder_is_told_instead(other_agency):
    taken = OwnerFactory(agency=other_agency).email
    Client().post(reverse("accounts:signup"), {**SIGNUP, "email": taken})
    (message,) = deliver_outbox()
    assert message.to == [taken]
    assert "already has an account, so nothing was created" in message.body
    assert "http://testserver/accounts/login/" in message.body
    assert "http://testserver/accounts/password_reset/" in message.body
    assert "/signup/finish/" not in message.body
