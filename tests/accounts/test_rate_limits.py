"""Forms that send e-mail are limited per address and per client, with a clear message."""

import re

import pytest
from django.test import Client
from django.urls import reverse

from accounts.models import Invitation
from tests.factories import UserFactory
from tests.outbox_mail import deliver_outbox

pytestmark = pytest.mark.django_db

GOOD_PASSWORD = "a-long-and-unusual-passphrase"
PROXY = "10.0.0.5"


def signup_data(n: int, email: str | None = None) -> dict:
    return {
        "agency_name": f"Agency Number {n}",
        "full_name": "Dana Whitfield",
        "email": email or f"dana{n}@agency{n}.test",
        "password1": GOOD_PASSWORD,
        "password2": GOOD_PASSWORD,
        "state": "NJ",
        "time_zone": "America/Chicago",
    }


def _comparable(page: str, email: str) -> str:
    """The page without what differs by chance: the CSRF token and the minutes to wait."""
    page = re.sub(r"[A-Za-z0-9]{64}", "", page.replace(email, "X"))  # CSRF tokens
    return re.sub(r"try again in \d+ (minute|hour)s?", "try again in N", page)


def _reset(client: Client, email: str, **meta):
    return client.post(reverse("password_reset"), {"email": email}, **meta)


# --- password reset -------------------------------------------------------------------------


def test_reset_mails_to_one_address_stop_at_the_limit(client, settings, owner):
    limit = int(settings.RATE_LIMITS["password_reset"]["address"].split("/")[0])
    for n in range(limit):
        # a new client each time: the address's own counter is what stops it
        assert _reset(Client(), owner.email, REMOTE_ADDR=f"198.51.100.{n}").status_code == 302
    refused = _reset(client, owner.email.upper())
    assert refused.status_code == 429
    assert "Too many password-reset e-mails for this e-mail address just now" in refused.text
    assert "Nothing was sent. Please try again in" in refused.text
    assert len(deliver_outbox()) == limit


def test_reset_limit_answers_the_same_for_an_address_without_account(client, settings, owner):
    limit = int(settings.RATE_LIMITS["password_reset"]["address"].split("/")[0])
    answers = []
    for email in (owner.email, "nobody@nowhere.test"):
        for n in range(limit):
            _reset(Client(), email, REMOTE_ADDR=f"198.51.100.{n}")
        answers.append(_reset(Client(), email, REMOTE_ADDR="203.0.113.1"))
    assert [a.status_code for a in answers] == [429, 429]
    pages = [
        _comparable(a.text, email)
        for a, email in zip(answers, (owner.email, "nobody@nowhere.test"), strict=True)
    ]
    assert pages[0] == pages[1]


def test_reset_mails_from_one_client_stop_at_the_limit(client, settings):
    limit = int(settings.RATE_LIMITS["password_reset"]["client"].split("/")[0])
    for _ in range(limit):
        assert _reset(client, UserFactory().email).status_code == 302
    refused = _reset(client, UserFactory().email)
    assert refused.status_code == 429
    assert "for your network" in refused.text
    assert len(deliver_outbox()) == limit


def test_reset_clients_behind_the_proxy_count_apart(client, settings):
    settings.TRUSTED_PROXIES = [PROXY]
    settings.RATE_LIMITS = {
        **settings.RATE_LIMITS,
        "password_reset": {"address": "9/h", "client": "1/h"},
    }
    first = {"REMOTE_ADDR": PROXY, "HTTP_X_FORWARDED_FOR": "203.0.113.1"}
    assert _reset(client, UserFactory().email, **first).status_code == 302
    assert _reset(client, UserFactory().email, **first).status_code == 429
    other = {"REMOTE_ADDR": PROXY, "HTTP_X_FORWARDED_FOR": "203.0.113.2"}
    assert _reset(client, UserFactory().email, **other).status_code == 302


# --- sign-up --------------------------------------------------------------------------------


def test_signups_from_one_client_stop_at_the_limit(settings):
    limit = int(settings.RATE_LIMITS["signup"]["client"].split("/")[0])
    for n in range(limit):
        assert Client().post(reverse("accounts:signup"), signup_data(n)).status_code == 302
    refused = Client().post(reverse("accounts:signup"), signup_data(99))
    assert refused.status_code == 429
    assert "Too many sign-ups for your network just now" in refused.text
    assert 'value="Agency Number 99"' in refused.text  # what was typed is kept
    assert len(deliver_outbox()) == limit


def test_signups_for_one_address_stop_at_the_limit(settings):
    limit = int(settings.RATE_LIMITS["signup"]["address"].split("/")[0])
    for n in range(limit):
        Client().post(
            reverse("accounts:signup"),
            signup_data(n, email="victim@agency.test"),
            REMOTE_ADDR=f"198.51.100.{n}",
        )
    refused = Client().post(
        reverse("accounts:signup"),
        signup_data(99, email="Victim@Agency.test"),
        REMOTE_ADDR="203.0.113.9",
    )
    assert refused.status_code == 429
    assert "for this e-mail address" in refused.text
    assert (
        len(deliver_outbox()) == limit
    )  # the first created the account; the others told its owner


# --- invitations ----------------------------------------------------------------------------


def _invite(client: Client, email: str):
    return client.post(reverse("accounts:invite"), {"email": email})


def test_invitations_to_one_address_stop_at_the_limit(owner_client, settings):
    limit = int(settings.RATE_LIMITS["invitation"]["address"].split("/")[0])
    for _ in range(limit):
        assert _invite(owner_client, "outsider@elsewhere.test").status_code == 302
    refused = _invite(owner_client, "OUTSIDER@elsewhere.test")
    assert refused.status_code == 429
    assert "Too many invitations for this e-mail address just now" in refused.text
    assert len(deliver_outbox()) == limit


def test_invitations_from_one_client_stop_at_the_limit(owner_client, settings):
    settings.RATE_LIMITS = {
        **settings.RATE_LIMITS,
        "invitation": {"address": "3/d", "client": "4/h"},
    }
    for n in range(4):
        assert _invite(owner_client, f"colleague{n}@agency.test").status_code == 302
    refused = _invite(owner_client, "colleague9@agency.test")
    assert refused.status_code == 429
    assert "for your network" in refused.text
    assert Invitation.objects.count() == 4


# --- password change (a credential form axes does not count) ---------------------------------


def _change(client, old: str):
    new = "a-brand-new-passphrase-77"
    return client.post(
        reverse("password_change"),
        {"old_password": old, "new_password1": new, "new_password2": new},
    )


def test_guessing_the_current_password_stops_at_the_limit(owner_client, owner, settings):
    limit = int(settings.RATE_LIMITS["password_change"]["account"].split("/")[0])
    for _ in range(limit):
        assert _change(owner_client, "wrong-guess-123").status_code == 200
    refused = _change(owner_client, "correct-horse-battery")
    assert refused.status_code == 429
    assert "Too many wrong current passwords just now. Nothing was changed." in refused.text
    owner.refresh_from_db()
    assert owner.check_password("correct-horse-battery")


def test_right_current_password_changes_it_below_the_limit(owner_client, owner):
    _change(owner_client, "wrong-guess-123")
    assert _change(owner_client, "correct-horse-battery").status_code == 302
    owner.refresh_from_db()
    assert owner.check_password("a-brand-new-passphrase-77")
