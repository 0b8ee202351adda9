"""Writes of the claims app: imports, reports, terms, claims and attestations."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from decimal import Decimal
from typing import IO

from django.core.exceptions import ValidationError
from django.db import connection, transaction
from django.db.models import OuterRef, Subquery
from django.utils import timezone

from accounts.models import Agency
from accounts.tenancy import scoped
from claims.headers import mapping_problems, normalize_header, recognize_columns
from claims.importers import (
    MAX_STORED_ERRORS,
    ReadResult,
    TermDefaults,
    UnreadableFile,
    read_claims,
)
from claims.importers.readers import SheetFile
from claims.importers.rows import ParsedClaim, TermKey, claim_key, report_lag
from claims.models import (
    CarrierHeaderMapping,
    Claim,
    ImportJob,
    LossRunReport,
    ReportTerm,
)
from vault.documents import document_create
from vault.models import Carrier, Document, Insured

BATCH_SIZE = 2000
PREVIEW_ROWS = 20
# Files up to this size are checked and imported inside the web request; larger go to Celery.
INLINE_IMPORT_BYTES = 512 * 1024

CLAIM_FIELDS = (
    "claim_number",
    "date_of_loss",
    "date_reported",
    "status",
    "cause_of_loss",
    "claimant",
    "description",
    "paid_indemnity",
    "paid_medical",
    "paid_expense",
    "recoveries",
    "reserves",
    "total_incurred",
    "status_as_printed",
    "date_closed",
    "adjuster",
    "driver",
)


class ImportRejected(Exception):
    """The file has bad rows and the user did not choose to drop them: nothing was imported."""

    def __init__(self, result: ReadResult):
        self.result = result
        super().__init__(f"{result.bad_rows} bad rows")


@dataclass
class ImportOutcome:
    report: LossRunReport
    imported: int
    dropped: int
    result: ReadResult


# --- header mappings ---------------------------------------------------------------------


def header_mapping_for(*, agency: Agency, carrier: Carrier) -> dict[str, str]:
    found = scoped(CarrierHeaderMapping, agency).filter(carrier=carrier).first()
    return dict(found.mapping) if found else {}


@transaction.atomic
def header_mapping_remember(
    *, agency: Agency, carrier: Carrier, headers: list[str], fields: list[str]
) -> CarrierHeaderMapping:
    """Remember how this carrier's columns map, merged over what was remembered before."""
    row, _ = CarrierHeaderMapping.objects.select_for_update().get_or_create(
        agency=agency, carrier=carrier
    )
    mapping = dict(row.mapping)
    for header, field in zip(headers, fields, strict=False):
        key = normalize_header(header)
        if key:
            mapping[key] = field
    row.mapping = mapping
    row.updated_at = timezone.now()
    row.save(update_fields=["mapping", "updated_at"])
    return row


# --- the import itself -----------------------------------------------------------------


def _check_tenant(agency: Agency, insured: Insured, carrier: Carrier) -> None:
    if insured.agency_id != agency.pk:
        raise ValueError("The insured belongs to another agency.")
    if carrier.agency_id not in (None, agency.pk):
        raise ValueError("The carrier is another agency's private carrier.")


INSERT_COLUMNS = (
    "agency_id",
    "insured_id",
    "report_id",
    "term_id",
    "carrier_id",
    "claim_key",
    "report_lag_days",
    *CLAIM_FIELDS,
)


def claims_insert(rows) -> int:
    """Insert claim rows (tuples in INSERT_COLUMNS order); call inside a transaction.

    Not bulk_create: building 100,000 model instances, and Django's 999-parameter cap on
    SQLite (52 claims per statement), made imports several times slower. The values are
    already validated and typed (Decimal, date). PostgreSQL gets COPY; other databases
    `executemany` in batches of BATCH_SIZE.
    """
    quote = connection.ops.quote_name
    table = quote(Claim._meta.db_table)
    columns = ", ".join(quote(c) for c in INSERT_COLUMNS)
    count = 0
    with connection.cursor() as cursor:
        if connection.vendor == "postgresql":
            # Identifiers are the model's own, quoted; values travel in the COPY stream.
            with cursor.cursor.copy(f"COPY {table} ({columns}) FROM STDIN") as copy:
                for row in rows:
                    copy.write_row(row)
                    count += 1
            return count
        # Identifiers are the model's own, quoted; every value is a query parameter.
        sql = f"INSERT INTO {table} ({columns}) VALUES ({', '.join(['%s'] * len(INSERT_COLUMNS))})"  # noqa: S608
        for batch in _batched(rows):
            cursor.executemany(sql, [_adapt(row) for row in batch])
            count += len(batch)
    return count


