"""The import service: layouts end to end, every row message, all-or-nothing, Decimal money."""

import datetime as dt
import io
from decimal import Decimal

import pytest
from django.core.exceptions import ValidationError

from claims import services
from claims.importers import TermDefaults, UnreadableFile
from claims.importers.records import parse_status
from claims.models import CarrierHeaderMapping, Claim, LossRunReport, ReportTerm
from tests.claims.files import csv_bytes, xlsx_bytes
from tests.claims.layouts import (
    granite_xlsx,
    harbor_csv,
    hartwell_csv,
    lakeside_csv,
    prairie_xlsx,
)
from tests.factories import CarrierFactory, InsuredFactory

VALUED = dt.date(2026, 9, 30)
HEAD = ["Claim #", "Policy #", "Policy Period", "DOL", "Rptd", "Status", "Indemnity Paid",
        "Medical Paid", "Expense Paid", "Recoveries", "Reserves", "Total Incurred", "Premium"]  # fmt: skip
PERIOD = "01/01/2023 - 01/01/2024"


def good(number="C-1", **over):
    row = {
        "Claim #": number, "Policy #": "GL-1", "Policy Period": PERIOD, "DOL": "2023-02-01",
        "Rptd": "2023-02-03", "Status": "closed", "Indemnity Paid": "1,000.00", "Medical Paid": "0",
        "Expense Paid": "0", "Recoveries": "0", "Reserves": "0", "Total Incurred": "1,000.00",
        "Premium": "50,000.00",
    }  # fmt: skip
    row.update(over)
    return [row[h] for h in HEAD]


@pytest.fixture
def target(agency):
    return {
        "agency": agency,
        "user": None,
        "insured": InsuredFactory(agency=agency),
        "carrier": CarrierFactory(),
    }


def run(target, data: bytes, **kwargs):
    kwargs.setdefault("valuation_date", VALUED)
    return services.loss_run_import(fileobj=io.BytesIO(data), **target, **kwargs)


def rejected(target, rows, **kwargs) -> list[str]:
    with pytest.raises(services.ImportRejected) as caught:
        run(target, csv_bytes([HEAD, *rows]), **kwargs)
    assert Claim.objects.count() == 0
    assert LossRunReport.objects.count() == 0
    return caught.value.result.errors


# --- layouts end to end -----------------------------------------------------------------


def test_hartwell_csv_imports_two_terms_with_premiums(target):
    outcome = run(target, hartwell_csv())
    assert outcome.imported == 3
    terms = {t.policy_number: t for t in ReportTerm.objects.all()}
    assert terms["GL-77"].subject_premium == Decimal("100000.00")
    assert terms["GL-78"].term_start == dt.date(2025, 1, 1)
    subro = Claim.objects.get(claim_number="HM-1003")
    assert subro.recoveries == Decimal("1000.00")  # printed as (1,000.00), stored positive
    assert subro.total_incurred == Decimal("4000.00")
    assert subro.status == Claim.Status.SUBROGATED


def test_granite_xlsx_skips_title_and_total_lines_and_rounds_float_cells_to_the_cent(target):
    outcome = run(target, granite_xlsx())
    assert outcome.imported == 2
    g2 = Claim.objects.get(claim_number="G-2")
    assert (g2.paid_indemnity, g2.paid_expense, g2.total_incurred) == (
        Decimal("0.10"),
        Decimal("0.20"),
        Decimal("1000.30"),
    )
    term = ReportTerm.objects.get()
    assert (term.policy_number, term.term_start, term.term_end) == (
        "CPP-1",
        dt.date(2023, 7, 1),
        dt.date(2024, 7, 1),
    )


def test_prairie_xlsx_uses_the_typed_term_and_adds_split_reserves(target):
    defaults = TermDefaults(
        policy_number="WC-1", term_start=dt.date(2024, 1, 1), term_end=dt.date(2025, 1, 1),
        line=ReportTerm.Line.WC, premium=Decimal("40000"),
    )  # fmt: skip
    outcome = run(target, prairie_xlsx(), defaults=defaults)
    assert outcome.imported == 2
    wc9 = Claim.objects.get(claim_number="WC-9")
    assert wc9.reserves == Decimal("1000.00")
    assert wc9.status == Claim.Status.REOPENED
    assert wc9.term.line == ReportTerm.Line.WC and wc9.term.subject_premium == Decimal("40000.00")


def test_harbor_semicolon_csv_with_a_single_paid_column(target):
    run(target, harbor_csv())
    hb1 = Claim.objects.get(claim_key="HB001")
    assert hb1.paid_indemnity == Decimal("2500.00") and hb1.recoveries == Decimal("500.00")
    assert hb1.paid == Decimal("2000.00")


