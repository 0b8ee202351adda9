"""The import job of the upload page: upload -> header read -> mapping -> import, and its state.

The file is read twice at most: once for its header (with sample rows, the printed valuation
date and the row count) and once for the import itself, which checks and stores every row in
one pass. Dropping bad rows, the user's second choice after an import with errors, reads it
a third time.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable

from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import UploadedFile
from django.db import transaction
from django.utils import timezone

from accounts.models import Agency, User
from accounts.tenancy import scoped
from claims.headers import mapping_problems, recognize_columns
from claims.importers import MAX_STORED_ERRORS, TermDefaults, UnreadableFile
from claims.importers.readers import SheetFile
from claims.importers.values import BadValue, parse_date
from claims.models import ImportJob
from claims.progress import progress_clear, progress_save
from claims.services.imports import ImportRejected, loss_run_import
from claims.services.mappings import header_mapping_for, header_mapping_remember
from claims.services.ownership import check_tenant
from vault.documents import CSV_TYPE, XLSX_TYPE, document_create, document_file_discard
from vault.models import Carrier, Document, Insured

PREVIEW_ROWS = 20
SHEET_TYPES = (CSV_TYPE, XLSX_TYPE)
NOT_A_SHEET = "Claims are read from CSV or XLSX files; keep PDFs as documents."

# Files up to this size are checked and imported inside the web request; larger go to Celery.
INLINE_IMPORT_BYTES = 512 * 1024


@transaction.atomic
def import_job_start(
    *,
    agency: Agency,
    user: User | None,
    insured: Insured,
    carrier: Carrier,
    uploaded_file: UploadedFile | None = None,
    document: Document | None = None,
    valuation_date: dt.date | None,
    defaults: TermDefaults,
) -> ImportJob:
    """Store the upload as the insured's loss-run document (or use `document`, one already
    in the vault) and check it is a CSV or a safe XLSX (the zip directory only: fast).

    A small file's header is read here; a large one's by `import_job_read` in Celery, so
    the upload request never parses a large workbook. Raises ValidationError for a refused
    upload or a file that is not a readable CSV/XLSX (nothing is kept then).
    """
    check_tenant(agency, insured, carrier)
    uploaded = document is None
    if document is None:
        document = document_create(
            agency=agency,
            uploaded_by=user,
            uploaded_file=uploaded_file,
            kind=Document.Kind.LOSS_RUN,
            insured=insured,
            allowed_types=SHEET_TYPES,
            refused_message=NOT_A_SHEET,
        )
    elif document.agency_id != agency.pk:
        raise ValueError("Another agency's document.")
    elif document.content_type not in SHEET_TYPES:
        raise ValidationError(NOT_A_SHEET)
    job = ImportJob(
        agency=agency,
        insured=insured,
        carrier=carrier,
        document=document,
        valuation_date=valuation_date,
        defaults=defaults.to_json(),
        status=ImportJob.Status.READING,
        created_by=user,
    )
    try:
        with document.file.open("rb") as handle:
            sheet = SheetFile(handle)
            if import_job_is_small(job):
                _read_header(job, sheet)
    except UnreadableFile as exc:
        if uploaded:  # refused after storing: the file must not outlive its rolled-back row
            document_file_discard(document)
        raise ValidationError(str(exc)) from exc
    job.save()
    return job


def import_job_read(*, job: ImportJob) -> ImportJob:
    """The header read of a large file (a Celery task): a file that cannot be read fails
    the job with the reason."""
    if job.status != ImportJob.Status.READING:
        return job
    try:
        with job.document.file.open("rb") as handle:
            _read_header(job, SheetFile(handle))
    except UnreadableFile as exc:
        _job_fail(job, str(exc))
        return job
    job.save(
        update_fields=[
            "header_row",
            "headers",
            "samples",
            "total_rows",
            "mapping",
            "printed_valuation",
            "valuation_date",
            "status",
        ]
    )
    return job


def _read_header(job: ImportJob, sheet: SheetFile) -> None:
    """The header row, the first data rows and the row count in one read; the columns
    recognised (the carrier's remembered mapping first) and the printed valuation date."""
    remembered = header_mapping_for(agency=job.agency, carrier=job.carrier)
    scan = sheet.scan(remembered)
    job.header_row, job.headers, job.samples = scan.header_row, scan.headers, scan.samples
    job.total_rows = scan.total_rows
    job.mapping = recognize_columns(scan.headers, remembered)
    job.printed_valuation = scan.printed_valuation or _column_valuation(job.mapping, scan.samples)
    job.valuation_date = job.valuation_date or job.printed_valuation
    job.status = ImportJob.Status.MAPPING


def _column_valuation(fields: list[str], samples: list[list[str]]) -> dt.date | None:
    """The newest date of a valuation column among the sample rows."""
    if "valuation_date" not in fields:
        return None
    index = fields.index("valuation_date")
    found = []
    for row in samples:
        try:
            value = parse_date(row[index]) if index < len(row) else None
        except BadValue:
            continue
        if value:
            found.append(value)
    return max(found, default=None)


@transaction.atomic
def import_job_set_mapping(
    *, agency: Agency, job: ImportJob, fields: list[str], valuation_date: dt.date
) -> ImportJob:
    """Keep the user's column mapping (remembered for the carrier) and the valuation date,
    and mark the job for its import. Raises ValidationError."""
    if job.agency_id != agency.pk:
        raise ValueError("Another agency's import.")
    if (
        job.status
        not in (
            ImportJob.Status.MAPPING,
            ImportJob.Status.PREVIEW,
            ImportJob.Status.FAILED,
        )
        or not job.headers
    ):
        raise ValidationError("This import is already running or done.")
    problems = mapping_problems(fields)
    if problems:
        raise ValidationError(problems)
    header_mapping_remember(agency=agency, carrier=job.carrier, headers=job.headers, fields=fields)
    job.mapping = fields
    job.valuation_date = valuation_date
    _job_queue(job, drop_bad_rows=False)
    return job


@transaction.atomic
def import_job_drop_bad_rows(*, agency: Agency, job: ImportJob) -> ImportJob:
    """Import again, leaving out the rows with errors (the user's explicit second choice)."""
    job = scoped(ImportJob.objects.select_for_update(), agency).get(pk=job.pk)
    if job.status != ImportJob.Status.PREVIEW or not job.bad_rows:
        raise ValidationError("This import has no bad rows to leave out.")
    _job_queue(job, drop_bad_rows=True)
    return job


def _job_queue(job: ImportJob, *, drop_bad_rows: bool) -> None:
    job.status = ImportJob.Status.IMPORTING
    job.drop_bad_rows = drop_bad_rows
    job.progress = 0
    job.errors, job.error_count, job.bad_rows, job.preview, job.message = [], 0, 0, [], ""
    job.save(
        update_fields=[
            "mapping",
            "valuation_date",
            "status",
            "drop_bad_rows",
            "progress",
            "errors",
            "error_count",
            "bad_rows",
            "preview",
            "message",
        ]
    )


def import_job_is_small(job: ImportJob) -> bool:
    return job.document.size <= INLINE_IMPORT_BYTES


def _progress_saver(job: ImportJob) -> Callable[[int], None]:
    progress_save(job.pk, 0)  # a retried run starts again from the top

    def save(row_number: int) -> None:
        progress_save(job.pk, row_number)

    return save


def _job_fail(job: ImportJob, message: str) -> None:
    job.status = ImportJob.Status.FAILED
    job.message = message
    job.finished_at = timezone.now()
    job.save(update_fields=["status", "message", "finished_at"])


def import_job_commit(*, job: ImportJob) -> ImportJob:
    """The import: one pass that checks every row and stores the claims in batches. With bad
    rows (and the user not having chosen to drop them) nothing is stored and the job waits
    with its error list; else all rows, or all good rows, are imported."""
    if job.status != ImportJob.Status.IMPORTING:
        return job
    try:
        return _commit(job)
    finally:
        progress_clear(job.pk)


def _commit(job: ImportJob) -> ImportJob:
    if job.valuation_date is None:  # set_mapping requires one: never reached through the page
        _job_fail(job, "Enter the report's valuation date on the mapping page.")
        return job
    try:
        with job.document.file.open("rb") as handle:
            outcome = loss_run_import(
                agency=job.agency,
                user=job.created_by,
                insured=job.insured,
                carrier=job.carrier,
                fileobj=handle,
                valuation_date=job.valuation_date,
                fields=job.mapping,
                header_row=job.header_row,
                defaults=TermDefaults.from_json(job.defaults),
                drop_bad_rows=job.drop_bad_rows,
                document=job.document,
                progress=_progress_saver(job),
                preview_limit=PREVIEW_ROWS,
            )
    except ImportRejected as exc:
        job.status = ImportJob.Status.PREVIEW
        job.errors = exc.result.errors[:MAX_STORED_ERRORS]
        job.error_count = exc.result.error_count
        job.bad_rows = exc.result.bad_rows
        job.imported_count = exc.result.good_rows
        job.preview = exc.result.preview
        job.progress = exc.result.last_row
        job.save(
            update_fields=[
                "status",
                "errors",
                "error_count",
                "bad_rows",
                "imported_count",
                "preview",
                "progress",
            ]
        )
        return job
    except (UnreadableFile, ValidationError) as exc:
        message = "; ".join(exc.messages) if isinstance(exc, ValidationError) else str(exc)
        _job_fail(job, message)
        return job
    job.status = ImportJob.Status.DONE
    job.report = outcome.report
    job.imported_count = outcome.imported
    job.bad_rows = outcome.dropped
    job.progress = outcome.result.last_row
    job.finished_at = timezone.now()
    job.save(
        update_fields=["status", "report", "imported_count", "bad_rows", "progress", "finished_at"]
    )
    return job
