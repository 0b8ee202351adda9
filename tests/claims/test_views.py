import datetime as dt
import io
from decimal import Decimal

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from pypdf import PdfReader

from claims import services
from claims.models import CarrierHeaderMapping, Claim, ImportJob, LossRunReport, ReportTerm
from claims.services import import_jobs
from tests.claims.factories import ClaimFactory, LossRunReportFactory, ReportTermFactory
from tests.claims.files import csv_bytes
from tests.factories import CarrierFactory, InsuredFactory, LossRunRequestFactory

HEAD = [
    "Clm #",
    "Policy #",
    "Policy Period",
    "DOL",
    "Rptd",
    "Status",
    "Paid Loss",
    "O/S",
    "Incurred",
    "Premium",
]
PERIOD = "01/01/2025 - 01/01/2026"


def row(
    number, dol="2025-03-01", status="closed", paid="1000.00", reserves="0", incurred="1000.00"
):
    return [number, "GL-1", PERIOD, dol, "2025-03-02", status, paid, reserves, incurred, "80000"]


@pytest.fixture
def insured(agency):
    return InsuredFactory(agency=agency, legal_name="Bluefin Bakery LLC")


@pytest.fixture
def carrier():
    return CarrierFactory(legal_name="Hartwell Mutual")


def populated(agency, insured, carrier, n_terms=3, claims_per_term=3):
    report = LossRunReportFactory(
        agency=agency, insured=insured, carrier=carrier, valuation_date=dt.date(2026, 10, 1)
    )
    for year in range(2023, 2023 + n_terms):
        term = ReportTermFactory(agency=agency, report=report, insured=insured, term_start=dt.date(year, 1, 1),
                                 term_end=dt.date(year + 1, 1, 1))  # fmt: skip
        for i in range(claims_per_term):
            ClaimFactory(agency=agency, term=term, insured=insured, report=report, carrier=carrier,
                         status=Claim.Status.OPEN if i == 0 else Claim.Status.CLOSED,
                         reserves=Decimal("30000") if i == 0 else Decimal("0"))  # fmt: skip
    return report


def upload(client, insured, carrier, data: bytes, name="loss-run.csv", **extra):
    payload = {
        "carrier": carrier.pk, "valuation_date": "2026-10-01", "line": "GL",
        "file": SimpleUploadedFile(name, data, content_type="text/csv"), **extra,
    }  # fmt: skip
    return client.post(reverse("claims:import_start", kwargs={"insured_id": insured.pk}), payload)


# --- pages ----------------------------------------------------------------------------------


def test_insured_list_shows_readiness_in_constant_queries(
    owner_client, agency, carrier, django_assert_max_num_queries
):
    for _ in range(3):
        insured = InsuredFactory(agency=agency)
        LossRunRequestFactory(agency=agency, insured=insured, carrier=carrier)
        populated(agency, insured, carrier, n_terms=1)
    url = reverse("claims:insured_list")
    with django_assert_max_num_queries(12) as few:
        owner_client.get(url)
    for _ in range(10):
        insured = InsuredFactory(agency=agency)
        populated(agency, insured, carrier, n_terms=2)
    with django_assert_max_num_queries(len(few.captured_queries)):
        response = owner_client.get(url)
    assert response.status_code == 200
    assert b"Ready" in response.content or b"gap" in response.content


def test_summary_page_shows_terms_charts_and_readiness_in_constant_queries(
    owner_client, agency, insured, carrier, django_assert_num_queries
):
    LossRunRequestFactory(agency=agency, insured=insured, carrier=carrier)
    older = populated(agency, insured, carrier, n_terms=2, claims_per_term=2)
    older.valuation_date = dt.date(2025, 10, 1)
    older.save()
    newer = populated(agency, insured, carrier, n_terms=2, claims_per_term=2)
    url = reverse("claims:insured_summary", kwargs={"insured_id": insured.pk})
    owner_client.get(url)  # warm the session and content-type caches
    with CaptureQueriesContext(connection) as small:
        owner_client.get(url)
    assert len(small.captured_queries) <= 22
    for year in (2025, 2026):
        term = ReportTermFactory(agency=agency, report=newer, insured=insured, term_start=dt.date(year, 1, 1),
                                 term_end=dt.date(year + 1, 1, 1))  # fmt: skip
        for _ in range(5):
            ClaimFactory(agency=agency, term=term, insured=insured, report=newer, carrier=carrier,
                         status=Claim.Status.OPEN, reserves=Decimal("50000"))  # fmt: skip
    with django_assert_num_queries(len(small.captured_queries)):
        response = owner_client.get(url)
    html = response.content.decode()
    assert "Bluefin Bakery LLC" in html
    assert "<svg" in html and "Incurred by term" in html and "Loss ratio by term" in html
    assert "Submission readiness" in html
    assert "valuation fresh until" in html or "days old" in html
    assert "Reserve movement" in html


