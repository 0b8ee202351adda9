"""Every synthetic layout is read exactly: each claim with every field, each term, no false flag.

ALL_LAYOUTS holds the first seven layouts and the held-out ones (pdfcorpus.HELDOUT, four rounds),
written afterwards to catch rules tuned to the first seven."""

import pytest

from claims.extract import CLAIM_KEYS, extract_pdf
from tests.claims.pdfcorpus import ALL_LAYOUTS, sample


def by_number(result):
    return {claim.get("claim_number"): claim.as_json() for claim in result.claims}


@pytest.mark.parametrize("name", sorted(ALL_LAYOUTS))
def test_every_claim_and_field_matches_the_truth(name):
    truth, pdf = sample(name)
    result = extract_pdf(pdf)

    got = by_number(result)
    assert len(result.claims) == len(truth.claims)
    for expected in truth.claims:
        claim = got[expected["claim_number"]]
        assert {key: str(claim[key]) for key in CLAIM_KEYS} == {
            key: str(expected[key]) for key in CLAIM_KEYS
        }


@pytest.mark.parametrize("name", sorted(ALL_LAYOUTS))
def test_terms_counts_and_report_facts(name):
    truth, pdf = sample(name)
    result = extract_pdf(pdf)

    terms = {t.key: t for t in result.terms}
    for expected in truth.terms:
        term = terms[(expected["policy_number"], expected["term_start"], expected["term_end"])]
        assert term.claim_count == expected["claim_count"]
        assert term.no_claims == (expected["claim_count"] == 0)
    assert result.carrier == truth.report.carrier
    assert result.insured == truth.report.insured
    assert result.valuation_date == truth.report.valuation_date.isoformat()


@pytest.mark.parametrize("name", sorted(set(ALL_LAYOUTS) - {"columns_first_page"}))
def test_printed_totals_reconcile_and_nothing_is_flagged(name):
    truth, pdf = sample(name)
    result = extract_pdf(pdf)

    assert result.warnings == []
    assert all(t.reconciled in (True, None) for t in result.terms)


def test_incurred_that_fits_no_convention_is_flagged():
    # This layout prints incurred net of recoveries but no recoveries column: a subrogated
    # claim's incurred is then no sum of what is printed, and only those claims are flagged.
    truth, pdf = sample("columns_first_page")
    result = extract_pdf(pdf)

    flagged = {c.get("claim_number") for c in result.claims if c.flags}
    subrogated = {c["claim_number"] for c in truth.claims if c["status"] == "subrogated"}
    assert flagged and flagged <= subrogated
    assert result.incurred_convention == "printed_paid"


@pytest.mark.parametrize(
    "name", ["columns_repeated", "cards", "ledger", "cards_left_labels", "cards_two_columns"]
)
def test_a_claim_split_by_a_page_break_is_one_claim(name):
    truth, pdf = sample(name)
    result = extract_pdf(pdf)

    split = [c for c in result.claims if len({box[0] for box in c.boxes}) > 1]
    assert split
    assert all(c.as_json() in truth.claims for c in split)


def test_running_header_and_footer_never_reach_a_claim():
    _, pdf = sample("columns_repeated")
    result = extract_pdf(pdf)

    texts = " ".join(c.get("description") + c.get("claimant") for c in result.claims)
    assert "Confidential" not in texts and "Page" not in texts and "Loss Run -" not in texts


def test_summary_and_total_lines_are_totals_not_claims():
    _, pdf = sample("two_line_header")
    result = extract_pdf(pdf)

    printed = {t.policy_number: t.printed for t in result.terms}
    assert all(p.get("claim_count") for p in printed.values())
    assert all(p.get("premium") for p in printed.values())
    assert not [c for c in result.claims if not c.get("claim_number")]


def test_dash_cells_are_empty_not_unreadable():
    # reordered_columns prints a zero amount as "-"; policy_rows_auto an open claim's date closed.
    for name, field in (("reordered_columns", "recoveries"), ("policy_rows_auto", "date_closed")):
        _, pdf = sample(name)
        result = extract_pdf(pdf)
        assert any(c.get(field) == "" for c in result.claims)
        assert not [w for w in result.warnings if "'-'" in w]


def test_trailing_minus_and_cr_credits_are_negative():
    for name in ("reordered_columns", "short_dates_portrait"):
        truth, pdf = sample(name)
        got = by_number(extract_pdf(pdf))
        credits = [c for c in truth.claims if c["recoveries"].startswith("-")]
        assert credits
        assert all(got[c["claim_number"]]["recoveries"] == c["recoveries"] for c in credits)


def test_records_on_two_rows_take_both_bands_of_the_header():
    truth, pdf = sample("two_row_records")
    first = extract_pdf(pdf).claims[0].as_json()
    assert first["claim_number"] == truth.claims[0]["claim_number"]
    assert (first["cause_of_loss"], first["total_incurred"]) == (
        truth.claims[0]["cause_of_loss"],
        truth.claims[0]["total_incurred"],
    )


def test_grand_total_in_a_table_of_its_own_reconciles():
    _, pdf = sample("reordered_columns")
    result = extract_pdf(pdf)
    assert result.grand_totals["recoveries"].startswith("-")
    assert not [w for w in result.warnings if w.startswith("Report totals")]
