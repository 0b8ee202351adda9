"""Writes of the PDF import: start, extraction (the Celery task's body), corrections, commit.

The commit goes through the spreadsheet import's own row validation (RowValidator) and its
all-or-nothing rule: one claim with a problem and nothing is stored. Corrections a reviewer
makes are remembered per carrier and applied to that carrier's next PDF.
"""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import UploadedFile
from django.db import transaction
from django.utils import timezone

from accounts.models import Agency, User
from accounts.tenancy import scoped
from claims.extract import CLAIM_KEYS, Extraction, OcrUnavailable, PdfRejected, extract_pdf
from claims.importers import TermDefaults
from claims.importers.records import ParsedClaim, TermKey
from claims.importers.rows import RowValidator
from claims.models import CarrierPdfCorrection, LossRunReport, PdfImport, ReportTerm
from claims.selectors import final_values
from claims.services.imports import report_store
from vault.documents import document_create
from vault.models import Carrier, Document, Insured

PDF_TYPE = "application/pdf"
EDITABLE = tuple(k for k in CLAIM_KEYS if k != "page")
# The order RowValidator reads a row in (names from claims.headers.FIELDS).
ROW_FIELDS = (
    "claim_number", "policy_number", "term_start", "term_end", "date_of_loss", "date_reported",
    "date_closed", "status", "cause_of_loss", "claimant", "description", "adjuster", "driver",
    "paid_indemnity", "paid_medical",
    "paid_expense", "paid_total", "recoveries", "reserves", "total_incurred", "premium",
)  # fmt: skip
MAX_PROBLEMS_SHOWN = 20
NOT_A_PDF = "This is not a PDF: spreadsheets go through the CSV/XLSX import."


def pdf_import_start(
    *,
    agency: Agency,
    user: User | None,
    insured: Insured,
    carrier: Carrier,
    uploaded_file: UploadedFile | None = None,
    document: Document | None = None,
) -> PdfImport:
    """Keep the upload as the insured's loss-run document (or use one from the vault)."""
    if insured.agency_id != agency.pk or carrier.agency_id not in (None, agency.pk):
        raise ValueError("The insured or carrier belongs to another agency.")
    if document is None:
        if uploaded_file is None:
            raise ValueError("Give the uploaded PDF or a document of the vault.")
        head = uploaded_file.read(1024)
        uploaded_file.seek(0)
        if b"%PDF" not in head:  # refused before anything is stored
            raise ValidationError(NOT_A_PDF)
        document = document_create(
            agency=agency,
            uploaded_by=user,
            uploaded_file=uploaded_file,
            kind=Document.Kind.LOSS_RUN,
            insured=insured,
        )
    elif document.agency_id != agency.pk:
        raise ValueError("Another agency's document.")
    if document.content_type != PDF_TYPE:
        raise ValidationError(NOT_A_PDF)
    return PdfImport.objects.create(
        agency=agency, insured=insured, carrier=carrier, document=document, created_by=user
    )


def pdf_import_run(*, job: PdfImport) -> PdfImport:
    """Extract the document's claims; a refused PDF fails the job with its message."""
    last = [0.0]

    def progress(done: int, total: int) -> None:
        now = timezone.now().timestamp()
        if done == total or now - last[0] > 0.5:
            last[0] = now
            scoped(PdfImport, job.agency).filter(pk=job.pk).update(pages_done=done, pages=total)

    with job.document.file.open("rb") as handle:
        data = handle.read()
    try:
        extraction = extract_pdf(data, progress=progress)
    except (PdfRejected, OcrUnavailable) as exc:
        job.status, job.message = PdfImport.Status.FAILED, str(exc)
        job.save(update_fields=["status", "message"])
        return job
    job.result = _stored(extraction, _fixes(job))
    job.pages = job.pages_done = extraction.pages
    job.status = PdfImport.Status.REVIEW
    job.save(update_fields=["result", "pages", "pages_done", "status"])
    return job


def _fixes(job: PdfImport) -> dict[str, dict[str, str]]:
    found = scoped(CarrierPdfCorrection, job.agency).filter(carrier=job.carrier).first()
    return found.fixes if found else {}


def _stored(extraction: Extraction, fixes: dict[str, dict[str, str]]) -> dict:
    claims = []
    for claim in extraction.claims:
        values = claim.as_json()
        remembered = []
        for field, known in fixes.items():
            value = values.get(field)
            if isinstance(value, str) and value in known:
                values[field] = known[value]
                remembered.append(field)
        claims.append(
            {
                "values": values,
                "flags": list(dict.fromkeys(claim.flags)),
                "boxes": claim.boxes,
                "remembered": remembered,
            }
        )
    data = extraction.as_json()
    return {
        "claims": claims,
        "terms": data["terms"],
        "warnings": data["warnings"],
        "carrier": extraction.carrier,
        "insured": extraction.insured,
        "valuation_date": extraction.valuation_date,
        "page_sizes": extraction.page_sizes,
        "ocr_pages": extraction.ocr_pages,
        "incurred_convention": extraction.incurred_convention,
    }