def test_other_agencys_insured_report_claim_and_import_are_404(owner_client, other_agency):
    other_insured = InsuredFactory(agency=other_agency)
    claim = ClaimFactory(agency=other_agency)
    urls = [
        reverse("claims:insured_summary", kwargs={"insured_id": other_insured.pk}),
        reverse("claims:summary_pdf", kwargs={"insured_id": other_insured.pk}),
        reverse("claims:import_start", kwargs={"insured_id": other_insured.pk}),
        reverse("claims:report_detail", kwargs={"report_id": claim.report_id}),
        reverse("claims:term_edit", kwargs={"term_id": claim.term_id}),
        reverse("claims:claim_edit", kwargs={"claim_id": claim.pk}),
    ]
    for url in urls:
        assert owner_client.get(url).status_code == 404, url
    assert (
        owner_client.post(
            reverse("claims:report_delete", kwargs={"report_id": claim.report_id})
        ).status_code
        == 404
    )
    assert LossRunReport.objects.filter(pk=claim.report_id).exists()


def test_list_never_shows_another_agencys_insureds(owner_client, other_agency):
    InsuredFactory(agency=other_agency, legal_name="Secret Other Co")
    assert b"Secret Other Co" not in owner_client.get(reverse("claims:insured_list")).content


def test_anonymous_is_sent_to_sign_in(client, insured):
    response = client.get(reverse("claims:insured_summary", kwargs={"insured_id": insured.pk}))
    assert response.status_code == 302 and "/accounts/login/" in response["Location"]


# --- import flow ------------------------------------------------------------------------------


def test_upload_map_preview_commit_inline(owner_client, agency, insured, carrier):
    response = upload(owner_client, insured, carrier, csv_bytes([HEAD, row("A-1"), row("A-2")]))
    job = ImportJob.objects.get()
    assert response.status_code == 302 and response["Location"].endswith(
        f"/imports/{job.pk}/mapping/"
    )
    mapping_page = owner_client.get(response["Location"])
    assert mapping_page.status_code == 200
    assert b"Clm #" in mapping_page.content
    posted = {f"col_{i}": f for i, f in enumerate(job.mapping)}
    response = owner_client.post(response["Location"], posted)
    job.refresh_from_db()
    assert job.status == ImportJob.Status.PREVIEW and job.bad_rows == 0
    preview = owner_client.get(reverse("claims:import_detail", kwargs={"import_id": job.pk}))
    assert b"All 2 rows are good" in preview.content and b"A-1" in preview.content
    assert Claim.objects.count() == 0  # nothing before the commit
    response = owner_client.post(reverse("claims:import_commit", kwargs={"import_id": job.pk}))
    assert response["Location"] == reverse(
        "claims:insured_summary", kwargs={"insured_id": insured.pk}
    )
    assert Claim.objects.count() == 2
    report = LossRunReport.objects.get()
    assert report.document.original_name == "loss-run.csv" and report.valuation_date == dt.date(
        2026, 10, 1
    )
    assert (
        CarrierHeaderMapping.objects.get(agency=agency, carrier=carrier).mapping["claim number"]
        == "claim_number"
    )


