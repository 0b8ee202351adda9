"""The rules the fourth held-out round (heldout_fourth*.py) needed, each pinned where the
corpus shows it: split money columns, a policy schedule, money grids in cards, wrapped
statuses, gross beside net incurred, summary lines that are no claims."""

from weasyprint import HTML

from claims.extract import extract_pdf
from tests.claims.pdfcorpus import sample


def by_number(name):
    truth, pdf = sample(name)
    result = extract_pdf(pdf)
    return truth, result, {c.get("claim_number"): c.as_json() for c in result.claims}


def test_two_reserve_columns_add_up_and_two_dashes_are_nothing():
    truth, _, got = by_number("split_columns_gl")
    dashed = [c for c in truth.claims if c["reserves"] == ""]
    held = [c for c in truth.claims if c["reserves"]]
    assert dashed and held
    assert all(got[c["claim_number"]]["reserves"] == "" for c in dashed)
    assert all(got[c["claim_number"]]["reserves"] == c["reserves"] for c in held)


def test_rows_printing_only_their_policy_take_the_term_the_schedule_printed():
    truth, result, got = by_number("auto_bi_pd")
    assert {(t.key, t.claim_count) for t in result.terms} == {
        ((t["policy_number"], t["term_start"], t["term_end"]), t["claim_count"])
        for t in truth.terms
    }
    assert all(got[c["claim_number"]]["term_start"] == c["term_start"] for c in truth.claims)


def test_valued_as_of_wins_over_the_run_date_beside_it():
    # auto_bi_pd prints "Run Date: 11/2/2026   Valued as of 10/30/2026" on one line.
    _, result, _ = by_number("auto_bi_pd")
    assert result.valuation_date == "2026-10-30"


def test_a_money_grid_in_a_card_and_description_lines_naming_a_category():
    truth, result, got = by_number("grid_cards_wc")
    for expected in truth.claims:
        claim = got[expected["claim_number"]]
        for key in ("paid_medical", "paid_indemnity", "paid_expense", "recoveries", "reserves",
                    "total_incurred", "description", "status"):  # fmt: skip
            assert claim[key] == expected[key], (expected["claim_number"], key)
    # "Claim Count: 6  Policy Total Incurred: USD .." is the term's, never a claim.
    assert len(result.claims) == len(truth.claims)
    assert all(t.printed.get("claim_count") for t in result.terms)


def test_net_incurred_is_read_and_gross_beside_it_is_not_added():
    truth, result, got = by_number("gross_net_property")
    assert all(
        got[c["claim_number"]]["total_incurred"] == c["total_incurred"] for c in truth.claims
    )
    assert result.grand_totals["claim_count"] == str(len(truth.claims))


def test_a_status_wrapped_in_its_cell_is_one_status():
    truth, _, got = by_number("gross_net_property")
    wrapped = [c for c in truth.claims if c["status_as_printed"] == "Closed - Paid"]
    assert wrapped
    assert all(got[c["claim_number"]]["status_as_printed"] == "Closed - Paid" for c in wrapped)
    assert all(got[c["claim_number"]]["description"] == "" for c in wrapped)


def test_a_status_label_and_its_value_beside_a_date_closed_label():
    body = (
        "<style>body{font:9pt 'DejaVu Sans'}</style><h1>Acme Insurance Company</h1>"
        "<p>Policy WC 1234567 &nbsp; Effective 01/01/2024 to 01/01/2025</p>"
        "<p>Claim Number: WC24-0001 &nbsp; Employee: Jane Roe &nbsp; Date of Injury: 03/04/2024</p>"
        "<p>Status: Subro &nbsp; Closed: &nbsp; Total Incurred: $1,000.00</p>"
    )
    claim = extract_pdf(HTML(string=body).write_pdf()).claims[0].as_json()
    assert (claim["status"], claim["status_as_printed"], claim["date_closed"]) == (
        "subrogated",
        "Subro",
        "",
    )