def test_lakeside_cp1252_csv_recognises_the_line_and_skips_total_lines(target):
    outcome = run(target, lakeside_csv())
    assert outcome.imported == 1
    claim = Claim.objects.get()
    assert claim.claimant == "René Côté"
    assert claim.term.line == ReportTerm.Line.AUTO
    assert claim.date_of_loss == dt.date(2021, 4, 2)


def test_remembered_carrier_mapping_is_used_next_time(target):
    CarrierHeaderMapping.objects.create(
        agency=target["agency"], carrier=target["carrier"],
        mapping={"ref": "claim_number", "when": "date_of_loss", "state": "status"},
    )  # fmt: skip
    data = csv_bytes([["Ref", "When", "State"], ["R-1", "2025-03-01", "closed"]])
    defaults = TermDefaults(term_start=dt.date(2025, 1, 1), term_end=dt.date(2026, 1, 1))
    assert run(target, data, defaults=defaults).imported == 1


# --- every row message ------------------------------------------------------------------


def test_impossible_date_is_reported_with_its_row(target):
    rows = [good(f"C-{i}") for i in range(1, 40)] + [good("C-40", DOL="2023-02-30")]
    assert rejected(target, rows) == ["row 41: date of loss 2023-02-30 is not a date"]


def test_incurred_must_be_paid_plus_reserves(target):
    rows = [good("C-1", **{"Indemnity Paid": "3,000.00", "Reserves": "1,500.00", "Status": "open",
                           "Total Incurred": "5,000.00"})]  # fmt: skip
    assert rejected(target, rows) == [
        "row 2: incurred 5,000.00 is not paid 3,000.00 + reserves 1,500.00"
    ]


def test_paid_is_net_of_recoveries_and_an_incurred_fitting_no_convention_says_so(target):
    rows = [good("C-1", **{"Indemnity Paid": "3,000.00", "Expense Paid": "200", "Recoveries": "500",
                           "Reserves": "1,500.00", "Status": "open", "Total Incurred": "3,900.00"})]  # fmt: skip
    assert rejected(target, rows) == [
        "row 2: incurred 3,900.00 is not paid 2,700.00 + reserves 1,500.00, nor gross of"
        " recoveries, with expense (4,700.00) or net of recoveries, without expense (4,000.00)"
        " or gross of recoveries, without expense (4,500.00)"
    ]


def _subrogated(number, incurred, expense="200.00"):
    return good(number, **{"Indemnity Paid": "3,000.00", "Expense Paid": expense,
                           "Recoveries": "(500.00)", "Reserves": "1,500.00", "Status": "subrogated",
                           "Total Incurred": incurred})  # fmt: skip


@pytest.mark.parametrize(
    "incurred, convention",
    [
        ("4,200.00", "net"),  # 3000 + 200 - 500 + 1500
        ("4,700.00", "gross"),  # before recoveries
        ("4,000.00", "net_no_expense"),
        ("4,500.00", "gross_no_expense"),
    ],
)
def test_each_known_incurred_convention_is_accepted_and_recorded(target, incurred, convention):
    rows = [good("C-0"), _subrogated("C-1", incurred), _subrogated("C-2", incurred)]
    outcome = run(target, csv_bytes([HEAD, *rows]))
    assert outcome.imported == 3
    assert outcome.report.incurred_convention == convention
    stored = Claim.objects.get(claim_number="C-1")
    assert stored.total_incurred == Decimal("4200.00")  # always the domain's paid + reserves


def test_only_rows_fitting_no_convention_are_refused(target):
    rows = [_subrogated("C-1", "4,700.00"), _subrogated("C-2", "4,750.00"),
            _subrogated("C-3", "4,700.00")]  # fmt: skip
    errors = rejected(target, rows)
    assert len(errors) == 1 and errors[0].startswith(
        "row 3: incurred 4,750.00 is not paid 2,700.00 + reserves 1,500.00, nor gross of"
        " recoveries, with expense (4,700.00)"
    )


def test_closed_claim_carries_no_reserves(target):
    rows = [good("C-1", **{"Reserves": "10", "Total Incurred": "1,010.00"})]
    assert rejected(target, rows) == ["row 2: closed claim carries reserves"]


