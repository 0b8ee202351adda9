import datetime as dt
from decimal import Decimal

import pytest

from claims.models import Claim
from claims.services import movement_refresh
from claims.summaries import insured_summary, ratio, reserve_movements
from tests.claims.factories import ClaimFactory, LossRunReportFactory, ReportTermFactory
from tests.factories import CarrierFactory, InsuredFactory

D = Decimal
D100K = Decimal("100000.00")


@pytest.fixture
def insured(agency):
    return InsuredFactory(agency=agency)


def term(agency, insured, *, start_year=2024, premium=D100K, report=None, **kw):
    report = report or LossRunReportFactory(agency=agency, insured=insured)
    return ReportTermFactory(
        agency=agency, report=report, insured=insured, term_start=dt.date(start_year, 1, 1),
        term_end=dt.date(start_year + 1, 1, 1), subject_premium=premium, **kw,
    )  # fmt: skip


def claim(t, **kw):
    return ClaimFactory(
        agency=t.agency, term=t, insured=t.insured, report=t.report, carrier=t.report.carrier, **kw
    )


def test_per_term_aggregates_and_loss_ratio(agency, insured):
    t = term(agency, insured)
    claim(t, paid_indemnity=D("1000.10"), paid_medical=D("200.20"), paid_expense=D("0.03"))
    claim(
        t,
        status=Claim.Status.OPEN,
        paid_indemnity=D("500.00"),
        recoveries=D("100.00"),
        reserves=D("4000.00"),
    )
    claim(t, status=Claim.Status.REOPENED, paid_indemnity=D("0"), reserves=D("0.01"))
    summary = insured_summary(agency=agency, insured=insured)
    (row,) = summary.rows
    assert (row.claim_count, row.open_count) == (3, 2)
    assert row.paid == D("1600.33")
    assert row.reserves == D("4000.01")
    assert row.incurred == D("5600.34")
    assert row.loss_ratio == D("5.6")
    assert summary.totals.severity == D("1866.78")


def test_loss_ratio_is_na_with_zero_or_missing_premium(agency, insured):
    zero = term(agency, insured, start_year=2023, premium=D("0"))
    missing = term(agency, insured, start_year=2024, premium=None)
    claim(zero)
    claim(missing)
    summary = insured_summary(agency=agency, insured=insured)
    assert [r.loss_ratio for r in summary.rows] == [None, None]
    assert summary.totals.loss_ratio is None
    assert summary.totals.claims_per_million is None
    assert ratio(D("5"), D("0")) is None


def test_totals_frequency_and_severity(agency, insured):
    a = term(agency, insured, start_year=2023, premium=D("200000"))
    b = term(agency, insured, start_year=2024, premium=D("300000"))
    for _ in range(3):
        claim(a, paid_indemnity=D("1000.00"))
    claim(b, paid_indemnity=D("2000.00"))
    totals = insured_summary(agency=agency, insured=insured).totals
    assert (totals.years, totals.claim_count) == (2, 4)
    assert totals.incurred == D("5000.00")
    assert totals.loss_ratio == D("1.0")
    assert totals.claims_per_year == D("2.0")
    assert totals.claims_per_million == D("8.0")
    assert totals.severity == D("1250.00")


def test_sums_are_exact_to_the_cent(agency, insured):
    t = term(agency, insured)
    for _ in range(30):
        claim(t, paid_indemnity=D("0.10"), paid_medical=D("0.20"))
    row = insured_summary(agency=agency, insured=insured).rows[0]
    assert row.paid == D("9.00") and row.incurred == D("9.00")


def test_large_losses_at_or_above_the_agency_threshold(agency, insured):
    agency.large_loss_threshold_pct = 25
    agency.save()
    t = term(agency, insured, premium=D("100000.00"))
    at = claim(t, paid_indemnity=D("25000.00"))
    claim(t, paid_indemnity=D("24999.99"))
    no_premium = term(agency, insured, start_year=2023, premium=None)
    claim(no_premium, paid_indemnity=D("900000.00"))
    summary = insured_summary(agency=agency, insured=insured)
    assert [c.pk for c in summary.large_losses] == [at.pk]
    agency.large_loss_threshold_pct = 30
    agency.save()
    assert insured_summary(agency=agency, insured=insured).large_losses == []


def test_report_lag_over_30_days_is_flagged(agency, insured):
    t = term(agency, insured)
    late = claim(t, date_of_loss=dt.date(2024, 3, 1), date_reported=dt.date(2024, 4, 1))
    claim(t, date_of_loss=dt.date(2024, 3, 1), date_reported=dt.date(2024, 3, 31))
    claim(t, date_of_loss=dt.date(2024, 3, 1), date_reported=None)
    summary = insured_summary(agency=agency, insured=insured)
    assert [c.pk for c in summary.late_claims] == [late.pk]
    assert summary.totals.late_count == 1


def test_newest_valuation_of_a_term_is_the_current_one(agency, insured):
    carrier = CarrierFactory()
    old = LossRunReportFactory(
        agency=agency, insured=insured, carrier=carrier, valuation_date=dt.date(2025, 6, 1)
    )
    new = LossRunReportFactory(
        agency=agency, insured=insured, carrier=carrier, valuation_date=dt.date(2026, 6, 1)
    )
    t_old = term(agency, insured, report=old, policy_number="GL-1")
    t_new = term(agency, insured, report=new, policy_number="GL-1")
    claim(t_old, claim_number="A", status=Claim.Status.OPEN, reserves=D("1000"))
    claim(t_new, claim_number="A", status=Claim.Status.CLOSED, paid_indemnity=D("1500"))
    summary = insured_summary(agency=agency, insured=insured)
    assert [r.term.pk for r in summary.rows] == [t_new.pk]
    assert summary.rows[0].open_count == 0 and summary.open_claims == []


