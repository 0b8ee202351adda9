import datetime as dt

import pytest
import time_machine
from django.urls import reverse

from claims.models import Claim, ReportTerm
from claims.readiness import insured_readiness, readiness_for
from tests.claims.factories import ClaimFactory, LossRunReportFactory, ReportTermFactory
from tests.factories import CarrierFactory, InsuredFactory, LossRunRequestFactory, PolicyFactory

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


def request_for(agency, insured, carrier, years, *, month=1, received_on=None):
    """A request whose policies are one annual term starting in each of `years`."""
    req = LossRunRequestFactory(agency=agency, insured=insured, carrier=carrier, policies=[],
                                received_on=received_on)  # fmt: skip
    for y in years:
        PolicyFactory(
            request=req, term_start=dt.date(y, month, 1), term_end=dt.date(y + 1, month, 1)
        )
    return req


def texts(ready):
    return [line.text for line in ready.lines]


@time_machine.travel(dt.datetime(2026, 11, 21, 15, 0, tzinfo=dt.UTC), tick=False)
def test_years_requested_versus_on_file_names_the_missing_years(agency, insured, carrier):
    request_for(agency, insured, carrier, [2022, 2023, 2024], received_on=dt.date(2026, 10, 2))
    request_for(agency, insured, carrier, [2024, 2025, 2026], received_on=dt.date(2026, 10, 2))
    report(agency, insured, carrier, dt.date(2026, 10, 1), [2022, 2023, 2026])
    ready = insured_readiness(agency=agency, insured=insured)
    assert "5 years requested, 3 on file: missing 2024-25, 2025-26" in texts(ready)
    gap = next(line for line in ready.gaps if line.text.startswith("5 years"))
    assert gap.url == reverse("vault:request_create") + f"?insured={insured.pk}"
    assert ready.gap_count == 2


@time_machine.travel(dt.datetime(2026, 11, 21, 15, 0, tzinfo=dt.UTC), tick=False)
def test_attestation_counts_as_a_year_on_file(agency, insured, carrier):
    request_for(agency, insured, carrier, [2025, 2026])
    report(agency, insured, carrier, dt.date(2026, 10, 1), [2026])
    ReportTermFactory(agency=agency, report=None, insured=insured, term_start=dt.date(2025, 1, 1),
                      term_end=dt.date(2026, 1, 1), no_prior_coverage=True, policy_number="")  # fmt: skip
    ready = insured_readiness(agency=agency, insured=insured)
    assert "2 years requested, 2 on file" in texts(ready)
    assert ready.is_ready


@time_machine.travel(dt.datetime(2026, 11, 21, 15, 0, tzinfo=dt.UTC), tick=False)
def test_stale_valuation_says_its_age_and_offers_a_new_request(agency, insured, carrier):
    request_for(agency, insured, carrier, [2026], received_on=dt.date(2026, 8, 10))
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
    request_for(agency, insured, carrier, [2026])
    report(agency, insured, carrier, dt.date(2026, 10, 1), [2026])
    ready = insured_readiness(agency=agency, insured=insured)
    assert "Hartwell Mutual: valuation fresh until 2026-11-30" in texts(ready)
    assert ready.is_ready


def test_the_day_after_fresh_until_it_is_stale(agency, insured, carrier):
    request_for(agency, insured, carrier, [2026], received_on=dt.date(2026, 10, 15))
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
    LossRunRequestFactory(
        agency=agency, insured=insured, carrier=carrier, received_on=dt.date(2026, 11, 2)
    )
    ready = insured_readiness(agency=agency, insured=insured, today=TODAY)
    line = next(line for line in ready.gaps if "no loss run on file" in line.text)
    assert line.text == "Hartwell Mutual: no loss run on file"
    assert line.url.endswith(f"carrier={carrier.pk}")
    assert line.url_label == "Request new loss runs"


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


def test_without_a_request_the_policy_year_follows_the_newest_term_on_file(
    agency, insured, carrier
):
    r = LossRunReportFactory(
        agency=agency, insured=insured, carrier=carrier, valuation_date=dt.date(2026, 11, 1)
    )
    ReportTermFactory(agency=agency, report=r, insured=insured, term_start=dt.date(2025, 12, 15),
                      term_end=dt.date(2026, 12, 15), line=ReportTerm.Line.GL)  # fmt: skip
    ready = insured_readiness(agency=agency, insured=insured, today=TODAY)
    assert (
        "5 years expected (no request yet), 1 on file: missing 2021-22, 2022-23, 2023-24, 2024-25"
        in texts(ready)
    )


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
    with django_assert_num_queries(5):
        found = readiness_for(agency=agency, insureds=insureds, today=TODAY)
    assert all(r.open_claims == 1 for r in found.values())


# The report: a request for terms 2021-22 ... 2025-26 (July anniversaries).
FIVE_TERMS = [2021, 2022, 2023, 2024, 2025]


def test_the_years_are_the_requests_terms_and_each_missing_year_is_a_gap(
    agency, insured, carrier, owner_client
):
    req = request_for(agency, insured, carrier, FIVE_TERMS, month=7)
    ready = insured_readiness(agency=agency, insured=insured, today=TODAY)
    assert texts(ready)[0] == (
        "5 years requested, 0 on file: missing 2021-22, 2022-23, 2023-24, 2024-25, 2025-26"
        " (awaiting 1 open request)"
    )
    assert "2026-27" not in " ".join(texts(ready))
    assert ready.gap_count == 6  # five years, and the carrier with no loss run on file
    url = reverse("claims:insured_summary", kwargs={"insured_id": insured.pk})
    assert "6 gaps" in owner_client.get(url).content.decode()
    assert "6 gaps" in owner_client.get(reverse("claims:insured_list")).content.decode()
    assert req.pk in ready.open_request_ids


def test_all_requested_terms_imported_is_ready(agency, insured, carrier):
    request_for(agency, insured, carrier, FIVE_TERMS, month=7, received_on=dt.date(2026, 11, 2))
    r = LossRunReportFactory(
        agency=agency, insured=insured, carrier=carrier, valuation_date=dt.date(2026, 11, 1)
    )
    for y in FIVE_TERMS:
        ReportTermFactory(agency=agency, report=r, insured=insured, policy_number="GL-1",
                          term_start=dt.date(y, 7, 1), term_end=dt.date(y + 1, 7, 1))  # fmt: skip
    ready = insured_readiness(agency=agency, insured=insured, today=TODAY)
    assert texts(ready)[0] == "5 years requested, 5 on file"
    assert ready.is_ready and ready.gap_count == 0


def test_an_open_request_is_pointed_to_not_requested_again(agency, insured, carrier):
    received = request_for(agency, insured, carrier, [2026], received_on=dt.date(2026, 8, 10))
    report(agency, insured, carrier, TODAY - dt.timedelta(days=104), [2026])
    still_open = request_for(agency, insured, carrier, [2026])
    ready = insured_readiness(agency=agency, insured=insured, today=TODAY)
    stale = next(line for line in ready.gaps if "days old" in line.text)
    assert stale.text == (
        f"Hartwell Mutual: newest valuation is 104 days old (limit 90); request #{still_open.pk} is open"
    )
    assert stale.url == reverse("vault:request_edit", args=[still_open.pk])
    assert stale.url_label == "See the open request"
    assert not any(line.url_label == "Request new loss runs" for line in ready.lines)
    assert received.pk not in ready.open_request_ids
