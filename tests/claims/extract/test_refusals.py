"""A PDF the engine refuses gets its one sentence through both doors: the command and the
web import (which then stores no claim)."""

import io
import re

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.core.management import CommandError, call_command
from django.urls import reverse
from pypdf import PdfReader, PdfWriter
from weasyprint import HTML

from claims.extract import MAX_PAGES
from claims.models import Claim, PdfImport
from tests.claims.extract.test_bad_input import blank_pdf
from tests.claims.pdfcorpus import sample
from tests.factories import CarrierFactory, InsuredFactory


def encrypted() -> bytes:
    _, pdf = sample("cards_two_columns")
    writer = PdfWriter(clone_from=PdfReader(io.BytesIO(pdf)))
    writer.encrypt("secret")
    out = io.BytesIO()
    writer.write(out)
    return out.getvalue()


def not_a_loss_run() -> bytes:
    return HTML(string="<h1>Invoice 2291</h1><p>Bakery flour, 40 bags: $812.00</p>").write_pdf()


def corrupt() -> bytes:
    return sample("reordered_columns")[1][:600]


REFUSED = [
    (encrypted, "encrypted \\(password protected\\)"),
    (corrupt, "damaged and cannot be read"),
    (lambda: blank_pdf(MAX_PAGES + 1), f"{MAX_PAGES + 1} pages; the limit is {MAX_PAGES}"),
    (not_a_loss_run, "No claims found: this does not look like a loss run.*Invoice 2291"),
]


@pytest.mark.parametrize(("make", "message"), REFUSED)
def test_the_command_says_why(tmp_path, make, message):
    path = tmp_path / "file.pdf"
    path.write_bytes(make())
    with pytest.raises(CommandError, match=message):
        call_command("extract_loss_run", str(path), "--json", stdout=io.StringIO())


@pytest.mark.parametrize(("make", "message"), REFUSED)
def test_the_web_import_fails_with_the_sentence_and_imports_nothing(
    owner_client, agency, django_capture_on_commit_callbacks, make, message
):
    insured = InsuredFactory(agency=agency)
    carrier = CarrierFactory()
    with django_capture_on_commit_callbacks(execute=True):
        owner_client.post(
            reverse("claims:pdf_import_start", kwargs={"insured_id": insured.pk}),
            {
                "carrier": carrier.pk,
                "file": SimpleUploadedFile("run.pdf", make(), "application/pdf"),
            },
        )
    job = PdfImport.objects.get()
    assert job.status == PdfImport.Status.FAILED
    page = owner_client.get(reverse("claims:pdf_import_detail", kwargs={"pdf_import_id": job.pk}))
    assert page.status_code == 200
    html = page.content.decode().replace("&#x27;", "'").replace("&quot;", '"')
    assert re.search(message, job.message) and re.search(message.split(".*")[0], html)
    assert "Nothing was imported" in html
    assert not Claim.objects.exists()
