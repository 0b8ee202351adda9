"""The providers' webhooks (anymail's views at anymail's paths): the secret and Mailgun's
signature are checked first; a failing request gets 400 and nothing is stored."""

import base64
import hashlib
import hmac
import json
import time

import pytest
from django.core.files.storage import default_storage
from django.urls import reverse

from inbound.models import InboundMessage
from tests.inbound.mail import PDF, eml
from vault.addresses import request_reply_address

SECRET = "hook:s3cret-for-tests"
SIGNING_KEY = "mailgun-signing-key-for-tests"


@pytest.fixture(autouse=True)
def _webhook_secrets(settings):
    settings.ANYMAIL = {
        **settings.ANYMAIL,
        "WEBHOOK_SECRET": SECRET,
        "MAILGUN_WEBHOOK_SIGNING_KEY": SIGNING_KEY,
    }


def _auth(secret: str = SECRET) -> dict[str, str]:
    return {"HTTP_AUTHORIZATION": "Basic " + base64.b64encode(secret.encode()).decode()}


def _postmark(req) -> str:
    return json.dumps(
        {
            "FromFull": {"Email": "lossruns@carrier.test", "Name": "Loss Runs"},
            "ToFull": [{"Email": request_reply_address(req.pk), "Name": ""}],
            "OriginalRecipient": request_reply_address(req.pk),
            "Subject": "RE: Loss run request",
            "MessageID": "4f1a-postmark",
            "Date": "Mon, 30 Nov 2026 10:00:00 -0500",
            "TextBody": "Attached.",
            "Headers": [{"Name": "Message-ID", "Value": "<pm-1@carrier.test>"}],
            "Attachments": [
                {
                    "Name": "loss runs.pdf",
                    "Content": base64.b64encode(PDF).decode(),
                    "ContentType": "application/pdf",
                    "ContentLength": len(PDF),
                }
            ],
        }
    )


def _stored_files() -> list[str]:
    try:
        return default_storage.listdir("inbound")[0]
    except FileNotFoundError:
        return []


@pytest.mark.django_db
def test_postmark_webhook_lands_the_reply_on_its_request(client, req):
    url = reverse("anymail:postmark_inbound_webhook")
    response = client.post(url, _postmark(req), content_type="application/json", **_auth())
    assert response.status_code == 200
    row = InboundMessage.objects.get()
    assert row.request == req and row.esp == "postmark"
    assert row.documents.get().kind == "loss_run"
    req.refresh_from_db()
    assert req.received_on is not None


@pytest.mark.django_db
def test_postmark_delivering_twice_stores_one_message(client, req):
    url = reverse("anymail:postmark_inbound_webhook")
    for _ in range(2):
        response = client.post(url, _postmark(req), content_type="application/json", **_auth())
        assert response.status_code == 200
    assert InboundMessage.objects.count() == 1
    assert req.documents.filter(kind="loss_run").count() == 1


@pytest.mark.django_db
@pytest.mark.parametrize("auth", [{}, _auth("hook:wrong")])
def test_postmark_without_the_secret_gets_400_and_nothing_is_stored(client, req, auth):
    url = reverse("anymail:postmark_inbound_webhook")
    response = client.post(url, _postmark(req), content_type="application/json", **auth)
    assert response.status_code == 400
    assert not InboundMessage.objects.exists() and not _stored_files()
    assert not req.documents.filter(kind="loss_run").exists()


@pytest.mark.django_db
def test_webhooks_are_closed_while_no_secret_is_configured(client, req, settings):
    settings.ANYMAIL = {**settings.ANYMAIL, "WEBHOOK_SECRET": ""}
    url = reverse("anymail:postmark_inbound_webhook")
    response = client.post(url, _postmark(req), content_type="application/json")
    assert response.status_code == 400
    assert not InboundMessage.objects.exists()


