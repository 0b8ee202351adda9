import datetime as dt
import io

import pytest

from claims.headers import mapping_problems, normalize_header, recognize_columns, recognize_header
from claims.importers.readers import SheetFile
from tests.claims.layouts import LAYOUTS


@pytest.mark.parametrize(
    ("header", "field"),
    [
        ("Clm #", "claim_number"), ("Claim No", "claim_number"), ("Claim Number", "claim_number"),
        ("CLM. NO.", "claim_number"), ("DOL", "date_of_loss"), ("Loss Date", "date_of_loss"),
        ("Date of Loss", "date_of_loss"), ("date_of_loss", "date_of_loss"), ("Rptd", "date_reported"),
        ("Date Reported", "date_reported"), ("Incurred", "total_incurred"),
        ("Total Incurred", "total_incurred"), ("Outstanding", "reserves"), ("Reserves", "reserves"),
        ("O/S", "reserves"), ("Paid Loss", "paid_indemnity"), ("Indemnity Paid", "paid_indemnity"),
        ("Medical Paid", "paid_medical"), ("Med Pd", "paid_medical"), ("Expense Paid", "paid_expense"),
        ("ALAE", "paid_expense"), ("Recoveries", "recoveries"), ("Subro", "recoveries"),
        ("Status", "status"), ("Cause", "cause_of_loss"), ("Claimant", "claimant"),
        ("Description", "description"), ("Policy #", "policy_number"),
        ("Policy Period", "policy_period"), ("Eff Date", "term_start"), ("Exp Date", "term_end"),
        ("Exp Paid", "paid_expense"), ("Premium", "premium"), ("Earned Premium", "premium"),
    ],
)  # fmt: skip
def test_common_carrier_headers_are_recognised(header, field):
    assert recognize_header(header) == field


def test_unknown_header_is_not_guessed():
    assert recognize_header("Adjuster Phone") == ""
    assert normalize_header("  Clm   # ") == "claim number"


@pytest.mark.parametrize("name", sorted(LAYOUTS))
def test_each_layout_header_row_is_found_and_mapped(name):
    build, headers, fields = LAYOUTS[name]
    found = SheetFile(io.BytesIO(build())).scan().headers
    assert found[: len(headers)] == headers
    assert recognize_columns(found) == fields
    assert mapping_problems(fields) == []


def test_remembered_mapping_wins_over_the_table():
    headers = ["Ref", "DOL", "Stat", "Net"]
    assert recognize_columns(headers) == ["", "date_of_loss", "status", ""]
    remembered = {"ref": "claim_number", "net": "total_incurred"}
    assert recognize_columns(headers, remembered) == [
        "claim_number",
        "date_of_loss",
        "status",
        "total_incurred",
    ]


def test_a_field_goes_to_its_first_column_only_unless_additive():
    assert recognize_columns(["Claim #", "Claim No", "O/S", "Reserves"]) == [
        "claim_number",
        "",
        "reserves",
        "reserves",
    ]


def test_mapping_problems_name_duplicates_and_missing_required_fields():
    problems = mapping_problems(["claim_number", "claim_number", "reserves", "reserves"])
    assert "Two columns are mapped to claim number; choose one." in problems
    assert "No column is mapped to date of loss." in problems
    assert "No column is mapped to status." in problems
    assert not any("reserves" in p for p in problems)


@pytest.mark.parametrize(
    ("header", "field"),
    [("Pol Eff", "term_start"), ("Pol Exp", "term_end"), ("Policy Eff Date", "term_start"),
     ("Policy Exp Date", "term_end"), ("Gross Incurred", "total_incurred"), ("Loss Reserve", "reserves"),
     ("BI Paid", "paid_indemnity"), ("LOB", "line"), ("Paid Expense (ALAE)", "paid_expense"),
     ("Indemnity Reserve", "reserves"), ("Date Closed", "date_closed"), ("Adjuster", "adjuster"),
     ("Examiner", "adjuster"), ("Operator", "driver")],
)  # fmt: skip
def test_headers_outside_the_alias_table_are_recognised_by_tokens(header, field):
    assert recognize_columns([header]) == [field]


def test_the_new_users_headers_are_recognised_by_tokens():
    headers = ["Pol Eff", "Pol Exp", "Valued As Of", "Policy Eff Date", "Policy Exp Date",
               "Gross Incurred", "Loss Reserve", "BI Paid", "LOB", "Date Closed", "Adjuster",
               "Paid Expense (ALAE)", "Legal Fees Paid"]  # fmt: skip
    # A second effective / expiration column is left for the user to choose.
    assert recognize_columns(headers) == [
        "term_start", "term_end", "valuation_date", "", "", "total_incurred", "reserves",
        "paid_indemnity", "line", "date_closed", "adjuster", "paid_expense", "",
    ]  # fmt: skip


def test_unmapped_money_columns_by_name_or_by_values():
    from claims.headers import unmapped_money_columns

    headers = ["Claim", "Deductible", "Misc", "Code", "Notes"]
    fields = ["claim_number", "", "", "", ""]
    samples = [["C-1", "", "$1,200.50", "12", "ok"], ["C-2", "", "(35.10)", "7", ""]]
    assert unmapped_money_columns(headers, fields, samples) == ["Deductible", "Misc"]


def test_a_valuation_date_in_the_title_lines_is_found():
    from tests.claims.files import xlsx_bytes

    for title in (
        ["Valuation Date:", dt.datetime(2026, 9, 30)],
        ["Loss run valued as of 09/30/2026"],
    ):
        data = xlsx_bytes([["Carrier"], title, ["Claim #", "DOL", "Status", "Paid"], ["C-1"]])
        scan = SheetFile(io.BytesIO(data)).scan()
        assert (scan.header_row, scan.printed_valuation) == (3, dt.date(2026, 9, 30))
        assert scan.samples == [["C-1"]]
