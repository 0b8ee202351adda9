"""Reads of the claims app. Every selector takes the agency; other agencies' rows are 404."""

from __future__ import annotations

from django.db.models import Count, Q, QuerySet
from django.http import Http404

from accounts.models import Agency
from accounts.tenancy import get_for_agency, scoped
from claims.headers import unmapped_money_columns
from claims.models import Claim, ImportJob, LossRunReport, PdfImport, ReportTerm
from claims.progress import progress_read
from vault.models import Carrier, Document, Insured, LossRunRequest


def insured_get(*, agency: Agency, insured_id: int) -> Insured:
    return get_for_agency(Insured, agency=agency, pk=insured_id)


def insureds_list(*, agency: Agency, search: str = "") -> QuerySet[Insured]:
    qs = scoped(Insured, agency).order_by("legal_name", "id")
    if search:
        qs = qs.filter(legal_name__icontains=search) | qs.filter(dba__icontains=search)
    return qs


def carriers_visible(*, agency: Agency) -> QuerySet[Carrier]:
    return Carrier.objects.visible_to(agency).order_by("legal_name")


def carrier_get(*, agency: Agency, carrier_id: int) -> Carrier:
    try:
        return carriers_visible(agency=agency).get(pk=carrier_id)
    except (Carrier.DoesNotExist, ValueError, TypeError) as exc:
        raise Http404("No such carrier.") from exc


def report_get(*, agency: Agency, report_id: int) -> LossRunReport:
    qs = scoped(LossRunReport, agency).select_related("insured", "carrier", "document")
    return get_for_agency(qs, agency=agency, pk=report_id)


def reports_for_insured(*, agency: Agency, insured: Insured) -> QuerySet[LossRunReport]:
    return (
        scoped(LossRunReport, agency)
        .filter(insured=insured)
        .select_related("carrier", "document")
        .annotate(claim_count=Count("claims"))
        .order_by("-valuation_date", "-id")
    )


def report_terms(*, agency: Agency, report: LossRunReport) -> QuerySet[ReportTerm]:
    return (
        scoped(ReportTerm, agency)
        .filter(report=report)
        .prefetch_related("claims")
        .order_by("term_start", "policy_number", "id")
    )


def term_get(*, agency: Agency, term_id: int) -> ReportTerm:
    qs = scoped(ReportTerm, agency).select_related("report__carrier", "report__insured", "insured")
    return get_for_agency(qs, agency=agency, pk=term_id)


def attestations_for_insured(*, agency: Agency, insured: Insured) -> QuerySet[ReportTerm]:
    return (
        scoped(ReportTerm, agency)
        .filter(insured=insured, no_prior_coverage=True)
        .select_related("attestation")
        .order_by("term_start")
    )


def claim_get(*, agency: Agency, claim_id: int) -> Claim:
    qs = scoped(Claim, agency).select_related("term__report__carrier", "insured")
    return get_for_agency(qs, agency=agency, pk=claim_id)


def import_get(*, agency: Agency, import_id: int) -> ImportJob:
    """The import, with the row its worker has reached while it runs (claims.progress)."""
    qs = scoped(ImportJob, agency).select_related("insured", "carrier", "document", "report")
    job: ImportJob = get_for_agency(qs, agency=agency, pk=import_id)
    if job.status == ImportJob.Status.IMPORTING:
        reached = progress_read(job.pk)
        if reached is not None:
            job.progress = reached
    return job


def imports_for_insured(*, agency: Agency, insured: Insured, limit: int = 10) -> list[ImportJob]:
    return list(scoped(ImportJob, agency).filter(insured=insured).select_related("carrier")[:limit])


SPREADSHEET_TYPES = (
    "text/csv",
    "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
)


def loss_run_spreadsheets(*, agency: Agency, insured: Insured) -> QuerySet[Document]:
    """The insured's loss-run documents already in the vault that claims can be read from."""
    return (
        scoped(Document, agency)
        .filter(Q(insured=insured) | Q(request__insured=insured))
        .filter(kind=Document.Kind.LOSS_RUN, content_type__in=SPREADSHEET_TYPES)
        .order_by("-uploaded_at", "-id")
    )


def import_carrier_preset(
    *, agency: Agency, insured: Insured, asked: str | None
) -> str | int | None:
    """The carrier an import form opens with: the one the link asks for (`?carrier=`), else
    the insured's only requested carrier when there is exactly one, else none."""
    if asked:
        return asked
    requested = set(
        scoped(LossRunRequest, agency).filter(insured=insured).values_list("carrier_id", flat=True)
    )
    return requested.pop() if len(requested) == 1 else None


def pdf_import_get(*, agency: Agency, pdf_import_id: int) -> PdfImport:
    qs = scoped(PdfImport, agency).select_related("insured", "carrier", "document", "report")
    return get_for_agency(qs, agency=agency, pk=pdf_import_id)


def loss_run_pdfs(*, agency: Agency, insured: Insured) -> QuerySet[Document]:
    """The insured's loss-run PDFs in the vault (uploaded, or received on a request)."""
    return (
        scoped(Document, agency)
        .filter(Q(insured=insured) | Q(request__insured=insured))
        .filter(kind=Document.Kind.LOSS_RUN, content_type="application/pdf")
        .order_by("-uploaded_at", "-id")
    )


def pdf_review_rows(job: PdfImport) -> list[dict]:
    """The review table: each claim with the reviewer's edits, flagged claims first."""
    rows = []
    for index, (claim, values) in enumerate(
        zip(job.result.get("claims", []), final_values(job), strict=True)
    ):
        rows.append(
            {
                "index": index,
                "values": values,
                "flags": claim["flags"],
                "boxes": claim["boxes"],
                "remembered": claim.get("remembered", []),
                "edited": sorted(job.edits.get(str(index), {})),
            }
        )
    rows.sort(key=lambda row: (not row["flags"], row["index"]))
    return rows


def final_values(job: PdfImport) -> list[dict[str, object]]:
    """Every claim as it will be committed: extracted values with the reviewer's edits."""
    out = []
    for index, claim in enumerate(job.result.get("claims", [])):
        values = dict(claim["values"])
        values.update(job.edits.get(str(index), {}))
        out.append(values)
    return out


def mapping_hints(*, job: ImportJob, fields: list[str]) -> dict:
    """What the mapping page shows beside the selects: each column's sample values, the
    columns left unused, and among them the ones that hold money."""
    samples = [
        [row[index] for row in job.samples if index < len(row) and row[index]][:3]
        for index in range(len(job.headers))
    ]
    unused = [
        header or f"Column {index + 1}"
        for index, header in enumerate(job.headers)
        if not (index < len(fields) and fields[index]) and (header or samples[index])
    ]
    return {
        "samples": samples,
        "unused": unused,
        "unmapped_money": unmapped_money_columns(job.headers, fields, job.samples),
    }
