"""Sending to the carrier: e-mail with both PDFs and the request's Reply-To, or by hand."""

import pytest
from django.core import mail
from django.urls import reverse
from django.utils import timezone

from dispatch.models import CarrierSend
from tests.factories import CarrierFactory, DocumentFactory, LossRunRequestFactory
from vault.addresses import parse_reply_address, request_reply_address
from vault.authorization import request_authorization_set
from vault.models import Authorization, CarrierAgencyNote


def _signed(agency, **kwargs):
    req = LossRunRequestFactory(agency=agency, **kwargs)
    DocumentFactory(request=req)
    request_authorization_set(request=req, authorization=Authorization.SIGNED, reason="test")
    return req


@pytest.mark.django_db
def test_first_request_by_email_attaches_both_pdfs_with_reply_to(
    owner_client, agency, django_capture_on_commit_callbacks, settings
):
    settings.INBOUND_EMAIL_ADDRESS = "lossruns@in.example.com"
    req = _signed(agency, policies=["GL-1", "GL-2"])
    with django_capture_on_commit_callbacks(execute=True):
        response = owner_client.post(
            reverse("dispatch:send_email", kwargs={"request_id": req.pk}), {"kind": "first"}
        )
    assert response.status_code == 302
    [message] = mail.outbox
    assert message.to == [req.carrier.loss_run_email]
    assert "Loss run request" in message.subject and "GL-1, GL-2" in message.subject
    assert req.insured.legal_name in message.subject
    assert message.reply_to == [request_reply_address(req.pk)]
    assert message.reply_to[0].startswith("lossruns+") and message.reply_to[0].endswith(
        "@in.example.com"
    )
    assert parse_reply_address(message.reply_to[0]) == req.pk
    assert agency.name in message.from_email
    names = [a[0] for a in message.attachments]
    assert len(names) == 2 and names[0] == "signed.pdf" and "first-request" in names[1]
    req.refresh_from_db()
    assert req.first_request_on == timezone.now().astimezone(agency.tz).date()
    send = CarrierSend.objects.get(request=req)
    assert send.method == "email" and send.documents.count() == 2 and send.email is not None
    history = owner_client.get(reverse("vault:request_edit", kwargs={"request_id": req.pk}))
    assert f"E-mailed the 1st request to {req.carrier.loss_run_email}" in history.content.decode()
    assert message.subject in history.content.decode()  # the e-mail is listed on the request


@pytest.mark.django_db
def test_first_request_needs_a_signature_second_does_not(
    owner_client, agency, django_capture_on_commit_callbacks
):
    req = LossRunRequestFactory(agency=agency)
    url = reverse("dispatch:send_email", kwargs={"request_id": req.pk})
    owner_client.post(url, {"kind": "first"})
    assert not CarrierSend.objects.exists()
    req.first_request_on = timezone.localdate(req.created_at)  # the agency's day, not UTC's
    req.save()
    with django_capture_on_commit_callbacks(execute=True):
        owner_client.post(url, {"kind": "second"})
    req.refresh_from_db()
    assert req.second_request_at is not None
    assert mail.outbox[0].subject.startswith("2nd request:")
    assert "second-request" in mail.outbox[0].attachments[0][0]


@pytest.mark.django_db
def test_fax_only_carrier_offers_pdfs_and_i_sent_it(owner_client, agency):
    req = _signed(agency, carrier=CarrierFactory(loss_run_email="", fax="(555) 010-2000"))
    page = owner_client.get(reverse("dispatch:request_send", kwargs={"request_id": req.pk}))
    html = page.content.decode()
    assert "Fax only: print and fax to (555) 010-2000" in html
    assert reverse("dispatch:first_request_letter", kwargs={"request_id": req.pk}) in html
    assert (
        owner_client.post(
            reverse("dispatch:send_email", kwargs={"request_id": req.pk}), {"kind": "first"}
        ).status_code
        == 302
    )
    assert not CarrierSend.objects.exists()
    sent_on = req.created_at.astimezone(agency.tz).date()  # a date on or after the request
    response = owner_client.post(
        reverse("dispatch:send_manual", kwargs={"request_id": req.pk}),
        {
            "first-kind": "first",
            "first-method": "fax",
            "first-sent_at": f"{sent_on.isoformat()}T00:15",
            "first-to": "(555) 010-2000",
        },
    )
    assert response.status_code == 302
    req.refresh_from_db()
    assert req.first_request_on == sent_on
    assert CarrierSend.objects.get(request=req).method == "fax"


@pytest.mark.django_db
def test_manual_send_bad_input_keeps_what_was_typed(owner_client, agency):
    req = _signed(agency)
    response = owner_client.post(
        reverse("dispatch:send_manual", kwargs={"request_id": req.pk}),
        {
            "first-kind": "first",
            "first-method": "fax",
            "first-sent_at": "not a date",
            "first-note": "Sent from the front desk",
        },
    )
    assert response.status_code == 400
    assert "Sent from the front desk" in response.content.decode()


@pytest.mark.django_db
def test_agency_override_address_is_used_and_private_to_it(
    owner_client, agency, other_agency, django_capture_on_commit_callbacks
):
    req = _signed(agency)
    CarrierAgencyNote.objects.create(
        agency=agency, carrier=req.carrier, loss_run_email="desk@carrier.test"
    )
    CarrierAgencyNote.objects.create(agency=other_agency, carrier=req.carrier, notes="Theirs only")
    page = owner_client.get(reverse("vault:carrier_detail", kwargs={"carrier_id": req.carrier.pk}))
    assert "desk@carrier.test" in page.content.decode()
    assert "Theirs only" not in page.content.decode()
    with django_capture_on_commit_callbacks(execute=True):
        owner_client.post(
            reverse("dispatch:send_email", kwargs={"request_id": req.pk}), {"kind": "first"}
        )
    assert mail.outbox[0].to == ["desk@carrier.test"]


def test_reply_address_refuses_forged_and_foreign_tokens(settings):
    settings.INBOUND_EMAIL_ADDRESS = "lossruns@in.example.com"
    good = request_reply_address(42)
    assert parse_reply_address(f"Carrier Desk <{good.upper()}>") == 42
    local, domain = good.split("@")
    assert parse_reply_address(local.replace("r16", "r17") + "@" + domain) is None
    assert parse_reply_address(f"{local}@elsewhere.example.com") is None
    assert parse_reply_address("lossruns@in.example.com") is None
    assert parse_reply_address("lossruns+garbage@in.example.com") is None


@pytest.mark.django_db
@pytest.mark.parametrize(
    ("years", "printed"),
    [
        (1, "covering the past 1 year"),
        (5, "covering the past 5 years (the terms listed and the 4 years before them)"),
    ],
)
def test_both_request_emails_print_the_years_as_the_letters_do(
    owner_client, agency, django_capture_on_commit_callbacks, years, printed
):
    """The e-mail carries the same "years requested" as its attached letter (one rule,
    vault.rules.request_years_text): a one-term request never asks for a bare "5 years"."""
    req = _signed(agency, policies=["GL-1"], years_requested=years)  # one 2025 term
    url = reverse("dispatch:send_email", kwargs={"request_id": req.pk})
    with django_capture_on_commit_callbacks(execute=True):
        owner_client.post(url, {"kind": "first"})
    with django_capture_on_commit_callbacks(execute=True):
        owner_client.post(url, {"kind": "second"})
    first, second = mail.outbox
    assert f"{printed}:" in " ".join(first.body.split())
    assert f"{printed}, for:" in " ".join(second.body.split())