def _mailgun_fields(raw: bytes, key: str = SIGNING_KEY) -> dict[str, str]:
    timestamp, token = str(int(time.time())), "a" * 50
    signature = hmac.new(key.encode(), f"{timestamp}{token}".encode(), hashlib.sha256).hexdigest()
    return {
        "body-mime": raw.decode(),
        "recipient": "lossruns@in.example.com",
        "sender": "lossruns@carrier.test",
        "timestamp": timestamp,
        "token": token,
        "signature": signature,
    }


def _raw_reply(req) -> bytes:
    return eml(
        "reply_with_pdf.eml",
        to=request_reply_address(req.pk),
        date="Mon, 30 Nov 2026 10:00:00 -0500",
        in_reply_to="<unknown@elsewhere.test>",
    )


@pytest.mark.django_db
def test_mailgun_signed_webhook_lands_the_reply(client, req):
    url = reverse("anymail:mailgun_inbound_webhook", args=["_mime"])
    response = client.post(url, _mailgun_fields(_raw_reply(req)), **_auth())
    assert response.status_code == 200
    row = InboundMessage.objects.get()
    assert row.request == req and row.esp == "mailgun"
    assert [d.original_name for d in row.documents.all()] == ["Acme loss runs 2020-2025.pdf"]


@pytest.mark.django_db
def test_mailgun_with_a_wrong_signature_gets_400_and_nothing_is_stored(client, req):
    url = reverse("anymail:mailgun_inbound_webhook", args=["_mime"])
    fields = _mailgun_fields(_raw_reply(req), key="not-the-key")
    response = client.post(url, fields, **_auth())
    assert response.status_code == 400
    assert not InboundMessage.objects.exists() and not _stored_files()


@pytest.mark.django_db
def test_mailgun_with_the_signature_but_without_the_secret_gets_400(client, req):
    url = reverse("anymail:mailgun_inbound_webhook", args=["_mime"])
    response = client.post(url, _mailgun_fields(_raw_reply(req)))
    assert response.status_code == 400
    assert not InboundMessage.objects.exists()


@pytest.mark.django_db
def test_mailgun_is_closed_without_its_own_signing_key(client, req, settings):
    settings.ANYMAIL = {
        "WEBHOOK_SECRET": SECRET,
        "MAILGUN_API_KEY": "",
    }
    url = reverse("anymail:mailgun_inbound_webhook", args=["_mime"])
    response = client.post(url, _mailgun_fields(_raw_reply(req), key=""), **_auth())
    assert response.status_code == 400
    assert not InboundMessage.objects.exists()


@pytest.mark.django_db
def test_a_message_larger_than_the_webhook_cap_gets_413(client, req, settings):
    settings.INBOUND_WEBHOOK_MAX_BYTES = 100
    url = reverse("anymail:postmark_inbound_webhook")
    response = client.post(url, _postmark(req), content_type="application/json", **_auth())
    assert response.status_code == 413
    assert not InboundMessage.objects.exists()


@pytest.mark.django_db
def test_a_webhook_body_above_the_forms_cap_is_still_taken(client, req, settings):
    settings.DATA_UPLOAD_MAX_MEMORY_SIZE = 500
    settings.REQUEST_BODY_MAX_BYTES = 500
    url = reverse("anymail:postmark_inbound_webhook")
    body = _postmark(req)
    assert len(body) > 500
    response = client.post(url, body, content_type="application/json", **_auth())
    assert response.status_code == 200 and InboundMessage.objects.count() == 1


def test_the_deploy_check_warns_while_the_webhooks_have_no_secret(settings):
    from inbound.checks import webhook_secret_set

    settings.ANYMAIL = {**settings.ANYMAIL, "WEBHOOK_SECRET": ""}
    assert [w.id for w in webhook_secret_set(None)] == ["inbound.W001"]
    settings.ANYMAIL = {**settings.ANYMAIL, "WEBHOOK_SECRET": SECRET}
    assert webhook_secret_set(None) == []
