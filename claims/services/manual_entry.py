"""Reports, terms and claims typed by hand, with the importer's rules."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal
from typing import Any

from django.core.exceptions import ValidationError
from django.db import transaction

from accounts.models import Agency, User
from accounts.tenancy import scoped
from claims.importers.records import amounts_problems, claim_key, report_lag
from claims.models import Claim, LossRunReport, ReportTerm
from claims.services.claim_insert import CLAIM_FIELDS
from claims.services.movement import movement_refresh
from claims.services.ownership import check_tenant
from vault.models import Carrier, Document, Insured
from vault.rules import policy_term_errors


@transaction.atomic
def report_create(
    *,
    agency: Agency,
    user: User | None,
    insured: Insured,
    carrier: Carrier,
    valuation_date: dt.date,
    document: Document | None = None,
) -> LossRunReport:
    check_tenant(agency, insured, carrier)
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
    term_errors = policy_term_errors(term_start, term_end)
    if term_errors:
        raise ValidationError(term_errors)
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
    problems: dict[str, str] = {}
    incurred, money, _fits = amounts_problems(
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
    report = term.report if term.report_id else None
    if report is not None and loss > report.valuation_date:
        problems.setdefault(
            "date_of_loss",
            f"Date of loss {loss} is after the valuation date {report.valuation_date}.",
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
def claim_save(
    *, agency: Agency, term: ReportTerm, claim: Claim | None = None, **values: Any
) -> Claim:
    """Create (claim=None) or update a claim typed by hand, with the importer's rules.

    Raises ValidationError({field: message}) when a rule is broken.
    """
    report = term.report if term.report_id else None
    if term.agency_id != agency.pk or report is None:
        raise ValueError("Claims belong to a report term of this agency.")
    values = dict(values)
    values.setdefault("total_incurred", None)
    problems = claim_problems(term=term, values=values, exclude=claim)
    if problems:
        raise ValidationError(problems)
    claim = claim or Claim(
        agency=agency,
        insured_id=term.insured_id,
        report=report,
        term=term,
        carrier_id=report.carrier_id,
    )
    for name in CLAIM_FIELDS:
        setattr(
            claim, name, values.get(name) if values.get(name) is not None else getattr(claim, name)
        )
    claim.date_reported = values.get("date_reported")
    claim.claim_key = claim_key(claim.claim_number)
    claim.report_lag_days = report_lag(claim.date_of_loss, claim.date_reported)
    claim.save()
    movement_refresh(agency=agency, insured=term.insured, carrier=report.carrier)
    return claim


@transaction.atomic
def claim_delete(*, agency: Agency, claim: Claim) -> None:
    if claim.agency_id != agency.pk:
        raise ValueError("Another agency's claim.")
    insured, carrier = claim.insured, claim.carrier
    claim.delete()
    movement_refresh(agency=agency, insured=insured, carrier=carrier)
