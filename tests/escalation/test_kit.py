"""The escalation kit: available only past the statutory date with nothing received; the
certified letter and the draft complaint say what they must (PDF text); the agency's pages."""

import datetime as dt
import io

import pytest
import time_machine
from django.core.exceptions import ValidationError
from django.urls import reverse
from pypdf import PdfReader

from escalation import kit
from tests.factories import AgencyFactory, CarrierFactory, DocumentFactory, InsuredFactory
from tests.helpdesk.factories import TicketFactory
from vault import services
from vault.models import Document

pytestmark = pytest.mark.django_db

NOW = dt.datetime(2026, 12, 10, 15, 0, tzinfo=dt.UTC)


@pytest.fixture(autouse=True)
def _clock():
    with time_machine.travel(NOW, tick=False):
        yield


def pdf_text(data: bytes) -> str:
    assert data.startswith(b"%PDF-")
    reader = PdfReader(io.BytesIO(data))
    return " ".join(" ".join(page.extract_text().split()) for page in reader.pages)


@pytest.fixture
def late(owner):
    agency = owner.agency
    agency.name, agency.address, agency.phone = (
        "Harbor Risk Partners",
        "12 Water St",
        "860-555-0100",
    )
    agency.save()
    insured = InsuredFactory(agency=agency, legal_name="Blue Heron Bakery LLC", state="FL")
    carrier = CarrierFactory(legal_name="Granite State Mutual", naic_code="24571")
    req = services.request_create(
        agency=agency,
        user=owner,
        insured=insured,
        carrier=carrier,
        policies=[services.PolicyData("GL-778812", dt.date(2025, 1, 1), dt.date(2026, 1, 1))],
        recipient_email="me@agency.test",
        first_request_on=dt.date(2026, 11, 2),  # Florida: due 11/17
    )
    DocumentFactory(request=req, original_name="signed-auth.pdf", kind=Document.Kind.AUTH_SIGNED)
    DocumentFactory(request=req, original_name="dec-page.pdf", kind=Document.Kind.PROOF_DEC_PAGE)
    return kit.kit_request_get(agency=agency, request_id=req.pk)


def test_the_kit_exists_only_past_the_date_with_nothing_received(late, owner):
    assert kit.kit_available(late)
    assert not kit.kit_available(late, today=dt.date(2026, 11, 17))
    services.request_record_received(request=late, received_on=dt.date(2026, 12, 9))
    late = kit.kit_request_get(agency=owner.agency, request_id=late.pk)
    assert not kit.kit_available(late)
    with pytest.raises(ValidationError):
        kit.kit_letter_pdf(request=late)


def test_certified_letter_cites_the_statute_the_request_and_what_was_sent(late):
    text = pdf_text(kit.kit_letter_pdf(request=late))
    for expected in (
        "Harbor Risk Partners",  # letterhead
        "VIA CERTIFIED MAIL, RETURN RECEIPT REQUESTED",
        "Granite State Mutual",
        "Blue Heron Bakery LLC",
        "On Nov 2, 2026 we sent you a written request",
        "signed-auth.pdf",
        "GL-778812",
        "Fla. Stat. § 627.444",
        "within 15 calendar days",
        "That period ended on Nov 17, 2026",
        "Florida Department of Financial Services",
    ):
        assert expected in text, expected
    assert "dec-page.pdf" not in text  # proof of carrier is not what went to the carrier


def test_draft_complaint_carries_the_history(late, owner):
    TicketFactory(request=late)
    late = kit.kit_request_get(agency=owner.agency, request_id=late.pk)
    text = pdf_text(kit.kit_complaint_pdf(request=late))
    for expected in (
        "DRAFT",
        "Florida Department of Financial Services",
        "NAIC 24571",
        "Statutory due date Nov 17, 2026",
        "Attachment A: the request's history",
        "Written (1st) request sent to the carrier",
        f"Loss Run Help Desk ticket #{late.helpdesk_tickets.get().pk}",
        "Attachment C: documents on file",
        "signed-auth.pdf",
        "dec-page.pdf",
    ):
        assert expected in text, expected


def test_kit_views_serve_pdfs_or_explain(owner_client, late, owner):
    url = reverse("escalation:kit_letter", kwargs={"request_id": late.pk})
    response = owner_client.get(url)
    assert response["Content-Type"] == "application/pdf"
    assert "certified-letter-blue-heron-bakery-llc" in response["Content-Disposition"]
    response = owner_client.get(reverse("escalation:kit_complaint", kwargs={"request_id": late.pk}))
    assert response["Content-Type"] == "application/pdf"
    services.request_record_received(request=late, received_on=dt.date(2026, 12, 9))
    response = owner_client.get(url, follow=True)
    assert response.redirect_chain[-1][0] == reverse(
        "vault:request_edit", kwargs={"request_id": late.pk}
    )
    assert kit.NO_KIT in response.content.decode()


def test_another_agencys_kit_is_404(client, late):
    from tests.factories import OwnerFactory

    client.force_login(OwnerFactory(agency=AgencyFactory()))
    assert (
        client.get(reverse("escalation:kit_letter", kwargs={"request_id": late.pk})).status_code
        == 404
    )


def test_kit_letters_print_the_years_with_the_terms_they_cover(late):
    """Three years asked of one term: both PDFs say so, as the request letters do."""
    late.years_requested = 3
    late.save(update_fields=["years_requested"])
    late = kit.kit_request_get(agency=late.agency, request_id=late.pk)
    years = "3 years (the terms listed and the 2 years before them)"
    assert f"covering the past {years}." in pdf_text(kit.kit_letter_pdf(request=late))
    assert f"({years})" in pdf_text(kit.kit_complaint_pdf(request=late))