@pytest.mark.parametrize(
    ("override", "message"),
    [
        ({"Claim #": ""}, "row 2: claim number is missing"),
        ({"Status": ""}, "row 2: status is missing"),
        ({"Status": "pending review"},
         "row 2: status pending review is not one of open, closed, reopened, denied, subrogated"),
        ({"DOL": ""}, "row 2: date of loss is missing"),
        ({"Rptd": "soon"}, "row 2: date reported soon is not a date"),
        ({"Rptd": "2023-01-15"}, "row 2: date reported 2023-01-15 is before date of loss 2023-02-01"),
        ({"Indemnity Paid": "1.000,00"}, "row 2: paid indemnity 1.000,00 is not an amount"),
        ({"Reserves": "12.345"}, "row 2: reserves 12.345 is not an amount"),
        ({"Reserves": "-5", "Status": "open", "Total Incurred": "995.00"},
         "row 2: reserves -5.00 is negative"),
        ({"Policy Period": "sometime"}, "row 2: policy period sometime is not a policy period (from - to)"),
        ({"Policy Period": ""}, "row 2: policy period is missing"),
        ({"Policy Period": "01/01/2024 - 01/01/2023"},
         "row 2: policy period 2024-01-01 to 2023-01-01 ends before it starts"),
        ({"DOL": "2022-12-31", "Rptd": "2023-01-02"},
         "row 2: date of loss 2022-12-31 is outside the policy period 2023-01-01 to 2024-01-01"),
        ({"Premium": "-1"}, "row 2: premium -1.00 is negative"),
        ({"Medical Paid": "1e3"}, "row 2: paid medical 1e3 is not an amount"),
        ({"Expense Paid": "999999999999999"}, "row 2: paid expense 999999999999999 is too large"),
    ],
)  # fmt: skip
def test_every_row_message(target, override, message):
    assert rejected(target, [good("C-1", **override)]) == [message]


def test_denied_claim_carries_no_reserves_either(target):
    rows = [good("C-1", **{"Status": "Denied", "Reserves": "5", "Total Incurred": "1,005.00"})]
    assert rejected(target, rows) == ["row 2: denied claim carries reserves"]


def test_date_of_loss_after_the_valuation_date(target):
    rows = [good("C-1")]
    errors = rejected(target, rows, valuation_date=dt.date(2023, 1, 15))
    assert errors == ["row 2: date of loss 2023-02-01 is after the valuation date 2023-01-15"]


def test_duplicate_claim_number_and_conflicting_premium(target):
    rows = [good("C-1"), good("c 1"), good("C-3", Premium="60,000.00")]
    assert rejected(target, rows) == [
        "row 3: claim number c 1 already appears in row 2",
        "row 4: premium 60,000.00 differs from 50,000.00 on row 2 for policy GL-1 2023-01-01 to 2024-01-01",
    ]


def test_total_paid_must_agree_with_its_split():
    from claims.importers.rows import RowValidator

    fields = [
        "claim_number",
        "date_of_loss",
        "status",
        "paid_indemnity",
        "paid_medical",
        "paid_total",
    ]
    validator = RowValidator(
        fields,
        valuation_date=VALUED,
        defaults=TermDefaults(term_start=dt.date(2023, 1, 1), term_end=dt.date(2024, 1, 1)),
    )
    claim, problems = validator.validate(5, ["A", "2023-05-05", "closed", "10", "5", "16"])
    assert claim is None
    assert problems == [
        "row 5: total paid 16.00 is not indemnity 10.00 + medical 5.00 + expense 0.00"
    ]


def test_one_row_can_have_several_errors_all_listed(target):
    errors = rejected(target, [good("", DOL="31/31/2023", Rptd="x")])
    assert errors == [
        "row 2: claim number is missing",
        "row 2: date of loss 31/31/2023 is not a date",
        "row 2: date reported x is not a date",
    ]


# --- all or nothing, dropping bad rows ---------------------------------------------------


def test_bad_rows_can_be_dropped_on_request(target):
    rows = [good("C-1"), good("C-2", DOL="2023-02-30"), good("C-3")]
    outcome = run(target, csv_bytes([HEAD, *rows]), drop_bad_rows=True)
    assert (outcome.imported, outcome.dropped) == (2, 1)
    assert sorted(Claim.objects.values_list("claim_number", flat=True)) == ["C-1", "C-3"]


def test_a_file_with_no_rows_and_no_term_is_refused(target):
    with pytest.raises(ValidationError):
        run(target, csv_bytes([HEAD]))


def test_a_loss_run_with_no_claims_records_its_term(target):
    defaults = TermDefaults(policy_number="GL-9", term_start=dt.date(2025, 1, 1), term_end=dt.date(2026, 1, 1),
                            premium=Decimal("10000"))  # fmt: skip
    outcome = run(target, csv_bytes([HEAD]), defaults=defaults)
    assert outcome.imported == 0
    assert ReportTerm.objects.get().policy_number == "GL-9"


def test_unreadable_file_is_refused_in_words(target):
    with pytest.raises(UnreadableFile):
        run(target, b"PK\x03\x04 not really a workbook")