def test_preview_lists_errors_and_commits_nothing_until_bad_rows_are_dropped(
    owner_client, insured, carrier
):
    rows = [
        HEAD,
        row("A-1"),
        row("A-2", dol="2025-02-30"),
        row("A-3", incurred="5000.00", paid="3000.00", reserves="1500.00", status="open"),
    ]
    upload(owner_client, insured, carrier, csv_bytes(rows))
    job = ImportJob.objects.get()
    owner_client.post(reverse("claims:import_mapping", kwargs={"import_id": job.pk}),
                      {f"col_{i}": f for i, f in enumerate(job.mapping)})  # fmt: skip
    page = owner_client.get(
        reverse("claims:import_detail", kwargs={"import_id": job.pk})
    ).content.decode()
    assert "row 3: date of loss 2025-02-30 is not a date" in page
    assert "row 4: incurred 5,000.00 is not paid 3,000.00 + reserves 1,500.00" in page
    commit = reverse("claims:import_commit", kwargs={"import_id": job.pk})
    owner_client.post(commit)
    assert Claim.objects.count() == 0
    owner_client.post(commit, {"drop_bad_rows": "1"})
    assert list(Claim.objects.values_list("claim_number", flat=True)) == ["A-1"]


def test_mapping_errors_keep_the_users_choices(owner_client, insured, carrier):
    upload(owner_client, insured, carrier, csv_bytes([HEAD, row("A-1")]))
    job = ImportJob.objects.get()
    choices = {f"col_{i}": f for i, f in enumerate(job.mapping)}
    choices["col_5"] = ""  # status ignored
    response = owner_client.post(
        reverse("claims:import_mapping", kwargs={"import_id": job.pk}), choices
    )
    assert response.status_code == 200
    assert b"No column is mapped to status." in response.content
    job.refresh_from_db()
    assert job.status == ImportJob.Status.MAPPING


def test_large_file_runs_in_celery_with_a_progress_partial(
    owner_client, insured, carrier, monkeypatch, django_capture_on_commit_callbacks
):
    monkeypatch.setattr(import_jobs, "INLINE_IMPORT_BYTES", 10)
    upload(owner_client, insured, carrier, csv_bytes([HEAD] + [row(f"A-{i}") for i in range(50)]))
    job = ImportJob.objects.get()
    mapping = {f"col_{i}": f for i, f in enumerate(job.mapping)}
    with django_capture_on_commit_callbacks(execute=False) as callbacks:
        owner_client.post(reverse("claims:import_mapping", kwargs={"import_id": job.pk}), mapping)
    job.refresh_from_db()
    assert job.status == ImportJob.Status.VALIDATING
    partial = owner_client.get(
        reverse("claims:import_progress", kwargs={"import_id": job.pk}), HTTP_HX_REQUEST="true"
    )
    assert b"<progress" in partial.content and b'hx-trigger="every 1s"' in partial.content
    for callback in callbacks:
        callback()  # the eager Celery task
    job.refresh_from_db()
    assert job.status == ImportJob.Status.PREVIEW and job.total_rows == 51
    done = owner_client.get(
        reverse("claims:import_progress", kwargs={"import_id": job.pk}), HTTP_HX_REQUEST="true"
    )
    assert done["HX-Refresh"] == "true"
    with django_capture_on_commit_callbacks(execute=True):
        owner_client.post(reverse("claims:import_commit", kwargs={"import_id": job.pk}))
    job.refresh_from_db()
    assert job.status == ImportJob.Status.DONE and job.imported_count == 50
    assert Claim.objects.count() == 50


def test_upload_refuses_a_pdf_for_claims_and_keeps_the_form(owner_client, insured, carrier):
    response = upload(
        owner_client, insured, carrier, b"%PDF-1.4\n%x\n", name="run.pdf", policy_number="GL-9"
    )
    assert response.status_code == 200
    assert b"CSV or XLSX" in response.content
    assert b'value="GL-9"' in response.content


def test_upload_form_requires_both_term_dates(owner_client, insured, carrier):
    response = upload(
        owner_client, insured, carrier, csv_bytes([HEAD, row("A")]), term_start="2025-01-01"
    )
    assert b"Enter both term dates, or neither." in response.content


# --- manual entry -------------------------------------------------------------------------------


def claim_post(**over):
    data = {"claim_number": "M-1", "status": "open", "date_of_loss": "2025-05-01", "date_reported": "2025-05-02",
            "paid_indemnity": "100.00", "paid_medical": "", "paid_expense": "", "recoveries": "",
            "reserves": "900.00", "total_incurred": ""}  # fmt: skip
    data.update(over)
    return data