def _batched(rows):
    batch = []
    for row in rows:
        batch.append(row)
        if len(batch) >= BATCH_SIZE:
            yield batch
            batch = []
    if batch:
        yield batch


def _adapt(row: tuple) -> tuple:
    """Values as the database driver takes them (Decimal and date as text on SQLite)."""
    if connection.vendor != "sqlite":
        return row
    return tuple(str(v) if isinstance(v, Decimal | dt.date) else v for v in row)


@transaction.atomic
def report_store(
    *,
    agency: Agency,
    user,
    insured: Insured,
    carrier: Carrier,
    valuation_date: dt.date,
    document: Document | None,
    terms: dict[TermKey, Decimal | None],
    claims: list[ParsedClaim],
) -> LossRunReport:
    """One report, its terms and claims, inserted in batches inside one transaction."""
    _check_tenant(agency, insured, carrier)
    report = LossRunReport.objects.create(
        agency=agency,
        insured=insured,
        carrier=carrier,
        document=document,
        valuation_date=valuation_date,
        created_by=user,
    )
    term_rows = [
        ReportTerm(
            agency=agency,
            insured=insured,
            report=report,
            policy_number=key.policy_number,
            term_start=key.start,
            term_end=key.end,
            line=key.line,
            subject_premium=premium,
        )
        for key, premium in terms.items()
    ]
    ReportTerm.objects.bulk_create(term_rows)
    if any(t.pk is None for t in term_rows):  # backends that do not return ids
        term_rows = list(report.terms.order_by("id"))
    term_ids = {key: row.pk for key, row in zip(terms, term_rows, strict=True)}
    claims_insert(
        (
            agency.pk,
            insured.pk,
            report.pk,
            term_ids[c.term],
            carrier.pk,
            c.claim_key,
            c.report_lag_days,
            *(getattr(c, n) for n in CLAIM_FIELDS),
        )
        for c in claims
    )
    movement_refresh(agency=agency, insured=insured, carrier=carrier)
    return report


def movement_refresh(*, agency: Agency, insured: Insured, carrier: Carrier) -> None:
    """Set prior_reserves on the carrier's newest report from its previous report.

    Runs after every write that can change which reports are newest or their reserves, so
    summaries read reserve movement with a plain filter. Call inside a transaction.
    """
    newest = list(
        scoped(LossRunReport, agency)
        .filter(insured=insured, carrier=carrier)
        .order_by("-valuation_date", "-id")
        .values_list("id", flat=True)[:2]
    )
    claims = scoped(Claim, agency).filter(insured=insured, carrier=carrier)
    stale = claims.filter(prior_reserves__isnull=False)
    if newest:
        stale = stale.exclude(report_id=newest[0])
    stale.update(prior_reserves=None)
    if len(newest) == 2:
        older = Claim.objects.filter(report_id=newest[1], claim_key=OuterRef("claim_key"))
        claims.filter(report_id=newest[0]).update(
            prior_reserves=Subquery(older.values("reserves")[:1])
        )


def loss_run_import(
    *,
    agency: Agency,
    user,
    insured: Insured,
    carrier: Carrier,
    fileobj: IO[bytes],
    valuation_date: dt.date,
    fields: list[str] | None = None,
    header_row: int | None = None,
    defaults: TermDefaults | None = None,
    drop_bad_rows: bool = False,
    document: Document | None = None,
    progress=None,
) -> ImportOutcome:
    """Read, validate and (only if clean, or if told to drop bad rows) store a loss-run file.

    Without `fields`, the header row is found and recognised (the carrier's remembered
    mapping first). Raises UnreadableFile, ValidationError (an unusable mapping) or
    ImportRejected (bad rows, nothing stored).
    """
    _check_tenant(agency, insured, carrier)
    defaults = defaults or TermDefaults()
    if fields is None:
        remembered = header_mapping_for(agency=agency, carrier=carrier)
        header_row, headers = SheetFile(fileobj).find_header(remembered)
        fields = recognize_columns(headers, remembered)
    problems = mapping_problems(fields)
    if problems:
        raise ValidationError(problems)
    result = read_claims(
        fileobj,
        fields=fields,
        header_row=header_row or 1,
        valuation_date=valuation_date,
        defaults=defaults,
        progress=progress,
    )
    if result.bad_rows and not drop_bad_rows:
        raise ImportRejected(result)
    if not result.terms:
        raise ValidationError(
            "The file has no claim rows and no policy term was given: enter the term it covers."
        )
    report = report_store(
        agency=agency,
        user=user,
        insured=insured,
        carrier=carrier,
        valuation_date=valuation_date,
        document=document,
        terms=result.terms,
        claims=result.claims,
    )
    return ImportOutcome(
        report=report, imported=len(result.claims), dropped=result.bad_rows, result=result
    )


