"""The e-signature flow through its pages: send, open, sign or decline, and every bad link."""

import datetime as dt
import io
import re

import pytest
import time_machine
from django.core import mail
from django.urls import reverse
from pypdf import PdfReader

from esign.emails import signing_url
from esign.models import SignatureRequest
from esign.tokens import make_token
from tests.esign.factories import SignatureRequestFactory
from tests.esign.helpers import data_url, drawn_png
from vault.models import Authorization, Document


def _path(signature) -> str:
    return reverse(
        "esign:sign",
        kwargs={"signing_token": make_token(signature_id=signature.pk, nonce=signature.nonce)},
    )


def _sign_data(**extra):
    data = {
        "signer_name": "Pat Rivera",
        "signer_title": "President",
        "consent": "on",
        "method": "drawn",
        "signature_data": data_url(drawn_png()),
        "action": "sign",
    }
    data.update(extra)
    return data


@pytest.fixture
def signature(agency, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        return SignatureRequestFactory(agency=agency)


@pytest.mark.django_db
def test_send_emails_the_signer_a_link_to_the_page(signature):
    assert signature.request.authorization == Authorization.AWAITING
    link_mail = [m for m in mail.outbox if m.to == ["signer@insured.test"]]
    assert len(link_mail) == 1
    assert signing_url(signature) in link_mail[0].body


@pytest.mark.django_db
def test_page_shows_letter_and_consent_and_records_opening(client, signature):
    response = client.get(_path(signature))
    assert response.status_code == 200
    text = response.content.decode()
    assert signature.request.insured.legal_name in text
    assert "paper copy" in text and "Sign" in text
    assert signature.shown_sha256 in text
    signature.refresh_from_db()
    assert signature.opened_at is not None


@pytest.mark.django_db
def test_signing_stores_the_final_pdf_with_certificate_and_mails_copies(
    client, signature, django_capture_on_commit_callbacks
):
    mail.outbox.clear()
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(
            _path(signature),
            _sign_data(),
            HTTP_USER_AGENT="PhoneBrowser/1.0",
            REMOTE_ADDR="203.0.113.7",
        )
    assert response.status_code == 200
    assert "Signed. Thank you." in response.content.decode()
    signature.refresh_from_db()
    assert signature.status == SignatureRequest.Status.SIGNED
    req = signature.request
    req.refresh_from_db()
    assert req.authorization == Authorization.SIGNED
    document = signature.document
    assert document.kind == Document.Kind.AUTH_SIGNED and document.request_id == req.pk
    pdf = document.file.open("rb").read()
    assert document.sha256 == signature.final_sha256
    text = "\n".join(page.extract_text() for page in PdfReader(io.BytesIO(pdf)).pages)
    for expected in (
        "Certificate of electronic signature",
        "Pat Rivera",
        "signer@insured.test",
        "203.0.113.7",
        "PhoneBrowser/1.0",
        signature.shown_sha256,
        signature.signed_pages_sha256,
        f"{signature.signed_at.astimezone(dt.UTC):%Y-%m-%d %H:%M:%S} UTC",
        f"{signature.signed_at.astimezone(signature.agency.tz):%b} {signature.signed_at.astimezone(signature.agency.tz).day}, "
        f"{signature.signed_at.astimezone(signature.agency.tz):%Y, %I:%M:%S %p %Z}",
        "Consented to sign electronically",
    ):
        assert "".join(expected.split()) in "".join(text.split()), expected
    copy = next(m for m in mail.outbox if m.to == ["signer@insured.test"])
    assert copy.attachments[0][0].endswith(".pdf")
    assert signature.final_sha256 in copy.body
    agent = next(m for m in mail.outbox if m.to != ["signer@insured.test"])
    assert agent.subject.startswith("Signed:")
    # The link works once.
    again = client.post(_path(signature), _sign_data())
    assert "Signed. Thank you." in again.content.decode()
    assert SignatureRequest.objects.get(pk=signature.pk).document_id == document.pk


@pytest.mark.django_db
def test_typed_signature_signs(client, signature):
    data = _sign_data(method="typed", signature_data="", typed_signature="Pat Rivera")
    assert client.post(_path(signature), data).status_code == 200
    signature.refresh_from_db()
    assert signature.status == "signed" and signature.signature_kind == "typed"


@pytest.mark.django_db
@pytest.mark.parametrize(
    ("changes", "message"),
    [
        ({"signature_data": ""}, "Draw your signature"),
        ({"signature_data": data_url(drawn_png(blank=True))}, "Draw your signature"),
        ({"signature_data": "data:image/jpeg;base64,/9j/4AAQ"}, "must be a PNG"),
        ({"signature_data": "data:image/png;base64," + "QUJD" * 10}, "must be a PNG"),
        ({"consent": ""}, "agree to sign electronically"),
    ],
)
def test_bad_signature_input_gets_a_clear_message_and_keeps_the_rest(
    client, signature, changes, message
):
    response = client.post(_path(signature), _sign_data(signer_title="Owner & CEO", **changes))
    assert response.status_code == 400
    text = response.content.decode()
    assert message in text
    assert "Owner &amp; CEO" in text  # what was typed is kept
    signature.refresh_from_db()
    assert signature.status == "pending"


@pytest.mark.django_db
def test_oversized_signature_is_refused(client, signature, settings):
    settings.ESIGN_SIGNATURE_MAX_BYTES = 1000
    response = client.post(
        _path(signature), _sign_data(signature_data=data_url(drawn_png((2000, 800))))
    )
    assert response.status_code == 400
    assert "too large" in response.content.decode()


@pytest.mark.django_db
def test_decline_needs_a_reason_and_tells_the_agent(
    client, signature, django_capture_on_commit_callbacks
):
    response = client.post(_path(signature), {"action": "decline", "decline_reason": ""})
    assert response.status_code == 400 and "why you decline" in response.content.decode()
    mail.outbox.clear()
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(
            _path(signature), {"action": "decline", "decline_reason": "Wrong policy number"}
        )
    assert "You declined" in response.content.decode()
    signature.refresh_from_db()
    signature.request.refresh_from_db()
    assert signature.status == "declined"
    assert signature.request.authorization == Authorization.DECLINED
    assert any("Wrong policy number" in m.body for m in mail.outbox)


@pytest.mark.django_db
def test_tampered_and_foreign_tokens_are_invalid(client, signature, other_agency):
    other = SignatureRequestFactory(agency=other_agency)
    token = make_token(signature_id=signature.pk, nonce=signature.nonce)
    forged_pairs = [
        token[:-2] + ("AA" if not token.endswith("AA") else "BB"),  # signature edited
        make_token(signature_id=other.pk, nonce=signature.nonce),  # another row, this nonce
        make_token(signature_id=signature.pk, nonce=other.nonce),  # this row, another nonce
        "not-a-token",
    ]
    for bad in forged_pairs:
        for name in ("esign:sign", "esign:sign_letter"):
            response = client.get(reverse(name, kwargs={"signing_token": bad}))
            assert response.status_code == 404, (name, bad)
            assert other.request.insured.legal_name.encode() not in response.content
            assert signature.request.insured.legal_name.encode() not in response.content


@pytest.mark.django_db
def test_expired_revoked_and_deleted_links(client, agency, owner, signature):
    with time_machine.travel(signature.expires_at + dt.timedelta(minutes=1)):
        response = client.get(_path(signature))
        assert response.status_code == 410 and "expired" in response.content.decode()
        assert client.post(_path(signature), _sign_data()).status_code == 410
    client.force_login(owner)
    client.post(reverse("esign:signature_revoke", kwargs={"signature_id": signature.pk}))
    client.logout()
    response = client.get(_path(signature))
    assert response.status_code == 410 and "no longer valid" in response.content.decode()
    signature.request.refresh_from_db()
    assert signature.request.authorization == Authorization.DRAFT
    path = _path(signature)
    signature.request.documents.all().delete()
    signature.request.delete()
    response = client.get(path)
    assert response.status_code == 404 and "no longer exists" in response.content.decode()


@pytest.mark.django_db
def test_resend_revokes_the_old_link(agency, signature):
    newer = SignatureRequestFactory(agency=agency, request=signature.request)
    signature.refresh_from_db()
    assert signature.status == "revoked" and newer.status == "pending"


@pytest.mark.django_db
def test_signing_page_is_rate_limited(client, signature, settings):
    from django.core.cache import cache

    settings.ESIGN_RATE = "3/m"
    cache.clear()
    # A frozen clock keeps the five requests inside one rate-limit window.
    with time_machine.travel(signature.sent_at + dt.timedelta(seconds=1), tick=False):
        codes = [client.get(_path(signature)).status_code for _ in range(5)]
    assert codes[:3] == [200, 200, 200]
    assert codes[-1] == 429


@pytest.mark.django_db
def test_letter_pdf_is_the_document_shown(client, signature):
    response = client.get(
        reverse(
            "esign:sign_letter",
            kwargs={"signing_token": make_token(signature_id=signature.pk, nonce=signature.nonce)},
        )
    )
    import hashlib

    body = b"".join(response.streaming_content)
    assert hashlib.sha256(body).hexdigest() == signature.shown_sha256
    assert re.match(rb"%PDF", body)
