"""The upload page's import: upload -> header read -> mapping (with samples) -> one-pass import."""

import datetime as dt

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from claims.models import CarrierHeaderMapping, Claim, ImportJob, LossRunReport
from claims.services import import_jobs
from tests.claims.files import csv_bytes, xlsx_bytes
from tests.claims.test_views import HEAD, row, upload
from tests.factories import CarrierFactory, InsuredFactory


@pytest.fixture
def insured(agency):
    return InsuredFactory(agency=agency, legal_name="Bluefin Bakery LLC")


@pytest.fixture
def carrier():
    return CarrierFactory(legal_name="Hartwell Mutual")


def mapping_post(job, **extra):
    return {
        "valuation_date": "2026-10-01",
        **{f"col_{i}": f for i, f in enumerate(job.mapping)},
        **extra,
    }


def mapping_url(job):
    return reverse("claims:import_mapping", kwargs={"import_id": job.pk})


def detail(client, job) -> str:
    return client.get(
        reverse("claims:import_detail", kwargs={"import_id": job.pk})
    ).content.decode()


def test_upload_then_mapping_imports_in_one_step(owner_client, agency, insured, carrier):
    response = upload(owner_client, insured, carrier, csv_bytes([HEAD, row("A-1"), row("A-2")]))
    job = ImportJob.objects.get()
    assert response["Location"] == mapping_url(job)
    page = owner_client.get(mapping_url(job)).content.decode()
    assert "Clm #" in page and "A-1" in page and "A-2" in page  # header and sample values
    assert Claim.objects.count() == 0  # nothing before the mapping is confirmed
    response = owner_client.post(mapping_url(job), mapping_post(job))
    assert response["Location"] == reverse(
        "claims:insured_summary", kwargs={"insured_id": insured.pk}
    )
    assert Claim.objects.count() == 2
    report = LossRunReport.objects.get()
    assert report.document.original_name == "loss-run.csv"
    assert report.valuation_date == dt.date(2026, 10, 1)
    saved = CarrierHeaderMapping.objects.get(agency=agency, carrier=carrier).mapping
    assert saved["claim number"] == "claim_number"