@transaction.atomic
def pdf_import_correct(
    *, agency: Agency, job: PdfImport, edits: dict[int, dict[str, str]]
) -> PdfImport:
    """Store the reviewer's corrections and remember them for the carrier's next PDF."""
    if job.agency_id != agency.pk:
        raise ValueError("Another agency's import.")
    if job.status != PdfImport.Status.REVIEW:
        raise ValidationError("This import is not waiting for review.")
    claims = job.result.get("claims", [])
    memory = scoped(CarrierPdfCorrection, agency).select_for_update().filter(carrier=job.carrier)
    remembered = memory.first() or CarrierPdfCorrection(agency=agency, carrier=job.carrier)
    for index, fields in edits.items():
        if not 0 <= index < len(claims):
            raise ValidationError(f"There is no claim {index + 1} in this import.")
        original = claims[index]["values"]
        stored = job.edits.setdefault(str(index), {})
        for field, value in fields.items():
            if field not in EDITABLE:
                raise ValidationError(f"{field} is not a claim field.")
            value = value.strip()
            if value == str(original.get(field, "")):
                stored.pop(field, None)
                continue
            stored[field] = value
            if original.get(field):
                remembered.fixes.setdefault(field, {})[str(original[field])] = value
    job.save(update_fields=["edits"])
    remembered.updated_at = timezone.now()
    remembered.save()
    return job


def pdf_import_problems(*, job: PdfImport, valuation_date: dt.date) -> list[str]:
    """The spreadsheet import's row problems for the claims as they stand ([] when clean)."""
    return _validate(job, valuation_date)[1]


def _row_fields(values: list[dict[str, object]]) -> list[str]:
    """The fields the rows are read with: a total paid only when no claim prints the split
    (with the split it is redundant, and carriers print it gross or net of recoveries)."""
    split = any(
        v.get(f) for v in values for f in ("paid_indemnity", "paid_medical", "paid_expense")
    )
    drop = {"paid_total"} if split else {"paid_indemnity", "paid_medical", "paid_expense"}
    return [f for f in ROW_FIELDS if f not in drop]


def _validate(
    job: PdfImport, valuation_date: dt.date
) -> tuple[list[ParsedClaim], list[str], dict[TermKey, Decimal | None], str]:
    rows = final_values(job)
    fields = _row_fields(rows)
    validator = RowValidator(fields, valuation_date=valuation_date, defaults=TermDefaults())
    premiums = {
        (t["policy_number"], t["term_start"], t["term_end"]): t["printed_totals"].get("premium", "")
        for t in job.result.get("terms", [])
    }
    parsed: list[ParsedClaim] = []
    problems: list[str] = []
    for number, values in enumerate(rows, start=1):
        where = (values.get("policy_number"), values.get("term_start"), values.get("term_end"))
        cells = [str(values.get(f, "")) for f in fields[:-1]] + [premiums.get(where, "")]
        claim, found = validator.validate(number, cells)
        if claim is not None:
            claim.status_as_printed = str(values.get("status_as_printed", ""))[:40]
            parsed.append(claim)
        label = values.get("claim_number") or f"claim {number}"
        problems.extend(p.replace(f"row {number}:", f"{label}:", 1) for p in found)
    terms: dict[TermKey, Decimal | None] = {}
    for claim in parsed:
        terms.setdefault(claim.term, validator.term_premium(claim.term))
    for term in job.result.get("terms", []):  # terms printed with no claims are kept too
        if term["term_start"] and term["term_end"]:
            key = TermKey(term["policy_number"], dt.date.fromisoformat(term["term_start"]),
                          dt.date.fromisoformat(term["term_end"]), ReportTerm.Line.GL)  # fmt: skip
            terms.setdefault(key, None)
    return parsed, problems, terms, validator.incurred_convention


@transaction.atomic
def pdf_import_commit(
    *, agency: Agency, user: User | None, job: PdfImport, valuation_date: dt.date
) -> LossRunReport:
    """All claims or none: any row problem raises ValidationError and nothing is stored."""
    job = scoped(PdfImport.objects.select_for_update(), agency).get(pk=job.pk)
    if job.status != PdfImport.Status.REVIEW:
        raise ValidationError("This import is not waiting for review.")
    parsed, problems, terms, convention = _validate(job, valuation_date)
    if problems:
        shown = problems[:MAX_PROBLEMS_SHOWN]
        more = len(problems) - len(shown)
        tail = [f"... and {more} more."] if more > 0 else []
        raise ValidationError(
            [*shown, *tail, "Nothing was imported: correct these and commit again."]
        )
    if not terms:
        raise ValidationError("No claims and no policy term to import.")
    report = report_store(
        agency=agency,
        user=user,
        insured=job.insured,
        carrier=job.carrier,
        valuation_date=valuation_date,
        document=job.document,
        terms=terms,
        claims=parsed,
        incurred_convention=convention,
    )
    job.status, job.report = PdfImport.Status.DONE, report
    job.save(update_fields=["status", "report"])
    return report
