"""Importing a loss-run file: read, validate, store the report with its terms and claims."""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from dataclasses import dataclass
from decimal import Decimal
from typing import IO

from django.core.exceptions import ValidationError
from django.db import transaction

from accounts.models import Agency, User
from claims.headers import mapping_problems, recognize_columns
from claims.importers import ReadResult, TermDefaults, read_claims
from claims.importers.readers import SheetFile
from claims.importers.records import ParsedClaim, TermKey
from claims.models import LossRunReport, ReportTerm
from claims.services.claim_insert import CLAIM_FIELDS, claims_insert
from claims.services.mappings import header_mapping_for
from claims.services.movement import movement_refresh
from claims.services.ownership import check_tenant
from vault.models import Carrier, Document, Insured


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


@transaction.atomic
def report_store(
    *,
    agency: Agency,
    user: User | None,
    insured: Insured,
    carrier: Carrier,
    valuation_date: dt.date,
    document: Document | None,
    terms: dict[TermKey, Decimal | None],
    claims: list[ParsedClaim],
) -> LossRunReport:
    """One report, its terms and claims, inserted in batches inside one transaction."""
    check_tenant(agency, insured, carrier)
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


def loss_run_import(
    *,
    agency: Agency,
    user: User | None,
    insured: Insured,
    carrier: Carrier,
    fileobj: IO[bytes],
    valuation_date: dt.date,
    fields: list[str] | None = None,
    header_row: int | None = None,
    defaults: TermDefaults | None = None,
    drop_bad_rows: bool = False,
    document: Document | None = None,
    progress: Callable[[int], None] | None = None,
) -> ImportOutcome:
    """Read, validate and (only if clean, or if told to drop bad rows) store a loss-run file.

    Without `fields`, the header row is found and recognised (the carrier's remembered
    mapping first). Raises UnreadableFile, ValidationError (an unusable mapping) or
    ImportRejected (bad rows, nothing stored).
    """
    check_tenant(agency, insured, carrier)
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
