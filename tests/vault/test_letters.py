"""The authorization and second-request letters: PDF text, views, saving to documents."""

import datetime as dt
import io

import pytest
import time_machine
from django.urls import reverse
from pypdf import PdfReader

from tests.factories import (
    AgencyFactory,
    CarrierFactory,
    InsuredFactory,
    LossRunRequestFactory,
    PolicyFactory,
)
from vault.letters import authorization_letter_pdf, second_request_letter_pdf
from vault.models import Document, Policy

pytestmark = pytest.mark.django_db


def pdf_text(data: bytes) -> str:
    assert data.startswith(b"%PDF-")
    reader = PdfReader(io.BytesIO(data))
    return " ".join(" ".join(page.extract_text().split()) for page in reader.pages)


@pytest.fixture
def letter_request():
    agency = AgencyFactory(
        name="Harbor Risk Partners",
        address="12 Water St\nMystic, CT 06355",
        phone="860-555-0100",
        email="service@harborrisk.test",
    )
    insured = InsuredFactory(
        agency=agency,
        legal_name="Blue Heron Bakery LLC",
        dba="Heron Breads",
        mailing_address="4 Mill Rd\nOld Lyme, CT 06371",
        fein="12-3456789",
        signer_name="Dana Whitfield",
        signer_title="Managing Member",
    )
    carrier = CarrierFactory(
        legal_name="Granite State Mutual",
        naic_code="24571",
        loss_run_email="lossruns@granite.test",
        fax="603-555-0199",
        mailing_address="1 Summit Ave\nConcord, NH 03301",
    )
    req = LossRunRequestFactory(
        agency=agency,
        insured=insured,
        carrier=carrier,
        policies=[],
        years_requested=3,
        recipient_name="Sam Ortiz",
        recipient_email="sam@harborrisk.test",
        first_request_on=dt.date(2026, 3, 2),
    )
    PolicyFactory(request=req, policy_number="BOP-7781234", line_of_business=Policy.Line.BOP,
                  term_start=dt.date(2025, 4, 1), term_end=dt.date(2026, 4, 1))  # fmt: skip
    PolicyFactory(request=req, policy_number="WC-0045521", line_of_business=Policy.Line.WC,
                  term_start=dt.date(2024, 4, 1), term_end=dt.date(2025, 4, 1))  # fmt: skip
    return req


@time_machine.travel(dt.datetime(2026, 3, 20, 15, 0, tzinfo=dt.UTC), tick=False)
def test_authorization_letter_has_everything_the_carrier_needs(letter_request):
    text = pdf_text(authorization_letter_pdf(request=letter_request))
    for expected in [
        "Harbor Risk Partners",
        "12 Water St",
        "860-555-0100",
        "service@harborrisk.test",
        "Mar 20, 2026",
        "Granite State Mutual",
        "lossruns@granite.test",
        "603-555-0199",
        "Concord, NH 03301",
        "Re: Loss run authorization",
        "Blue Heron Bakery LLC",
        "DBA Heron Breads",
        "FEIN 12-3456789",
        "BOP-7781234",
        "WC-0045521",
        "Apr 1, 2025 – Apr 1, 2026",
        "Workers compensation",
        "Loss history requested: 3 years (the terms listed and the 1 year before them)",
        "Sam Ortiz",
        "sam@harborrisk.test",
        "Dana Whitfield",
        "Managing Member",
        "Signature",
        "Date",
    ]:
        assert expected in text, expected


@time_machine.travel(dt.datetime(2026, 3, 20, 15, 0, tzinfo=dt.UTC), tick=False)
def test_second_request_letter_cites_the_first_and_has_no_signature(letter_request):
    text = pdf_text(second_request_letter_pdf(request=letter_request))
    for expected in [
        "Second request",
        "Mar 2, 2026",
        "Blue Heron Bakery LLC",
        "BOP-7781234",
        "WC-0045521",
        "within 24 hours",
        "signed authorization was sent with that first request",
        "Sam Ortiz",
        "Harbor Risk Partners",
    ]:
        assert expected in text, expected
    assert "Signature" not in text
    assert "____" not in text
    assert "Dana Whitfield" not in text


