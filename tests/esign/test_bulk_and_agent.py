"""The agent's side: send for signature (one or many), revoke, and the rules both ways."""

import pytest
from django.core import mail
from django.urls import reverse

from esign.models import SignatureRequest
from tests.factories import AgencyFactory, InsuredFactory, LossRunRequestFactory
from vault.models import Authorization

pytestmark = pytest.mark.django_db


def _with_signer(agency, **kwargs):
    insured = InsuredFactory(agency=agency, signer_email="boss@insured.test")
    return LossRunRequestFactory(agency=agency, insured=insured, **kwargs)


def test_send_for_signature_from_the_request_page(
    owner_client, agency, django_capture_on_commit_callbacks
):
    req = _with_signer(agency)
    page = owner_client.get(reverse("dispatch:request_send", kwargs={"request_id": req.pk}))
    assert 'value="boss@insured.test"' in page.content.decode()  # prefilled from the insured
    with django_capture_on_commit_callbacks(execute=True):
        owner_client.post(
            reverse("dispatch:signature_send", kwargs={"request_id": req.pk}),
            {"signer_name": "Jo Boss", "signer_title": "CFO", "signer_email": "jo@insured.test"},
        )
    signature = SignatureRequest.objects.get(request=req)
    assert signature.signer_email == "jo@insured.test" and signature.signer_name == "Jo Boss"
    req.insured.refresh_from_db()
    assert req.insured.signer_email == "jo@insured.test"  # the insured's signer is kept
    assert [m.to for m in mail.outbox] == [["jo@insured.test"]]


def test_bad_signer_email_keeps_what_was_typed(owner_client, agency):
    req = _with_signer(agency)
    response = owner_client.post(
        reverse("dispatch:signature_send", kwargs={"request_id": req.pk}),
        {"signer_name": "Jo Boss", "signer_title": "CFO", "signer_email": "not-an-address"},
    )
    assert response.status_code == 400
    html = response.content.decode()
    assert "Enter a valid email address" in html and 'value="Jo Boss"' in html
    assert not SignatureRequest.objects.exists()


def test_signed_or_sent_requests_are_not_sent_for_signature(agency):
    from esign.services import signature_send_errors

    assert signature_send_errors(request=_with_signer(agency)) == []
    assert signature_send_errors(request=_with_signer(agency, authorization=Authorization.SIGNED))
    assert signature_send_errors(request=_with_signer(agency, first_request_on="2025-01-02"))


def test_bulk_send_from_the_vault_list(owner_client, agency, django_capture_on_commit_callbacks):
    ready = [_with_signer(agency) for _ in range(3)]
    no_signer = LossRunRequestFactory(
        agency=agency, insured=InsuredFactory(agency=agency, signer_email="")
    )
    foreign = _with_signer(AgencyFactory())
    page = owner_client.get(reverse("vault:list"))
    assert f'value="{ready[0].pk}" form="bulk-sign"' in page.content.decode()
    with django_capture_on_commit_callbacks(execute=True):
        response = owner_client.post(
            reverse("esign:signature_send_bulk"),
            {"request": [r.pk for r in ready] + [no_signer.pk, foreign.pk]},
            follow=True,
        )
    html = response.content.decode()
    assert "Sent for signature: 3 request(s)." in html
    assert "no authorized signer with an e-mail on file" in html
    assert SignatureRequest.objects.filter(request__in=ready).count() == 3
    assert not SignatureRequest.objects.filter(request=foreign).exists()
    assert len(mail.outbox) == 3


def test_revoke_then_resend(owner_client, agency, django_capture_on_commit_callbacks):
    from tests.esign.factories import SignatureRequestFactory

    signature = SignatureRequestFactory(agency=agency)
    owner_client.post(reverse("esign:signature_revoke", kwargs={"signature_id": signature.pk}))
    signature.refresh_from_db()
    assert signature.status == "revoked"
    again = owner_client.post(
        reverse("esign:signature_revoke", kwargs={"signature_id": signature.pk}), follow=True
    )
    assert "still waiting for the signer" in again.content.decode()
