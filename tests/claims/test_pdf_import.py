"""The PDF import through the pages: upload, extraction task, review, corrections, commit."""

import datetime as dt

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from claims.models import CarrierPdfCorrection, Claim, LossRunReport, PdfImport
from tests.claims.pdfcorpus import sample
from tests.factories import CarrierFactory, InsuredFactory
from vault.models import Document


@pytest.fixture
def insured(agency):
    return InsuredFactory(agency=agency, legal_name="Harbor Lane Bakery LLC")


@pytest.fixture
def carrier():
    return CarrierFactory(legal_name="Cobalt Workers Compensation Fund")


def upload(client, insured, carrier, data: bytes, name="ledger.pdf"):
    return client.post(
        reverse("claims:pdf_import_start", kwargs={"insured_id": insured.pk}),
        {"carrier": carrier.pk, "file": SimpleUploadedFile(name, data, "application/pdf")},
    )


@pytest.fixture
def reviewed(owner_client, insured, carrier, django_capture_on_commit_callbacks):
    truth, pdf = sample("ledger")
    with django_capture_on_commit_callbacks(execute=True):
        response = upload(owner_client, insured, carrier, pdf)
    job = PdfImport.objects.get()
    assert response.url == reverse("claims:pdf_import_detail", kwargs={"pdf_import_id": job.pk})
    return truth, job


def test_upload_runs_the_extraction_and_the_review_lists_every_claim(owner_client, reviewed):
    truth, job = reviewed
    assert job.status == PdfImport.Status.REVIEW
    assert job.pages == job.pages_done == 4
    page = owner_client.get(reverse("claims:pdf_import_detail", kwargs={"pdf_import_id": job.pk}))
    html = page.content.decode()
    assert all(c["claim_number"] in html for c in truth.claims)
    assert "Reconciliation per term" in html and "matches" in html
    assert 'data-boxes="[[' in html
    image = owner_client.get(
        reverse("claims:pdf_import_page", kwargs={"pdf_import_id": job.pk, "page": 2})
    )
    assert image["Content-Type"] == "image/png" and image.content.startswith(b"\x89PNG")


def test_flagged_rows_come_first(owner_client, reviewed):
    _, job = reviewed
    job.result["claims"][5]["flags"] = ["no status found"]
    job.save()
    page = owner_client.get(reverse("claims:pdf_import_detail", kwargs={"pdf_import_id": job.pk}))
    rows = page.context["rows"]
    assert rows[0]["index"] == 5 and not rows[1]["flags"]


def test_commit_stores_every_claim_once(owner_client, reviewed, insured):
    truth, job = reviewed
    response = owner_client.post(
        reverse("claims:pdf_import_review", kwargs={"pdf_import_id": job.pk}),
        {"commit": "1", "valuation_date": "2026-10-30"},
    )
    report = LossRunReport.objects.get()
    assert response.url == reverse("claims:report_detail", kwargs={"report_id": report.pk})
    assert report.valuation_date == dt.date(2026, 10, 30)
    assert Claim.objects.filter(report=report).count() == len(truth.claims)
    stored = Claim.objects.get(claim_number=truth.claims[0]["claim_number"])
    assert stored.adjuster == truth.claims[0]["adjuster"]
    assert stored.status_as_printed == truth.claims[0]["status_as_printed"]
    closed = next(c for c in truth.claims if c["date_closed"])
    assert (
        Claim.objects.get(claim_number=closed["claim_number"]).date_closed.isoformat()
        == (closed["date_closed"])
    )
    assert report.terms.count() == 3  # the term printed with no claims is kept
    job.refresh_from_db()
    assert job.status == PdfImport.Status.DONE


def test_a_bad_cell_refuses_the_whole_commit_and_names_the_claim(owner_client, reviewed):
    truth, job = reviewed
    index = next(i for i, c in enumerate(job.result["claims"]))
    number = job.result["claims"][index]["values"]["claim_number"]
    response = owner_client.post(
        reverse("claims:pdf_import_review", kwargs={"pdf_import_id": job.pk}),
        {"commit": "1", "valuation_date": "2026-10-30", f"c{index}-date_of_loss": "13/45/2024"},
        follow=True,
    )
    text = response.content.decode()
    assert number in text and "Nothing was imported" in text
    assert not Claim.objects.exists() and not LossRunReport.objects.exists()


def test_corrections_are_remembered_for_the_carriers_next_pdf(
    owner_client, reviewed, insured, carrier, django_capture_on_commit_callbacks
):
    _, job = reviewed
    first = job.result["claims"][0]["values"]
    owner_client.post(
        reverse("claims:pdf_import_review", kwargs={"pdf_import_id": job.pk}),
        {"save": "1", "c0-cause_of_loss": "Theft of tools"},
    )
    memory = CarrierPdfCorrection.objects.get(carrier=carrier)
    assert memory.fixes == {"cause_of_loss": {first["cause_of_loss"]: "Theft of tools"}}
    _, pdf = sample("ledger")
    with django_capture_on_commit_callbacks(execute=True):
        upload(owner_client, insured, carrier, pdf)
    again = PdfImport.objects.exclude(pk=job.pk).get()
    fixed = [c for c in again.result["claims"] if c["remembered"]]
    assert fixed and all(c["values"]["cause_of_loss"] == "Theft of tools" for c in fixed)


def test_a_pdf_that_cannot_be_read_fails_with_its_reason(
    owner_client, insured, carrier, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        upload(owner_client, insured, carrier, b"%PDF-1.4\n% truncated nonsense\n")
    job = PdfImport.objects.get()
    assert job.status == PdfImport.Status.FAILED
    assert "damaged" in job.message
    page = owner_client.get(reverse("claims:pdf_import_detail", kwargs={"pdf_import_id": job.pk}))
    html = page.content.decode()
    assert "damaged" in html and "Nothing was imported" in html


def test_a_spreadsheet_is_sent_to_the_spreadsheet_import(owner_client, insured, carrier):
    response = owner_client.post(
        reverse("claims:pdf_import_start", kwargs={"insured_id": insured.pk}),
        {
            "carrier": carrier.pk,
            "file": SimpleUploadedFile("claims.csv", b"a,b\n1,2\n", "text/csv"),
        },
    )
    assert response.status_code == 200
    assert "spreadsheets go through the CSV/XLSX import" in response.content.decode()
    assert not PdfImport.objects.exists()
    assert not Document.objects.exists()