def test_money_sums_to_the_cent_in_the_database(target):
    rows = [good(f"C-{i}", **{"Indemnity Paid": "0.10", "Medical Paid": "0.20", "Total Incurred": "0.30"})
            for i in range(1, 11)]  # fmt: skip
    run(target, csv_bytes([HEAD, *rows]))
    from django.db.models import Sum

    totals = Claim.objects.aggregate(paid=Sum("paid_medical"), incurred=Sum("total_incurred"))
    assert totals["incurred"] == Decimal("3.00")
    assert totals["paid"] == Decimal("2.00")


def test_xlsx_and_csv_of_the_same_rows_import_the_same(target):
    rows = [
        HEAD,
        good("C-1"),
        good("C-2", Status="open", Reserves="250.55", **{"Total Incurred": "1,250.55"}),
    ]
    run(target, xlsx_bytes(rows))
    run(target, csv_bytes(rows))
    first, second = LossRunReport.objects.order_by("id")
    key = ("claim_number", "status", "reserves", "total_incurred")
    assert list(first.claims.order_by("claim_number").values_list(*key)) == list(
        second.claims.order_by("claim_number").values_list(*key)
    )


def test_another_agencys_insured_is_refused(target, other_agency):
    target["insured"] = InsuredFactory(agency=other_agency)
    with pytest.raises(ValueError):
        run(target, csv_bytes([HEAD, good()]))


def test_effective_and_expiration_date_columns_are_checked():
    from claims.importers.rows import RowValidator

    fields = ["claim_number", "date_of_loss", "status", "term_start", "term_end"]
    validator = RowValidator(fields, valuation_date=VALUED, defaults=TermDefaults())
    claim, problems = validator.validate(
        9, ["A", "2023-05-05", "closed", "2023-13-01", "2024-01-01"]
    )
    assert problems == ["row 9: effective date 2023-13-01 is not a date"]
    claim, problems = validator.validate(10, ["B", "2023-05-05", "closed", "2023-01-01", "someday"])
    assert problems == ["row 10: expiration date someday is not a date"]
    claim, problems = validator.validate(
        11, ["C", "2023-05-05", "closed", "2023-01-01", "2024-01-01"]
    )
    assert problems == [] and claim.term.start == dt.date(2023, 1, 1)


def test_date_closed_adjuster_driver_and_the_printed_status_are_kept(agency):
    from claims import services
    from claims.importers import TermDefaults
    from tests.factories import CarrierFactory, InsuredFactory

    insured, carrier = InsuredFactory(agency=agency), CarrierFactory()
    data = csv_bytes(
        [
            ["Claim #", "DOL", "Status", "Date Closed", "Adjuster", "Driver", "Paid Loss", "O/S",
             "Policy Period"],
            ["A-1", "2025-02-01", "Pending", "", "R. Castillo", "J. Doe", "100", "50",
             "2025-01-01 to 2026-01-01"],
            ["A-2", "2025-03-01", "CWP", "2025-05-01", "D. Whitfield", "", "0", "0",
             "2025-01-01 to 2026-01-01"],
        ]
    )  # fmt: skip
    services.loss_run_import(agency=agency, user=None, insured=insured, carrier=carrier,
                             fileobj=io.BytesIO(data), valuation_date=dt.date(2025, 12, 1),
                             defaults=TermDefaults())  # fmt: skip
    first, second = Claim.objects.order_by("claim_number")
    assert (first.status, first.status_as_printed, first.adjuster, first.driver) == (
        "open",
        "Pending",
        "R. Castillo",
        "J. Doe",
    )
    assert (second.status, second.date_closed) == ("closed", dt.date(2025, 5, 1))


@pytest.mark.parametrize("loss", ["", "   "])
def test_total_lines_without_a_loss_date_are_not_claims(target, loss):
    total = ["Total", "", "", loss, "", "", "2,000.00", "0", "0", "0", "0", "2,000.00", ""]
    outcome = run(target, csv_bytes([HEAD, good("C-1"), good("C-2"), total]))
    assert (outcome.imported, outcome.result.rows_read, outcome.result.errors) == (2, 2, [])


def test_a_claim_numbered_total_with_a_loss_date_is_a_claim(target):
    outcome = run(target, csv_bytes([HEAD, good("C-1"), good("Total")]))
    assert outcome.imported == 2
    assert Claim.objects.filter(claim_number="Total").exists()


@pytest.mark.parametrize(
    ("printed", "status"),
    [("Litigated", "open"), ("In Suit", "open"), ("LIT", "open"), ("Closed - Paid", "closed"),
     ("Closed w/o Payment", "closed"), ("Pending", "open"), ("Re-Opened", "reopened"),
     ("Subro", "subrogated"), ("Lawsuit filed", None)],
)  # fmt: skip
def test_printed_statuses_map_to_the_normalised_status(printed, status):
    assert parse_status(printed) == status