# --- the import job (upload page -> mapping -> preview -> commit) --------------------------


@transaction.atomic
def import_job_start(
    *,
    agency: Agency,
    user,
    insured: Insured,
    carrier: Carrier,
    uploaded_file=None,
    document: Document | None = None,
    valuation_date: dt.date,
    defaults: TermDefaults,
) -> ImportJob:
    """Store the upload as the insured's loss-run document (or use `document`, one already
    in the vault) and find its header row.

    Raises ValidationError for a refused upload or a file that is not a readable CSV/XLSX.
    """
    _check_tenant(agency, insured, carrier)
    if document is None:
        document = document_create(
            agency=agency,
            uploaded_by=user,
            uploaded_file=uploaded_file,
            kind=Document.Kind.LOSS_RUN,
            insured=insured,
        )
    elif document.agency_id != agency.pk:
        raise ValueError("Another agency's document.")
    if document.content_type not in (
        "text/csv",
        "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
    ):
        raise ValidationError("Claims are read from CSV or XLSX files; keep PDFs as documents.")
    remembered = header_mapping_for(agency=agency, carrier=carrier)
    try:
        with document.file.open("rb") as handle:
            header_row, headers = SheetFile(handle).find_header(remembered)
    except UnreadableFile as exc:
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


def _progress_saver(job: ImportJob):
    def save(row_number: int) -> None:
        ImportJob.objects.filter(pk=job.pk).update(progress=row_number)

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
    job = ImportJob.objects.select_for_update().get(pk=job.pk, agency=agency)
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


# --- manual entry --------------------------------------------------------------------------


@transaction.atomic
def report_create(
    *,
    agency: Agency,
    user,
    insured: Insured,
    carrier: Carrier,
    valuation_date: dt.date,
    document: Document | None = None,
) -> LossRunReport:
    _check_tenant(agency, insured, carrier)
    report = LossRunReport.objects.create(
        agency=agency,
        insured=insured,
        carrier=carrier,
        valuation_date=valuation_date,
        document=document,
        created_by=user,
    )
    movement_refresh(agency=agency, insured=insured, carrier=carrier)
    return report


@transaction.atomic
def report_delete(*, agency: Agency, report: LossRunReport) -> None:
    if report.agency_id != agency.pk:
        raise ValueError("Another agency's report.")
    insured, carrier = report.insured, report.carrier
    report.delete()
    movement_refresh(agency=agency, insured=insured, carrier=carrier)


@transaction.atomic
def term_save(
    *,
    agency: Agency,
    report: LossRunReport,
    term: ReportTerm | None = None,
    policy_number: str,
    term_start: dt.date,
    term_end: dt.date,
    line: str,
    subject_premium: Decimal | None,
) -> ReportTerm:
    """Create (term=None) or update one of a report's terms."""
    if report.agency_id != agency.pk:
        raise ValueError("Another agency's report.")
    if term_end <= term_start:
        raise ValidationError({"term_end": "The term must end after it starts."})
    term = term or ReportTerm(agency=agency, insured_id=report.insured_id, report=report)
    term.policy_number = policy_number
    term.term_start = term_start
    term.term_end = term_end
    term.line = line
    term.subject_premium = subject_premium
    term.save()
    return term