def test_manual_claim_entry_computes_incurred_and_applies_the_import_rules(
    owner_client, agency, insured, carrier
):
    report = LossRunReportFactory(agency=agency, insured=insured, carrier=carrier)
    term = ReportTermFactory(agency=agency, report=report, insured=insured)
    url = reverse("claims:claim_create", kwargs={"term_id": term.pk})
    response = owner_client.post(url, claim_post())
    assert response.status_code == 302
    claim = Claim.objects.get()
    assert claim.total_incurred == Decimal("1000.00") and claim.claim_key == "M1"
    bad = owner_client.post(
        url, claim_post(claim_number="M-2", status="closed", total_incurred="5000")
    )
    html = bad.content.decode()
    assert "Incurred 5,000.00 is not paid 100.00 + reserves 900.00." in html
    assert "Closed claim carries reserves." in html
    assert 'value="M-2"' in html
    dup = owner_client.post(url, claim_post(claim_number="m 1"))
    assert "Claim number m 1 is already on this report." in dup.content.decode()
    outside = owner_client.post(
        url, claim_post(claim_number="M-3", date_of_loss="2024-05-01", date_reported="")
    )
    assert "is outside the policy period" in outside.content.decode()


def test_editing_a_claim(owner_client, agency):
    claim = ClaimFactory(agency=agency, claim_number="E-1")
    url = reverse("claims:claim_edit", kwargs={"claim_id": claim.pk})
    assert owner_client.get(url).status_code == 200
    response = owner_client.post(url, claim_post(claim_number="E-1", date_of_loss=str(claim.date_of_loss),
                                                 date_reported="", status="closed", reserves="0"))  # fmt: skip
    assert response.status_code == 302
    claim.refresh_from_db()
    assert claim.status == "closed" and claim.total_incurred == Decimal("100.00")


def test_manual_report_then_term(owner_client, insured, carrier):
    response = owner_client.post(reverse("claims:report_create", kwargs={"insured_id": insured.pk}),
                                 {"carrier": carrier.pk, "valuation_date": "2026-09-01"})  # fmt: skip
    report = LossRunReport.objects.get()
    assert response["Location"] == reverse("claims:term_create", kwargs={"report_id": report.pk})
    bad = owner_client.post(
        response["Location"], {"term_start": "2025-01-01", "term_end": "2024-01-01", "line": "GL"}
    )
    assert b"The term must end after it starts." in bad.content
    owner_client.post(response["Location"], {"term_start": "2025-01-01", "term_end": "2026-01-01", "line": "GL",
                                             "subject_premium": "0", "policy_number": "GL-2"})  # fmt: skip
    assert ReportTerm.objects.get().subject_premium == Decimal("0.00")


def test_no_prior_coverage_attestation_needs_a_pdf(owner_client, insured):
    url = reverse("claims:attestation_create", kwargs={"insured_id": insured.pk})
    data = {"term_start": "2024-01-01", "term_end": "2025-01-01", "line": "GL"}
    png = owner_client.post(url, {**data, "file": SimpleUploadedFile("a.csv", b"a,b\n1,2\n")})
    assert b"Upload the signed attestation as a PDF." in png.content
    ok = owner_client.post(
        url, {**data, "file": SimpleUploadedFile("signed.pdf", b"%PDF-1.4\n%signed\n")}
    )
    assert ok.status_code == 302
    term = ReportTerm.objects.get()
    assert term.no_prior_coverage and term.attestation.kind == "no_prior"


# --- PDF ----------------------------------------------------------------------------------------


def test_loss_summary_pdf_text(owner_client, agency, insured, carrier):
    LossRunRequestFactory(agency=agency, insured=insured, carrier=carrier, years_requested=5)
    report = populated(agency, insured, carrier, n_terms=2)
    ClaimFactory(agency=agency, term=report.terms.first(), insured=insured, report=report, carrier=carrier,
                 claim_number="BIG-1", paid_indemnity=Decimal("60000"))  # fmt: skip
    response = owner_client.get(reverse("claims:summary_pdf", kwargs={"insured_id": insured.pk}))
    assert response["Content-Type"] == "application/pdf"
    text = " ".join(page.extract_text() for page in PdfReader(io.BytesIO(response.content)).pages)
    for expected in ("Loss summary: Bluefin Bakery LLC", "Hartwell Mutual", "2023-24", "2024-25",
                     "Large losses", "BIG-1", "Open claims", "Valuation dates", "Oct 1, 2026",
                     "Reported late", "Loss ratio"):  # fmt: skip
        assert expected in text, expected
    # For underwriters: the agency's readiness badges and to-do links stay off the PDF.
    for internal in ("Submission readiness", "years requested", "Gap", "Request new loss runs"):
        assert internal not in text, internal


