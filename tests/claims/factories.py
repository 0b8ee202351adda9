"""Factories for claims rows; related rows stay in the report's agency."""

import datetime as dt
from decimal import Decimal

import factory

from claims.importers.records import claim_key
from claims.models import Claim, ImportJob, LossRunReport, ReportTerm
from tests.factories import AgencyFactory, CarrierFactory, DocumentFactory, InsuredFactory


class LossRunReportFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = LossRunReport

    agency = factory.SubFactory(AgencyFactory)
    insured = factory.SubFactory(InsuredFactory, agency=factory.SelfAttribute("..agency"))
    carrier = factory.SubFactory(CarrierFactory)
    valuation_date = dt.date(2026, 10, 1)


class ReportTermFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = ReportTerm

    agency = factory.SubFactory(AgencyFactory)
    report = factory.SubFactory(LossRunReportFactory, agency=factory.SelfAttribute("..agency"))
    insured = factory.SelfAttribute("report.insured")
    policy_number = factory.Sequence(lambda n: f"GL-{5000 + n}")
    term_start = dt.date(2025, 1, 1)
    term_end = dt.date(2026, 1, 1)
    line = ReportTerm.Line.GL
    subject_premium = Decimal("100000.00")


class ClaimFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Claim

    agency = factory.SubFactory(AgencyFactory)
    term = factory.SubFactory(ReportTermFactory, agency=factory.SelfAttribute("..agency"))
    insured = factory.SelfAttribute("term.insured")
    report = factory.SelfAttribute("term.report")
    carrier = factory.SelfAttribute("term.report.carrier")
    claim_number = factory.Sequence(lambda n: f"CLM-{1000 + n}")
    claim_key = factory.LazyAttribute(lambda o: claim_key(o.claim_number))
    date_of_loss = factory.LazyAttribute(lambda o: o.term.term_start + dt.timedelta(days=30))
    date_reported = factory.LazyAttribute(lambda o: o.date_of_loss + dt.timedelta(days=3))
    report_lag_days = factory.LazyAttribute(
        lambda o: (o.date_reported - o.date_of_loss).days if o.date_reported else None
    )
    status = Claim.Status.CLOSED
    paid_indemnity = Decimal("1000.00")
    paid_medical = Decimal("0.00")
    paid_expense = Decimal("0.00")
    recoveries = Decimal("0.00")
    reserves = Decimal("0.00")
    total_incurred = factory.LazyAttribute(
        lambda o: o.paid_indemnity + o.paid_medical + o.paid_expense - o.recoveries + o.reserves
    )


class ImportJobFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = ImportJob

    agency = factory.SubFactory(AgencyFactory)
    insured = factory.SubFactory(InsuredFactory, agency=factory.SelfAttribute("..agency"))
    carrier = factory.SubFactory(CarrierFactory)
    document = factory.SubFactory(
        DocumentFactory,
        request=None,
        agency=factory.SelfAttribute("..agency"),
        insured=factory.SelfAttribute("..insured"),
        kind="loss_run",
        original_name="loss-run.csv",
        content_type="text/csv",
    )
    valuation_date = dt.date(2026, 10, 1)
    headers = ["Claim #", "DOL", "Status"]
    mapping = ["claim_number", "date_of_loss", "status"]
    status = ImportJob.Status.MAPPING  # headers read
