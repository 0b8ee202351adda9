"""Printed amounts, dates, codes and labels as the engine reads them."""

import pytest

from claims.extract.pairs import is_no_claims, section_of
from claims.extract.values import amount_text, claim_like, date_iso, period_in, status_of
from claims.labels import field_for


@pytest.mark.parametrize(
    ("printed", "value"),
    [
        ("$1,234.50", "1234.50"),
        ("(1,234.50)", "-1234.50"),
        ("($2,071.74)", "-2071.74"),
        ("1,234.50-", "-1234.50"),
        ("-75.00", "-75.00"),
        ("1500", "1500"),
        ("$0.00", "0.00"),
        ("Closed", None),
        ("(12", None),
        ("USD 3,545.55", "3545.55"),
        ("USD (2,410.75)", "-2410.75"),
        ("1,234.00 USD", "1234.00"),
        ("USD", None),
    ],
)
def test_amounts_keep_their_printed_digits(printed, value):
    assert amount_text(printed) == value


@pytest.mark.parametrize(
    ("printed", "iso"),
    [("03/04/2023", "2023-03-04"), ("2023-03-04", "2023-03-04"), ("3/4/23", "2023-03-04"),
     ("GL-2023-0001", None), ("Open", None)],
)  # fmt: skip
def test_dates(printed, iso):
    assert date_iso(printed) == iso


def test_periods_and_sections():
    assert period_in("Policy Period: 04/01/2022 to 04/01/2023") == ("2022-04-01", "2023-04-01")
    assert period_in("Effective: 07/01/2022  Expiration: 07/01/2023") == (
        "2022-07-01",
        "2023-07-01",
    )
    assert period_in("DOL 07/01/2022 reported 06/01/2022") is None
    assert section_of("Policy No. GL-349523  Policy Period: 04/01/2022 to 04/01/2023") == (
        "GL-349523",
        ("2022-04-01", "2023-04-01"),
    )
    assert section_of("Policy Period 02/01/2023 - 02/01/2024  Policy # WC-371590")[0] == "WC-371590"
    assert section_of("Customer slipped on a wet floor") is None


def test_status_codes_follow_the_legend_and_usual_words():
    legend = {"C": "Closed", "S": "Subrogated"}
    assert status_of("C", legend) == "closed"
    assert status_of("S", legend) == "subrogated"
    assert status_of("Pending", {}) == "open"
    assert status_of("Re-Opened", {}) == "reopened"
    assert status_of("Litigated", {}) == "open"  # in suit: still open
    assert status_of("Under review", {}) == ""


def test_a_status_worded_at_length_is_read_word_by_word_the_narrower_status_winning():
    assert status_of("Closed w/o Payment", {}) == "closed"
    assert status_of("Closed - Paid", {}) == "closed"
    assert status_of("Open - Litigated", {}) == "open"
    assert status_of("Open - Subro", {}) == "subrogated"
    assert status_of("In Subrogation", {}) == "subrogated"
    assert status_of("LIT", {"LIT": "Litigated (open)"}) == "open"
    # One- and two-letter words are codes only alone: "w/o" is not "o" (open).
    assert status_of("Paid w/o", {}) == ""


def test_dates_in_running_text_without_a_comma_or_with_a_two_digit_year():
    assert period_in("Policy Period: Jun 1 2024 to Jun 1 2025") == ("2024-06-01", "2025-06-01")
    assert period_in("06-01-24 to 06-01-25") == ("2024-06-01", "2025-06-01")
    assert period_in("Claim Rep: R. Castillo  Phone: 800-555-0134") is None


@pytest.mark.parametrize(
    ("label", "field"),
    [("Clm #", "claim_number"), ("DOL", "date_of_loss"), ("Rptd", "date_reported"),
     ("O/S", "reserves"), ("Pol Eff", "term_start"), ("Pol Exp", "term_end"),
     ("Exp Paid", "paid_expense"), ("Paid ALAE", "paid_expense"), ("Gross Incurred", "total_incurred"),
     ("Loss Reserve", "reserves"), ("Date Closed", "date_closed"), ("Examiner", "adjuster"),
     ("Driver Name", "driver"), ("Injury Date", "date_of_loss"), ("Notes", None), ("Page", None),
     ("Sts", "status"), ("Claim Sts", "status"), ("Rept", "date_reported"), ("Rpt Dt", "date_reported"),
     ("Examiner Name", "adjuster"), ("Insured Driver", "driver"),
     # A date column named after a claim field is no column of that field.
     ("Status Date", None), ("Paid Date", None), ("Claim Date", None), ("Status", "status")],
)  # fmt: skip
def test_labels_by_tokens_and_abbreviations(label, field):
    assert field_for(label) == field


def test_claim_numbers_are_not_dates_or_amounts():
    assert claim_like("GL22-43994-01")
    assert claim_like("WC 1234567")
    assert not claim_like("06/06/2022")
    assert not claim_like("$1,000.00")
    assert not claim_like("Smith")


def test_no_claims_lines():
    assert is_no_claims("No claims reported for this policy period.")
    assert is_no_claims("NO LOSSES")
    assert is_no_claims("Claims: None")
    assert not is_no_claims("No claims adjuster assigned yet")
    assert not is_no_claims("Customer slipped on the stairs")


def test_a_column_label_misread_by_ocr_by_one_letter_is_still_known():
    from claims.extract.ocr import misread_label

    assert misread_label("Cimt") == "claimant"  # "Clmt" with l read as i
    assert misread_label("Clim No.") == "claim_number"
    # One letter from two labels of different meaning ("incurred", "injured"): not guessed.
    assert misread_label("Incured") is None
    assert misread_label("Xyzzy") is None
