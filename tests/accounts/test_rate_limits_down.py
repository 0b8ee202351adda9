"""With the counters' store down (production's Redis not answering), never a 500.

The cache here is Django's real RedisCache pointed at a loopback port nothing listens on,
so every count fails the way a stopped Redis fails in production. The forms that write to
a typed address or check a password fail closed (503, the form kept, nothing sent); the
signing page, whose link is the credential, fails open (accounts.rate_limits,
esign.views_public).
"""

import logging

import pytest
from django.test import Client
from django.urls import reverse

from accounts.models import Invitation, User
from esign.tokens import make_token
from tests.accounts.test_rate_limits import signup_data
from tests.esign.factories import SignatureRequestFactory
from tests.live import free_port
from tests.outbox_mail import deliver_outbox

pytestmark = pytest.mark.django_db

TRY_AGAIN = "Nothing was sent. Please try again shortly."


@pytest.fixture
def redis_down(settings):
    settings.CACHES = {
        "default": {
            "BACKEND": "django.core.cache.backends.redis.RedisCache",
            "LOCATION": f"redis://127.0.0.1:{free_port()}/0",
            "OPTIONS": {"socket_connect_timeout": 1},
        }
    }


def test_password_reset_is_refused_clearly_and_sends_nothing(client, owner, redis_down, caplog):
    with caplog.at_level(logging.WARNING, logger="accounts.rate_limits"):
        response = client.post(reverse("password_reset"), {"email": owner.email})
    assert response.status_code == 503
    assert TRY_AGAIN in response.text
    assert f'value="{owner.email}"' in response.text  # what was typed is kept
    assert deliver_outbox() == []
    assert "rate-limit counters unavailable" in caplog.text
    assert owner.email not in caplog.text  # no address in the log


def test_signup_is_refused_clearly_and_creates_nothing(redis_down):
    response = Client().post(reverse("accounts:signup"), signup_data(7))
    assert response.status_code == 503
    assert TRY_AGAIN in response.text
    assert 'value="Agency Number 7"' in response.text
    assert deliver_outbox() == []
    assert not User.objects.filter(email="dana7@agency7.test").exists()


def test_invitation_is_refused_clearly_and_creates_nothing(owner_client, redis_down):
    response = owner_client.post(reverse("accounts:invite"), {"email": "new@agency.test"})
    assert response.status_code == 503
    assert TRY_AGAIN in response.text
    assert 'value="new@agency.test"' in response.text
    assert not Invitation.objects.exists()


def test_password_change_is_refused_and_changes_nothing(owner_client, owner, redis_down):
    new = "a-brand-new-passphrase-77"
    response = owner_client.post(
        reverse("password_change"),
        {"old_password": "correct-horse-battery", "new_password1": new, "new_password2": new},
    )
    assert response.status_code == 503
    assert "Nothing was changed. Please try again shortly." in response.text
    owner.refresh_from_db()
    assert owner.check_password("correct-horse-battery")


def test_signing_page_still_opens_and_the_outage_is_logged(client, agency, redis_down, caplog):
    signature = SignatureRequestFactory(agency=agency)
    path = reverse(
        "esign:sign",
        kwargs={"signing_token": make_token(signature_id=signature.pk, nonce=signature.nonce)},
    )
    with caplog.at_level(logging.WARNING, logger="esign.views_public"):
        response = client.get(path)
    assert response.status_code == 200
    assert signature.request.insured.legal_name in response.text
    assert "rate-limit counters unavailable" in caplog.text
    assert "esign.sign served unlimited" in caplog.text
