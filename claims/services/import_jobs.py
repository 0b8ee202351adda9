"""The import job of the upload page: upload -> mapping -> preview -> commit, and its state."""

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
from claims.importers import (
    MAX_STORED_ERRORS,
    TermDefaults,
    UnreadableFile,
    read_claims,
)
from claims.importers.readers import SheetFile
from claims.models import ImportJob
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
    valuation_date: dt.date,
    defaults: TermDefaults,
) -> ImportJob:
    """Store the upload as the insured's loss-run document (or use `document`, one already
    in the vault) and find its header row.

    Raises ValidationError for a refused upload or a file that is not a readable CSV/XLSX.
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
    remembered = header_mapping_for(agency=agency, carrier=carrier)
    try:
        with document.file.open("rb") as handle:
            header_row, headers = SheetFile(handle).find_header(remembered)
    except UnreadableFile as exc:
        if uploaded:  # refused after storing: the file must not outlive its rolled-back row
            document_file_discard(document)
        raise ValidationError(str(exc)) from exc
    return ImportJob.objects.create(
        agency=agency,
        insured=insured,
        carrier=carrier,
        document=document,
        valuation_date=valuation_date,
        defaults=defaults.to_json(),
        header_row=header_row,
        headers=headers,
        mapping=recognize_columns(headers, remembered),
        created_by=user,
    )


@transaction.atomic
def import_job_set_mapping(*, agency: Agency, job: ImportJob, fields: list[str]) -> ImportJob:
    """Keep the user's column mapping (and remember it for the carrier). Raises ValidationError."""
    if job.agency_id != agency.pk:
        raise ValueError("Another agency's import.")
    if job.status not in (
        ImportJob.Status.MAPPING,
        ImportJob.Status.PREVIEW,
        ImportJob.Status.FAILED,
    ):
        raise ValidationError("This import is already running or done.")
    problems = mapping_problems(fields)
    if problems:
        raise ValidationError(problems)
    header_mapping_remember(agency=agency, carrier=job.carrier, headers=job.headers, fields=fields)
    job.mapping = fields
    job.status = ImportJob.Status.VALIDATING
    job.progress = 0
    job.errors, job.error_count, job.bad_rows, job.preview, job.message = [], 0, 0, [], ""
    job.save(
        update_fields=[
            "mapping",
            "status",
            "progress",
            "errors",
            "error_count",
            "bad_rows",
            "preview",
            "message",
        ]
    )
    return job


def import_job_is_small(job: ImportJob) -> bool:
    return job.document.size <= INLINE_IMPORT_BYTES


def _progress_saver(job: ImportJob) -> Callable[[int], None]:
    def save(row_number: int) -> None:
        scoped(ImportJob, job.agency).filter(pk=job.pk).update(progress=row_number)

    return save


def _job_fail(job: ImportJob, message: str) -> None:
    job.status = ImportJob.Status.FAILED
    job.message = message
    job.finished_at = timezone.now()
    job.save(update_fields=["status", "message", "finished_at"])


def import_job_validate(*, job: ImportJob) -> ImportJob:
    """Check every row (no claims stored): errors and the first rows for the preview."""
    job.status = ImportJob.Status.VALIDATING
    with job.document.file.open("rb") as handle:
        sheet = SheetFile(handle)
        job.total_rows = sheet.row_count()
        job.save(update_fields=["status", "total_rows"])
        try:
            result = read_claims(
                handle,
                fields=job.mapping,
                header_row=job.header_row,
                valuation_date=job.valuation_date,
                defaults=TermDefaults.from_json(job.defaults),
                keep=False,
                preview_limit=PREVIEW_ROWS,
                progress=_progress_saver(job),
            )
        except UnreadableFile as exc:
            _job_fail(job, str(exc))
            return job
    job.status = ImportJob.Status.PREVIEW
    job.progress = job.total_rows
    job.errors = result.errors
    job.error_count = result.error_count
    job.bad_rows = result.bad_rows
    job.preview = result.preview
    job.imported_count = result.good_rows
    job.save(
        update_fields=[
            "status",
            "progress",
            "errors",
            "error_count",
            "bad_rows",
            "preview",
            "imported_count",
        ]
    )
    return job


@transaction.atomic
def import_job_queue_commit(*, agency: Agency, job: ImportJob, drop_bad_rows: bool) -> ImportJob:
    """Mark a previewed import for commit. Raises ValidationError when it cannot be committed."""
    job = scoped(ImportJob.objects.select_for_update(), agency).get(pk=job.pk)
    if job.status != ImportJob.Status.PREVIEW:
        raise ValidationError("This import is not waiting for confirmation.")
    if job.bad_rows and not drop_bad_rows:
        raise ValidationError(
            f"{job.bad_rows} rows have errors: fix the file and upload it again, or drop the bad rows."
        )
    job.status = ImportJob.Status.IMPORTING
    job.drop_bad_rows = drop_bad_rows
    job.progress = 0
    job.save(update_fields=["status", "drop_bad_rows", "progress"])
    return job


def import_job_commit(*, job: ImportJob) -> ImportJob:
    """Import a job marked for commit: all rows, or all good rows when bad ones are dropped."""
    if job.status != ImportJob.Status.IMPORTING:
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
            )
    except ImportRejected as exc:
        job.errors = exc.result.errors[:MAX_STORED_ERRORS]
        job.bad_rows = exc.result.bad_rows
        _job_fail(job, "Rows have errors; nothing was imported.")
        return job
    except (UnreadableFile, ValidationError) as exc:
        message = "; ".join(exc.messages) if isinstance(exc, ValidationError) else str(exc)
        _job_fail(job, message)
        return job
    job.status = ImportJob.Status.DONE
    job.report = outcome.report
    job.imported_count = outcome.imported
    job.bad_rows = outcome.dropped
    job.progress = job.total_rows
    job.finished_at = timezone.now()
    job.save(
        update_fields=["status", "report", "imported_count", "bad_rows", "progress", "finished_at"]
    )
    return job