def test_loss_summary_pdf_carries_the_letterhead_and_lists_late_reports(
    owner_client, agency, insured, carrier
):
    agency.name, agency.address, agency.phone = (
        "Harbor Point Insurance",
        "12 Dock St\nSalem, MA",
        "555-0100",
    )
    agency.save()
    report = populated(agency, insured, carrier, n_terms=1)
    ClaimFactory(agency=agency, term=report.terms.first(), insured=insured, report=report,
                 carrier=carrier, claim_number="LATE-7", date_of_loss=dt.date(2025, 2, 1),
                 date_reported=dt.date(2025, 4, 1))  # fmt: skip
    text = pdf_text(owner_client, insured)
    assert "Harbor Point Insurance" in text and "12 Dock St" in text and "555-0100" in text
    late = text[text.index("Reported late") :]
    assert "LATE-7" in late


def test_loss_summary_pdf_says_premium_not_entered_and_draws_no_empty_chart(
    owner_client, agency, insured, carrier
):
    report = populated(agency, insured, carrier, n_terms=2)
    ReportTerm.objects.filter(report=report).update(subject_premium=None)
    response = owner_client.get(reverse("claims:summary_pdf", kwargs={"insured_id": insured.pk}))
    text = " ".join(page.extract_text() for page in PdfReader(io.BytesIO(response.content)).pages)
    assert "Premium not entered for 2023-24, 2024-25: large losses cannot be computed." in text
    assert "Loss ratio by term" not in text  # every ratio is n/a: no chart of nothing
    assert "Incurred by term" in text


def test_loss_summary_pdf_names_the_one_term_without_a_premium(
    owner_client, agency, insured, carrier
):
    report = populated(agency, insured, carrier, n_terms=2)
    ReportTerm.objects.filter(report=report, term_start__year=2023).update(subject_premium=None)
    text = pdf_text(owner_client, insured)
    assert "Premium not entered for 2023-24: large losses of that term not computed." in text
    assert "Loss ratio by term" in text


def pdf_text(client, insured) -> str:
    response = client.get(reverse("claims:summary_pdf", kwargs={"insured_id": insured.pk}))
    assert response["Content-Type"] == "application/pdf"
    return " ".join(page.extract_text() for page in PdfReader(io.BytesIO(response.content)).pages)


def test_staff_see_claims_data_in_the_admin(client, agency):
    from tests.factories import StaffFactory

    ClaimFactory(agency=agency, claim_number="ADM-1")
    client.force_login(StaffFactory())
    for name in ("claim", "lossrunreport", "reportterm", "importjob", "carrierheadermapping"):
        assert client.get(reverse(f"admin:claims_{name}_changelist")).status_code == 200
    assert b"ADM-1" in client.get(reverse("admin:claims_claim_changelist")).content


def test_xlsx_upload_finds_the_header_below_title_lines(owner_client, insured, carrier):
    from tests.claims.layouts import GRANITE_FIELDS, granite_xlsx

    response = owner_client.post(
        reverse("claims:import_start", kwargs={"insured_id": insured.pk}),
        {"carrier": carrier.pk, "valuation_date": "2026-10-01", "line": "PROP",
         "file": SimpleUploadedFile("granite.xlsx", granite_xlsx())},
    )  # fmt: skip
    assert response.status_code == 302
    job = ImportJob.objects.get()
    assert (job.header_row, job.mapping) == (4, GRANITE_FIELDS)


def test_progress_partial_of_a_running_import(owner_client, agency, insured):
    from tests.claims.factories import ImportJobFactory

    job = ImportJobFactory(agency=agency, insured=insured, status=ImportJob.Status.IMPORTING,
                           progress=250, total_rows=1000)  # fmt: skip
    html = owner_client.get(reverse("claims:import_progress", kwargs={"import_id": job.pk}),
                            HTTP_HX_REQUEST="true").content.decode()  # fmt: skip
    assert 'max="1000" value="250"' in html and "Row 250 of about 1000" in html
    page = owner_client.get(
        reverse("claims:import_detail", kwargs={"import_id": job.pk})
    ).content.decode()
    assert 'hx-trigger="every 1s"' in page