def test_bad_rows_import_nothing_and_dropping_them_is_not_the_main_action(
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
    owner_client.post(mapping_url(job), mapping_post(job))
    job.refresh_from_db()
    assert job.status == ImportJob.Status.PREVIEW and job.bad_rows == 2
    assert Claim.objects.count() == 0 and not LossRunReport.objects.exists()
    page = detail(owner_client, job)
    assert "row 3: date of loss 2025-02-30 is not a date" in page
    assert "row 4: incurred 5,000.00 is not paid 3,000.00 + reserves 1,500.00" in page
    # The main (first, filled) button changes the mapping; dropping rows is a secondary one
    # inside a disclosure, never a red button.
    assert '<a class="btn" href="' + mapping_url(job) in page
    assert "btn-danger" not in page
    assert page.index("Change the mapping") < page.index("Leave out 2 bad rows")
    commit = reverse("claims:import_commit", kwargs={"import_id": job.pk})
    owner_client.post(commit, {"drop_bad_rows": "1"})
    assert list(Claim.objects.values_list("claim_number", flat=True)) == ["A-1"]
    job.refresh_from_db()
    assert job.status == ImportJob.Status.DONE and job.bad_rows == 2


def test_mapping_errors_keep_the_users_choices(owner_client, insured, carrier):
    upload(owner_client, insured, carrier, csv_bytes([HEAD, row("A-1")]))
    job = ImportJob.objects.get()
    response = owner_client.post(mapping_url(job), mapping_post(job, col_5=""))  # no status
    assert response.status_code == 200
    assert b"No column is mapped to status." in response.content
    job.refresh_from_db()
    assert job.status == ImportJob.Status.MAPPING


def test_mapping_page_names_the_money_columns_it_left_out(owner_client, insured, carrier):
    head = [*HEAD, "Deductible Amt", "Adj Notes"]
    data = csv_bytes([head, [*row("A-1"), "$250.00", "called"], [*row("A-2"), "(0.00)", ""]])
    upload(owner_client, insured, carrier, data)
    job = ImportJob.objects.get()
    page = owner_client.get(mapping_url(job)).content.decode()
    assert "Money column not used:</strong> Deductible Amt." in page
    assert "Not used: Deductible Amt, Adj Notes." in page
    assert "$250.00" in page  # its sample values are shown under it


def test_an_alae_column_is_mapped_and_a_gross_incurred_file_imports(owner_client, insured, carrier):
    """The new user's file: split paid with 'Paid Expense (ALAE)', incurred printed gross of
    recoveries on a subrogated claim."""
    head = ["Claim No", "Pol Eff", "Pol Exp", "Valued As Of", "Loss Date", "Status", "BI Paid",
            "PD Paid", "Paid Expense (ALAE)", "Subro Recovered", "Loss Reserve", "Gross Incurred"]  # fmt: skip
    rows = [
        head,
        ["G-1", "01/01/2025", "01/01/2026", "10/01/2026", "03/01/2025", "Closed",
         "1000.00", "500.00", "200.00", "0.00", "0.00", "1700.00"],
        ["G-2", "01/01/2025", "01/01/2026", "10/01/2026", "04/01/2025", "Subrogated",
         "4000.00", "0.00", "300.00", "1500.00", "0.00", "4300.00"],
        ["G-3", "01/01/2025", "01/01/2026", "10/01/2026", "05/01/2025", "Pending",
         "0.00", "0.00", "100.00", "0.00", "2500.00", "2600.00"],
    ]  # fmt: skip
    response = upload(owner_client, insured, carrier, csv_bytes(rows), valuation_date="")
    job = ImportJob.objects.get()
    assert response["Location"] == mapping_url(job)
    assert job.mapping[1:4] == ["term_start", "term_end", "valuation_date"]
    assert job.mapping[6:9] == ["paid_indemnity", "paid_indemnity", "paid_expense"]
    assert job.valuation_date == job.printed_valuation == dt.date(2026, 10, 1)
    page = owner_client.get(mapping_url(job)).content.decode()
    assert "Money column" not in page
    assert 'value="2026-10-01"' in page  # the valuation date the file prints
    owner_client.post(mapping_url(job), mapping_post(job))
    job.refresh_from_db()
    assert job.status == ImportJob.Status.DONE, job.errors
    report = LossRunReport.objects.get()
    assert report.valuation_date == dt.date(2026, 10, 1)
    assert report.incurred_convention == "gross"
    g2 = Claim.objects.get(claim_number="G-2")
    assert (g2.paid_indemnity, g2.recoveries) == (4000, 1500)
    assert g2.total_incurred == 4000 + 300 - 1500  # stored as the domain's paid + reserves
    g3 = Claim.objects.get(claim_number="G-3")
    assert (g3.status, g3.status_as_printed) == (Claim.Status.OPEN, "Pending")


def test_a_valuation_line_above_the_header_fills_the_date(owner_client, insured, carrier):
    rows = [["Hartwell Mutual loss run"], ["Valued as of 09/30/2026"], [], HEAD, row("A-1")]
    upload(owner_client, insured, carrier, xlsx_bytes(rows), name="run.xlsx", valuation_date="")
    job = ImportJob.objects.get()
    assert (job.header_row, job.printed_valuation) == (4, dt.date(2026, 9, 30))
    assert job.valuation_date == dt.date(2026, 9, 30)


def test_without_a_valuation_date_anywhere_the_mapping_asks_for_it(owner_client, insured, carrier):
    upload(owner_client, insured, carrier, csv_bytes([HEAD, row("A-1")]), valuation_date="")
    job = ImportJob.objects.get()
    assert job.valuation_date is None
    response = owner_client.post(mapping_url(job), mapping_post(job, valuation_date=""))
    assert response.status_code == 200 and b"This field is required." in response.content
    assert Claim.objects.count() == 0


def test_a_large_file_is_read_and_imported_in_celery(
    owner_client, insured, carrier, monkeypatch, django_capture_on_commit_callbacks
):
    monkeypatch.setattr(import_jobs, "INLINE_IMPORT_BYTES", 10)
    data = csv_bytes([HEAD] + [row(f"A-{i}") for i in range(50)])
    with django_capture_on_commit_callbacks(execute=False) as callbacks:
        response = upload(owner_client, insured, carrier, data)
    job = ImportJob.objects.get()
    assert job.status == ImportJob.Status.READING and not job.headers  # the request did not read it
    assert response["Location"] == reverse("claims:import_detail", kwargs={"import_id": job.pk})
    progress = reverse("claims:import_progress", kwargs={"import_id": job.pk})
    partial = owner_client.get(progress, HTTP_HX_REQUEST="true").content.decode()
    assert "Finding the header row" in partial and 'hx-trigger="every 1s"' in partial
    for callback in callbacks:
        callback()  # the eager Celery task: the header read
    job.refresh_from_db()
    assert job.status == ImportJob.Status.MAPPING and job.total_rows == 51
    assert owner_client.get(progress, HTTP_HX_REQUEST="true")["HX-Refresh"] == "true"
    assert owner_client.get(reverse("claims:import_detail", kwargs={"import_id": job.pk}))[
        "Location"
    ] == mapping_url(job)
    with django_capture_on_commit_callbacks(execute=False) as callbacks:
        owner_client.post(mapping_url(job), mapping_post(job))
    job.refresh_from_db()
    assert job.status == ImportJob.Status.IMPORTING
    partial = owner_client.get(progress, HTTP_HX_REQUEST="true").content.decode()
    assert 'max="51" value="0"' in partial and "Row 0 of about 51" in partial
    for callback in callbacks:
        callback()
    job.refresh_from_db()
    assert job.status == ImportJob.Status.DONE and job.imported_count == 50
    assert Claim.objects.count() == 50


def test_a_workbook_without_a_stored_size_gets_an_honest_indeterminate_bar(
    owner_client, agency, insured
):
    from tests.claims.factories import ImportJobFactory

    job = ImportJobFactory(agency=agency, insured=insured, status=ImportJob.Status.IMPORTING,
                           progress=4000, total_rows=0)  # fmt: skip
    url = reverse("claims:import_progress", kwargs={"import_id": job.pk})
    html = owner_client.get(url, HTTP_HX_REQUEST="true").content.decode()
    assert "Row 4000 (the file does not say how many rows it has)" in html
    assert f'<progress id="import-bar-{job.pk}" class="claims-progress"></progress>' in html


def test_a_file_that_breaks_in_the_header_read_fails_the_job_in_words(agency, insured, carrier):
    from claims import services
    from claims.importers import TermDefaults

    job = services.import_job_start(
        agency=agency, user=None, insured=insured, carrier=carrier,
        uploaded_file=SimpleUploadedFile("blank.csv", b",,\n" * 600_000),
        valuation_date=None, defaults=TermDefaults(),
    )  # fmt: skip
    assert job.status == ImportJob.Status.READING  # too large to read inside the request
    job = services.import_job_read(job=job)
    assert (job.status, job.message) == (ImportJob.Status.FAILED, "The file has no rows.")


def test_the_progress_page_follows_the_worker_while_the_import_transaction_is_open(
    owner_client, agency, insured, carrier, monkeypatch, django_capture_on_commit_callbacks
):
    """The rows are stored in one transaction, so the reached row travels through the shared
    cache: the page reads it while the import runs, and the job keeps the final figure."""
    from claims import progress as import_progress
    from claims.services import imports as import_service

    monkeypatch.setattr("claims.importers.PROGRESS_EVERY", 10)
    monkeypatch.setattr("claims.importers.BLOCK_ROWS", 11)  # progress at a block's end
    data = csv_bytes([HEAD] + [row(f"A-{i}") for i in range(30)])
    upload(owner_client, insured, carrier, data)
    job = ImportJob.objects.get()
    url = reverse("claims:import_progress", kwargs={"import_id": job.pk})
    seen: list[str] = []
    real_import = import_service.loss_run_import

    def watched(**kwargs):
        saver = kwargs["progress"]

        def progress(row_number):
            saver(row_number)
            seen.append(owner_client.get(url, HTTP_HX_REQUEST="true").content.decode())

        return real_import(**{**kwargs, "progress": progress})

    monkeypatch.setattr(import_jobs, "loss_run_import", watched)
    monkeypatch.setattr(import_jobs, "INLINE_IMPORT_BYTES", 10)  # the import goes to the task
    with django_capture_on_commit_callbacks(execute=True):
        owner_client.post(mapping_url(job), mapping_post(job))
    assert [("Row 11 of about 31" in s, "Row 22 of about 31" in s) for s in seen[:2]] == [
        (True, False),
        (False, True),
    ]
    job.refresh_from_db()
    assert job.status == ImportJob.Status.DONE and job.progress == 31
    assert import_progress.progress_read(job.pk) is None  # cleared: the row holds the figure


def test_a_killed_workers_progress_is_not_shown_for_a_job_that_is_not_running(
    owner_client, agency, insured
):
    from claims.progress import progress_save
    from tests.claims.factories import ImportJobFactory

    job = ImportJobFactory(agency=agency, insured=insured, status=ImportJob.Status.FAILED,
                           progress=7, total_rows=100)  # fmt: skip
    progress_save(job.pk, 60)
    url = reverse("claims:import_detail", kwargs={"import_id": job.pk})
    assert "60 of about" not in owner_client.get(url).content.decode()