def test_reserve_movement_between_two_valuations(agency, insured):
    carrier = CarrierFactory()
    old = LossRunReportFactory(
        agency=agency, insured=insured, carrier=carrier, valuation_date=dt.date(2025, 6, 1)
    )
    new = LossRunReportFactory(
        agency=agency, insured=insured, carrier=carrier, valuation_date=dt.date(2026, 6, 1)
    )
    t_old, t_new = term(agency, insured, report=old), term(agency, insured, report=new)
    claim(t_old, claim_number="R-1", status=Claim.Status.OPEN, reserves=D("1000.00"))
    claim(t_new, claim_number="r 1", status=Claim.Status.OPEN, reserves=D("2500.50"))
    claim(t_old, claim_number="F-1", status=Claim.Status.OPEN, reserves=D("800.00"))
    claim(t_new, claim_number="F-1", status=Claim.Status.OPEN, reserves=D("300.00"))
    claim(t_new, claim_number="NEW-1", status=Claim.Status.OPEN, reserves=D("50.00"))
    movement_refresh(agency=agency, insured=insured, carrier=carrier)
    moves = {m.claim_number: m for m in reserve_movements(agency=agency, insured=insured).rows}
    assert set(moves) == {"r 1", "F-1"}
    assert moves["r 1"].older_reserves == D("1000.00") and moves["r 1"].newer_reserves == D(
        "2500.50"
    )
    assert moves["r 1"].direction == "rising" and moves["r 1"].change == D("1500.50")
    assert moves["F-1"].direction == "falling"
    assert moves["F-1"].older_valuation == dt.date(2025, 6, 1)
    summary = insured_summary(agency=agency, insured=insured)
    assert (summary.rising, summary.falling) == (1, 1)


def test_same_claim_number_at_another_carrier_is_another_claim(agency, insured):
    a = term(
        agency,
        insured,
        report=LossRunReportFactory(
            agency=agency, insured=insured, valuation_date=dt.date(2025, 1, 1)
        ),
    )
    b = term(
        agency,
        insured,
        report=LossRunReportFactory(
            agency=agency, insured=insured, valuation_date=dt.date(2026, 1, 1)
        ),
    )
    claim(a, claim_number="X-1")
    claim(b, claim_number="X-1")
    for r in (a.report, b.report):
        movement_refresh(agency=agency, insured=insured, carrier=r.carrier)
    assert reserve_movements(agency=agency, insured=insured).rows == []


def test_another_agencys_claims_never_count(agency, other_agency, insured):
    t = term(agency, insured)
    claim(t)
    other_insured = InsuredFactory(agency=other_agency)
    claim(term(other_agency, other_insured))
    summary = insured_summary(agency=agency, insured=insured)
    assert summary.totals.claim_count == 1


def test_charts_have_a_text_alternative(agency, insured):
    t = term(agency, insured, premium=D("0"))
    claim(t, paid_indemnity=D("1234.00"))
    summary = insured_summary(agency=agency, insured=insured)
    assert summary.incurred_chart.description == "2024-25: $1,234"
    assert summary.loss_ratio_chart.description == "2024-25: n/a"


def test_movement_follows_the_two_newest_valuations_whatever_the_import_order(agency, insured):
    import io

    from claims import services
    from claims.importers import TermDefaults
    from tests.claims.files import csv_bytes

    carrier = CarrierFactory()
    head = ["Claim #", "DOL", "Status", "Paid Loss", "Reserves", "Incurred"]

    def load(valued, reserves):
        data = csv_bytes([head, ["K-1", "2024-03-01", "open", "0", reserves, reserves]])
        defaults = TermDefaults(term_start=dt.date(2024, 1, 1), term_end=dt.date(2025, 1, 1))
        return services.loss_run_import(
            agency=agency, user=None, insured=insured, carrier=carrier, fileobj=io.BytesIO(data),
            valuation_date=valued, defaults=defaults,
        ).report  # fmt: skip

    load(dt.date(2026, 6, 1), "300.00")
    assert reserve_movements(agency=agency, insured=insured).rows == []
    middle = load(dt.date(2025, 6, 1), "500.00")  # an older valuation arrives later
    (move,) = reserve_movements(agency=agency, insured=insured).rows
    assert (move.older_reserves, move.newer_reserves, move.direction) == (
        D("500.00"),
        D("300.00"),
        "falling",
    )
    load(dt.date(2024, 6, 1), "900.00")  # older still: the two newest are unchanged
    assert reserve_movements(agency=agency, insured=insured).rows[0].older_valuation == dt.date(
        2025, 6, 1
    )
    services.report_delete(agency=agency, report=middle)
    (move,) = reserve_movements(agency=agency, insured=insured).rows
    assert (move.older_reserves, move.older_valuation) == (D("900.00"), dt.date(2024, 6, 1))


def test_no_prior_coverage_term_is_a_row_but_not_a_bar(agency, insured):
    claim(term(agency, insured, start_year=2025))
    ReportTermFactory(agency=agency, report=None, insured=insured, term_start=dt.date(2024, 1, 1),
                      term_end=dt.date(2025, 1, 1), no_prior_coverage=True, subject_premium=None)  # fmt: skip
    summary = insured_summary(agency=agency, insured=insured)
    assert [(r.label, r.term.no_prior_coverage, r.carrier_name) for r in summary.rows] == [
        ("2024-25", True, "No prior coverage"),
        ("2025-26", False, summary.rows[1].carrier_name),
    ]
    assert [b.label for b in summary.incurred_chart.bars] == ["2025-26"]
    assert summary.totals.years == 1 and summary.totals.claim_count == 1
