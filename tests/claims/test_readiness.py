import datetime as dt

import pytest
import time_machine
from django.urls import reverse

from claims.models import Claim, ReportTerm
from claims.readiness import insured_readiness, readiness_for
from tests.claims.factories import ClaimFactory, LossRunReportFactory, ReportTermFactory
from tests.factories import CarrierFactory, InsuredFactory, LossRunRequestFactory

TODAY = dt.date(2026, 11, 21)


@pytest.fixture
def insured(agency):
    return InsuredFactory(agency=agency)


@pytest.fixture
def carrier():
    return CarrierFactory(legal_name="Hartwell Mutual")


def report(agency, insured, carrier, valued, years):
    r = LossRunReportFactory(agency=agency, insured=insured, carrier=carrier, valuation_date=valued)
    terms = [
        ReportTermFactory(agency=agency, report=r, insured=insured, policy_number=f"GL-{y}",
                          term_start=dt.date(y, 1, 1),
                          term_end=dt.date(y + 1, 1, 1))
        for y in years
    ]  # fmt: skip
    return r, terms


def texts(ready):
    return [line.text for line in ready.lines]


@time_machine.travel(dt.datetime(2026, 11, 21, 15, 0, tzinfo=dt.UTC), tick=False)
def test_years_requested_versus_on_file_names_the_missing_years(agency, insured, carrier):
    LossRunRequestFactory(agency=agency, insured=insured, carrier=carrier, years_requested=3)
    LossRunRequestFactory(agency=agency, insured=insured, carrier=carrier, years_requested=5)
    report(agency, insured, carrier, dt.date(2026, 10, 1), [2022, 2023, 2026])
    ready = insured_readiness(agency=agency, insured=insured)
    assert "5 years requested, 3 on file: missing 2024-25, 2025-26" in texts(ready)
    gap = next(line for line in ready.gaps if line.text.startswith("5 years"))
    assert gap.url == reverse("vault:request_create") + f"?insured={insured.pk}"


@time_machine.travel(dt.datetime(2026, 11, 21, 15, 0, tzinfo=dt.UTC), tick=False)
def test_attestation_counts_as_a_year_on_file(agency, insured, carrier):
    LossRunRequestFactory(agency=agency, insured=insured, carrier=carrier, years_requested=2)
    report(agency, insured, carrier, dt.date(2026, 10, 1), [2026])
    ReportTermFactory(agency=agency, report=None, insured=insured, term_start=dt.date(2025, 1, 1),
                      term_end=dt.date(2026, 1, 1), no_prior_coverage=True, policy_number="")  # fmt: skip
    ready = insured_readiness(agency=agency, insured=insured)
    assert "2 years requested, 2 on file" in texts(ready)
    assert ready.is_ready


@time_machine.travel(dt.datetime(2026, 11, 21, 15, 0, tzinfo=dt.UTC), tick=False)
def test_stale_valuation_says_its_age_and_offers_a_new_request(agency, insured, carrier):
    LossRunRequestFactory(agency=agency, insured=insured, carrier=carrier, years_requested=1)
    report(agency, insured, carrier, TODAY - dt.timedelta(days=104), [2026])
    ready = insured_readiness(agency=agency, insured=insured)
    assert "Hartwell Mutual: newest valuation is 104 days old (limit 90)" in texts(ready)
    stale = next(line for line in ready.gaps if "days old" in line.text)
    assert stale.url.endswith(f"insured={insured.pk}&carrier={carrier.pk}")
    assert stale.url_label == "Request new loss runs"


@time_machine.travel(dt.datetime(2026, 11, 21, 15, 0, tzinfo=dt.UTC), tick=False)
def test_fresh_valuation_says_until_when_under_the_60_day_rule(agency, insured, carrier):
    agency.valuation_max_age_days = 60
    agency.save()
    LossRunRequestFactory(agency=agency, insured=insured, carrier=carrier, years_requested=1)
    report(agency, insured, carrier, dt.date(2026, 10, 1), [2026])
    ready = insured_readiness(agency=agency, insured=insured)
    assert "Hartwell Mutual: valuation fresh until 2026-11-30" in texts(ready)
    assert ready.is_ready