def claim_problems(
    *, term: ReportTerm, values: dict, exclude: Claim | None = None
) -> dict[str, str]:
    """The importer's rules applied to one claim typed by hand: {field: message}."""
    from claims.importers.rows import amounts_problems

    problems: dict[str, str] = {}
    incurred, money = amounts_problems(
        prefix="",
        status=values["status"],
        paid_indemnity=values["paid_indemnity"],
        paid_medical=values["paid_medical"],
        paid_expense=values["paid_expense"],
        recoveries=values["recoveries"],
        reserves=values["reserves"],
        total_incurred=values.get("total_incurred"),
    )
    for message in money:
        field = "total_incurred" if message.startswith("incurred") else "reserves"
        for name in ("paid_indemnity", "paid_medical", "paid_expense"):
            if message.startswith(name.replace("_", " ")):
                field = name
        problems.setdefault(field, message[0].upper() + message[1:] + ".")
    values["total_incurred"] = incurred
    loss, reported = values["date_of_loss"], values.get("date_reported")
    if reported and reported < loss:
        problems["date_reported"] = f"Date reported {reported} is before date of loss {loss}."
    if not term.no_prior_coverage and not term.term_start <= loss <= term.term_end:
        problems["date_of_loss"] = (
            f"Date of loss {loss} is outside the policy period {term.term_start} to {term.term_end}."
        )
    if term.report_id and loss > term.report.valuation_date:
        problems.setdefault(
            "date_of_loss",
            f"Date of loss {loss} is after the valuation date {term.report.valuation_date}.",
        )
    key = claim_key(values["claim_number"])
    duplicates = scoped(Claim, term.agency).filter(report_id=term.report_id, claim_key=key)
    if exclude is not None:
        duplicates = duplicates.exclude(pk=exclude.pk)
    if duplicates.exists():
        problems["claim_number"] = (
            f"Claim number {values['claim_number']} is already on this report."
        )
    return problems


@transaction.atomic
def claim_save(*, agency: Agency, term: ReportTerm, claim: Claim | None = None, **values) -> Claim:
    """Create (claim=None) or update a claim typed by hand, with the importer's rules.

    Raises ValidationError({field: message}) when a rule is broken.
    """
    if term.agency_id != agency.pk or term.report_id is None:
        raise ValueError("Claims belong to a report term of this agency.")
    values = dict(values)
    values.setdefault("total_incurred", None)
    problems = claim_problems(term=term, values=values, exclude=claim)
    if problems:
        raise ValidationError(problems)
    claim = claim or Claim(
        agency=agency,
        insured_id=term.insured_id,
        report_id=term.report_id,
        term=term,
        carrier_id=term.report.carrier_id,
    )
    for name in CLAIM_FIELDS:
        setattr(
            claim, name, values.get(name) if values.get(name) is not None else getattr(claim, name)
        )
    claim.date_reported = values.get("date_reported")
    claim.claim_key = claim_key(claim.claim_number)
    claim.report_lag_days = report_lag(claim.date_of_loss, claim.date_reported)
    claim.save()
    movement_refresh(agency=agency, insured=term.insured, carrier=term.report.carrier)
    return claim


@transaction.atomic
def claim_delete(*, agency: Agency, claim: Claim) -> None:
    if claim.agency_id != agency.pk:
        raise ValueError("Another agency's claim.")
    insured, carrier = claim.insured, claim.carrier
    claim.delete()
    movement_refresh(agency=agency, insured=insured, carrier=carrier)


@transaction.atomic
def attestation_create(
    *,
    agency: Agency,
    user,
    insured: Insured,
    uploaded_file,
    term_start: dt.date,
    term_end: dt.date,
    line: str,
) -> ReportTerm:
    """A signed no-prior-coverage attestation standing in for a term. Raises ValidationError."""
    if insured.agency_id != agency.pk:
        raise ValueError("Another agency's insured.")
    if term_end <= term_start:
        raise ValidationError({"term_end": "The term must end after it starts."})
    document = document_create(
        agency=agency,
        uploaded_by=user,
        uploaded_file=uploaded_file,
        kind=Document.Kind.NO_PRIOR_COVERAGE,
        insured=insured,
    )
    if document.content_type != "application/pdf":
        raise ValidationError({"file": "Upload the signed attestation as a PDF."})
    return ReportTerm.objects.create(
        agency=agency,
        insured=insured,
        report=None,
        term_start=term_start,
        term_end=term_end,
        line=line,
        no_prior_coverage=True,
        attestation=document,
    )


@transaction.atomic
def attestation_delete(*, agency: Agency, term: ReportTerm) -> None:
    if term.agency_id != agency.pk or not term.no_prior_coverage:
        raise ValueError("Not an attestation of this agency.")
    term.delete()