def test_letters_escape_what_users_typed(letter_request):
    letter_request.insured.legal_name = "<img src='http://evil.test/x.png'> & Sons"
    letter_request.insured.save()
    text = pdf_text(authorization_letter_pdf(request=letter_request))
    assert "<img src='http://evil.test/x.png'> & Sons" in text


def test_letter_date_is_the_agencys_date(letter_request):
    # 01:00 UTC on March 21 is still March 20 in New York.
    with time_machine.travel(dt.datetime(2026, 3, 21, 1, 0, tzinfo=dt.UTC), tick=False):
        text = pdf_text(authorization_letter_pdf(request=letter_request))
    assert "Mar 20, 2026" in text


# Views ------------------------------------------------------------------------------


def letter_url(name, req):
    return reverse(f"vault:{name}", kwargs={"request_id": req.pk})


@pytest.fixture
def letter_client(client, letter_request):
    from tests.factories import OwnerFactory

    client.force_login(OwnerFactory(agency=letter_request.agency))
    return client


@pytest.mark.parametrize("name", ["authorization_letter", "second_request_letter"])
def test_letter_views_return_a_pdf(letter_client, letter_request, name):
    response = letter_client.get(letter_url(name, letter_request))
    assert response.status_code == 200
    assert response["Content-Type"] == "application/pdf"
    assert response["Content-Disposition"].startswith('inline; filename="')
    assert "blue-heron-bakery-llc" in response["Content-Disposition"]
    assert "BOP-7781234" in pdf_text(response.content)


@pytest.mark.parametrize("name", ["authorization_letter", "second_request_letter"])
def test_letter_of_another_agency_is_404(owner_client, letter_request, name):
    assert owner_client.get(letter_url(name, letter_request)).status_code == 404
    assert owner_client.post(letter_url(name, letter_request)).status_code == 404
    assert not Document.objects.exists()


@pytest.mark.parametrize(
    ("name", "kind"),
    [
        ("authorization_letter", Document.Kind.AUTH_UNSIGNED),
        ("second_request_letter", Document.Kind.SECOND_REQUEST),
    ],
)
def test_saving_a_letter_stores_it_as_a_document(letter_client, letter_request, name, kind):
    response = letter_client.post(letter_url(name, letter_request), headers={"HX-Request": "true"})
    doc = Document.objects.get()
    assert (doc.kind, doc.request, doc.content_type) == (kind, letter_request, "application/pdf")
    assert doc.original_name.endswith(".pdf")
    html = response.content.decode()
    assert f"Saved {doc.original_name}" in html and f'id="docs-{letter_request.pk}"' in html
    with doc.file.open("rb") as fh:
        assert "Blue Heron Bakery LLC" in pdf_text(fh.read())


def test_saving_without_htmx_redirects_with_a_message(letter_client, letter_request):
    response = letter_client.post(letter_url("authorization_letter", letter_request))
    assert response.status_code == 302
    assert Document.objects.get().kind == Document.Kind.AUTH_UNSIGNED


def test_second_request_letter_needs_a_first_request_date(letter_client, letter_request):
    letter_request.first_request_on = None
    letter_request.save()
    response = letter_client.get(letter_url("second_request_letter", letter_request))
    assert response.status_code == 302
    page = letter_client.get(response["Location"])
    assert "Enter the date the 1st request was sent" in page.content.decode()
    letter_client.post(letter_url("second_request_letter", letter_request))
    assert not Document.objects.exists()


def test_htmx_save_of_second_request_without_first_date_explains_in_the_panel(
    letter_client, letter_request
):
    letter_request.first_request_on = None
    letter_request.save()
    response = letter_client.post(
        letter_url("second_request_letter", letter_request), headers={"HX-Request": "true"}
    )
    html = response.content.decode()
    assert response.status_code == 200 and "<html" not in html
    assert "Enter the date the 1st request was sent" in html
    assert not Document.objects.exists()
