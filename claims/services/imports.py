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
from accounts.tenancy import scoped
from claims.headers import mapping_problems, recognize_columns
from claims.importers import ReadResult, TermDefaults, read_claims
from claims.importers.forked import forks, read_claims_forked
from claims.importers.readers import SheetFile
from claims.importers.records import ParsedClaim, TermKey, claim_row
from claims.models import LossRunReport, ReportTerm
from claims.services.claim_insert import ClaimStream
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


class _ReportWriter:
    """Stores one report's terms and claims as they come: a term when its first claim
    arrives, claims through a ClaimStream. Use as a context manager inside the report's
    transaction and end with `finish`: the exception that ends an import fails the stream,
    so no COPY outlives it and the transaction rolls back."""

    def __init__(self, report: LossRunReport):
        self.report = report
        self.term_ids: dict[TermKey, int] = {}
        self.heads: dict[TermKey, tuple] = {}  # a term's claims' first columns (the ids)
        self.stream = ClaimStream()

    @property
    def count(self) -> int:
        return self.stream.count

    def add(self, claim: ParsedClaim) -> None:
        self.add_rows([claim.term], [claim_row(claim)])

    def add_rows(self, terms: list[TermKey], rows: list[tuple]) -> None:
        """Claims as their terms and their values in CLAIM_ROW order."""
        heads = self.heads
        for term in dict.fromkeys(terms):
            if term not in heads:
                self._head(term)
        self.stream.add_many(list(map(heads.__getitem__, terms)), rows)

    def _head(self, term: TermKey) -> tuple:
        report = self.report
        term_id = self.term_ids.get(term) or self._term(term, None)
        head = (report.agency_id, report.insured_id, report.pk, term_id, report.carrier_id)
        self.heads[term] = head
        return head

    def __enter__(self) -> _ReportWriter:
        return self

    def __exit__(self, kind: type | None, error: BaseException | None, traceback: object) -> None:
        if error is not None:
            self.stream.close(error)

    def _term(self, key: TermKey, premium: Decimal | None) -> int:
        self.stream.pause()  # a COPY in progress holds the connection
        report = self.report
        term = ReportTerm.objects.create(
            agency_id=report.agency_id,
            insured_id=report.insured_id,
            report=report,
            policy_number=key.policy_number,
            term_start=key.start,
            term_end=key.end,
            line=key.line,
            subject_premium=premium,
        )
        self.term_ids[key] = term.pk
        return term.pk

    def finish(self, terms: dict[TermKey, Decimal | None]) -> None:
        """The last rows, every term's premium, and the terms that have no claims."""
        self.stream.close()
        for key, premium in terms.items():
            if key not in self.term_ids:
                self._term(key, premium)
            elif premium is not None:
                scoped(ReportTerm, self.report.agency).filter(pk=self.term_ids[key]).update(
                    subject_premium=premium
                )


def _report_create(
    *,
    agency: Agency,
    user: User | None,
    insured: Insured,
    carrier: Carrier,
    valuation_date: dt.date,
    document: Document | None,
) -> LossRunReport:
    check_tenant(agency, insured, carrier)
    return LossRunReport.objects.create(
        agency=agency,
        insured=insured,
        carrier=carrier,
        document=document,
        valuation_date=valuation_date,
        created_by=user,
    )


def _report_finish(
    *, report: LossRunReport, writer: _ReportWriter, terms: dict, incurred_convention: str
) -> None:
    writer.finish(terms)
    if incurred_convention:
        report.incurred_convention = incurred_convention
        report.save(update_fields=["incurred_convention"])
    movement_refresh(agency=report.agency, insured=report.insured, carrier=report.carrier)


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
    incurred_convention: str = "",
) -> LossRunReport:
    """One report, its terms and claims (already validated), in one transaction."""
    report = _report_create(
        agency=agency,
        user=user,
        insured=insured,
        carrier=carrier,
        valuation_date=valuation_date,
        document=document,
    )
    with _ReportWriter(report) as writer:
        for claim in claims:
            writer.add(claim)
        _report_finish(
            report=report, writer=writer, terms=terms, incurred_convention=incurred_convention
        )
    return report


@transaction.atomic
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
    preview_limit: int = 0,
) -> ImportOutcome:
    """Read, validate and (only if clean, or if told to drop bad rows) store a loss-run file.

    One pass over the file: each good row is written as it is read, in batches, inside
    this transaction; a bad row (unless bad rows are dropped) stops the writing, the rest
    is still checked for the error list, and the whole import is rolled back.
    Without `fields`, the header row is found and recognised (the carrier's remembered
    mapping first). Raises UnreadableFile, ValidationError (an unusable mapping) or
    ImportRejected (bad rows, nothing stored).
    """
    check_tenant(agency, insured, carrier)
    defaults = defaults or TermDefaults()
    if fields is None:
        remembered = header_mapping_for(agency=agency, carrier=carrier)
        scan = SheetFile(fileobj).scan(remembered)
        header_row, fields = scan.header_row, recognize_columns(scan.headers, remembered)
    problems = mapping_problems(fields)
    if problems:
        raise ValidationError(problems)
    report = _report_create(
        agency=agency,
        user=user,
        insured=insured,
        carrier=carrier,
        valuation_date=valuation_date,
        document=document,
    )
    result = ReadResult()
    with _ReportWriter(report) as writer:

        def sink(terms: list[TermKey], rows: list[tuple]) -> None:
            if drop_bad_rows or not result.bad_rows:  # after a bad row nothing will be kept
                writer.add_rows(terms, rows)

        reader = read_claims_forked if forks(fileobj) else read_claims
        reader(
            fileobj,
            fields=fields,
            header_row=header_row or 1,
            valuation_date=valuation_date,
            defaults=defaults,
            sink=sink,
            progress=progress,
            preview_limit=preview_limit,
            result=result,
        )
        if result.bad_rows and not drop_bad_rows:
            raise ImportRejected(result)
        if not result.terms:
            raise ValidationError(
                "The file has no claim rows and no policy term was given: enter the term it covers."
            )
        _report_finish(
            report=report,
            writer=writer,
            terms=result.terms,
            incurred_convention=result.incurred_convention,
        )
    return ImportOutcome(
        report=report, imported=writer.count, dropped=result.bad_rows, result=result
    )