def test_import_a_loss_run_already_in_the_vault(
    owner_client, agency, insured, carrier, other_agency
):
    from tests.factories import DocumentFactory

    data = csv_bytes([HEAD, row("V-1")])
    request = LossRunRequestFactory(agency=agency, insured=insured, carrier=carrier)
    document = DocumentFactory(
        request=request, agency=agency, insured=insured, kind="loss_run", original_name="received.csv",
        content_type="text/csv", size=len(data), file=SimpleUploadedFile("received.csv", data),
    )  # fmt: skip
    foreign = DocumentFactory(agency=other_agency, request=LossRunRequestFactory(agency=other_agency),
                              kind="loss_run", content_type="text/csv", original_name="foreign.csv")  # fmt: skip
    url = reverse("claims:import_start", kwargs={"insured_id": insured.pk})
    page = owner_client.get(url).content.decode()
    assert "received.csv" in page and "foreign.csv" not in page
    base = {"carrier": carrier.pk, "valuation_date": "2026-10-01", "line": "GL"}
    refused = owner_client.post(url, {**base, "document": foreign.pk})
    assert "Select a valid choice" in refused.content.decode()
    neither = owner_client.post(url, base)
    assert "Choose the loss-run file (CSV or XLSX)." in neither.content.decode()
    response = owner_client.post(url, {**base, "document": document.pk})
    job = ImportJob.objects.get()
    assert response["Location"].endswith(f"/imports/{job.pk}/mapping/")
    assert job.document == document and job.mapping[0] == "claim_number"


def test_import_page_preselects_the_only_requested_carrier(owner_client, agency, insured, carrier):
    LossRunRequestFactory(agency=agency, insured=insured, carrier=carrier)
    page = owner_client.get(
        reverse("claims:import_start", kwargs={"insured_id": insured.pk})
    ).content.decode()
    assert f'<option value="{carrier.pk}" selected>' in page


def test_negative_premium_is_a_field_error(owner_client, agency, insured, carrier):
    report = LossRunReportFactory(agency=agency, insured=insured, carrier=carrier)
    response = owner_client.post(
        reverse("claims:term_create", kwargs={"report_id": report.pk}),
        {
            "term_start": "2025-01-01",
            "term_end": "2026-01-01",
            "line": "GL",
            "subject_premium": "-5",
        },
    )
    assert b"Ensure this value is greater than or equal to 0." in response.content
    assert not ReportTerm.objects.exists()


def _stored_files(settings) -> list:
    from pathlib import Path

    root = Path(settings.DOCUMENT_ROOT)
    return [p for p in root.rglob("*") if p.is_file()] if root.exists() else []


def test_a_refused_attestation_leaves_no_file_in_storage(owner_client, insured, settings):
    url = reverse("claims:attestation_create", kwargs={"insured_id": insured.pk})
    data = {"term_start": "2024-01-01", "term_end": "2025-01-01", "line": "GL"}
    r = owner_client.post(url, {**data, "file": SimpleUploadedFile("a.csv", b"a,b\n1,2\n")})
    assert b"Upload the signed attestation as a PDF." in r.content
    assert _stored_files(settings) == []
    assert not ReportTerm.objects.exists()


def test_a_failed_import_start_leaves_no_file_in_storage(agency, insured, settings):
    from django.core.exceptions import ValidationError

    from claims.importers import TermDefaults

    carrier = CarrierFactory()
    for name, content in [
        ("claims.pdf", b"%PDF-1.4\n%not a sheet\n"),
        ("blank.csv", b",,\n,,\n"),
    ]:
        with pytest.raises(ValidationError):
            services.import_job_start(
                agency=agency,
                user=None,
                insured=insured,
                carrier=carrier,
                uploaded_file=SimpleUploadedFile(name, content),
                valuation_date=dt.date(2026, 1, 1),
                defaults=TermDefaults(),
            )
        assert _stored_files(settings) == [], name
    assert not ImportJob.objects.exists()