def test_the_day_after_fresh_until_it_is_stale(agency, insured, carrier):
    LossRunRequestFactory(agency=agency, insured=insured, carrier=carrier, years_requested=1)
    report(agency, insured, carrier, dt.date(2026, 10, 14), [2026])
    with time_machine.travel(dt.datetime(2027, 1, 12, 17, 0, tzinfo=dt.UTC), tick=False):
        assert "Hartwell Mutual: valuation fresh until 2027-01-12" in texts(
            insured_readiness(agency=agency, insured=insured)
        )
    with time_machine.travel(dt.datetime(2027, 1, 13, 17, 0, tzinfo=dt.UTC), tick=False):
        assert "Hartwell Mutual: newest valuation is 91 days old (limit 90)" in texts(
            insured_readiness(agency=agency, insured=insured)
        )


def test_requested_carrier_without_a_report_is_missing(agency, insured, carrier):
    LossRunRequestFactory(agency=agency, insured=insured, carrier=carrier)
    ready = insured_readiness(agency=agency, insured=insured, today=TODAY)
    line = next(line for line in ready.gaps if "no loss run on file" in line.text)
    assert line.text == "Hartwell Mutual: no loss run on file"
    assert line.url.endswith(f"carrier={carrier.pk}")


def test_no_request_and_no_report(agency, insured):
    ready = insured_readiness(agency=agency, insured=insured, today=TODAY)
    assert texts(ready)[:2] == [
        "5 years expected (no request yet), 0 on file: missing 2022-23, 2023-24, 2024-25, 2025-26, 2026-27",
        "No loss runs on file",
    ]


def test_terms_with_open_claims_use_the_newest_valuation(agency, insured, carrier):
    old, (t_old,) = report(agency, insured, carrier, dt.date(2025, 10, 1), [2024])
    new, (t_new, t_new2) = report(agency, insured, carrier, dt.date(2026, 10, 1), [2024, 2025])
    ClaimFactory(
        agency=agency,
        term=t_old,
        insured=insured,
        report=old,
        carrier=carrier,
        status=Claim.Status.OPEN,
    )
    ClaimFactory(
        agency=agency,
        term=t_new,
        insured=insured,
        report=new,
        carrier=carrier,
        status=Claim.Status.CLOSED,
    )
    for _ in range(2):
        ClaimFactory(agency=agency, term=t_new2, insured=insured, report=new, carrier=carrier,
                     status=Claim.Status.REOPENED)  # fmt: skip
    ready = insured_readiness(agency=agency, insured=insured, today=TODAY)
    assert "Open claims in 2025-26 (2)" in texts(ready)
    assert ready.open_claims == 2


def test_policy_year_follows_the_anniversary_of_the_newest_term(agency, insured, carrier):
    LossRunRequestFactory(agency=agency, insured=insured, carrier=carrier, years_requested=2)
    r = LossRunReportFactory(
        agency=agency, insured=insured, carrier=carrier, valuation_date=dt.date(2026, 11, 1)
    )
    ReportTermFactory(agency=agency, report=r, insured=insured, term_start=dt.date(2025, 12, 15),
                      term_end=dt.date(2026, 12, 15), line=ReportTerm.Line.GL)  # fmt: skip
    ready = insured_readiness(agency=agency, insured=insured, today=TODAY)
    assert "2 years requested, 1 on file: missing 2024-25" in texts(ready)


def test_many_insureds_in_a_fixed_number_of_queries(agency, carrier, django_assert_num_queries):
    insureds = []
    for _ in range(6):
        insured = InsuredFactory(agency=agency)
        LossRunRequestFactory(agency=agency, insured=insured, carrier=carrier)
        _, (t,) = report(agency, insured, carrier, dt.date(2026, 10, 1), [2025])
        ClaimFactory(
            agency=agency,
            term=t,
            insured=insured,
            report=t.report,
            carrier=carrier,
            status=Claim.Status.OPEN,
        )
        insureds.append(insured)
    with django_assert_num_queries(4):
        found = readiness_for(agency=agency, insureds=insureds, today=TODAY)
    assert all(r.open_claims == 1 for r in found.values())
