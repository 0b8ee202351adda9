"""Two small hand-written layouts the corpus does not have: one label/value pair per line,
and a plain table with a totals row and a term printed with no claims."""

from weasyprint import HTML

from claims.extract import extract_pdf

STYLE = "<style>body{font:9pt 'DejaVu Sans'} td,th{padding:2pt 6pt;text-align:left}</style>"


def pdf(body: str) -> bytes:
    return HTML(string=STYLE + body).write_pdf()


def card(number, dol, claimant, status, text, paid, reserve, incurred):
    rows = [("Claim #", number), ("Loss Date", dol), ("Claimant", claimant), ("Status", status),
            ("Loss Description", text), ("Total Paid", paid), ("Reserve", reserve),
            ("Total Incurred", incurred)]  # fmt: skip
    return (
        "<table>" + "".join(f"<tr><td>{a}</td><td>{b}</td></tr>" for a, b in rows) + "</table><br>"
    )


def test_one_label_per_line_cards_with_a_policy_number_holding_a_space():
    result = extract_pdf(
        pdf(
            "<h1>Acme Insurance Company</h1><p>Insured: Foo Bar Inc</p><p>As of 10/15/2026</p>"
            "<h3>Policy Number: BOP 7788123 &nbsp; Effective 01/01/2024 to 01/01/2025</h3>"
            + card(
                "2024-000123",
                "03/04/2024",
                "Jane Q Public",
                "CLOSED",
                "Burst supply line",
                "$12,500.00",
                "$0.00",
                "$12,500.00",
            )
            + card(
                "2024-000456",
                "07/09/2024",
                "John Roe",
                "OPEN",
                "Slip and fall",
                "$1,000.00",
                "$9,000.00",
                "$10,000.00",
            )
            + "<p>Total for policy: 2 claims &nbsp; $13,500.00 paid &nbsp; $22,500.00 incurred</p>"
        )  # fmt: skip
    )
    claims = [c.as_json() for c in result.claims]
    assert [c["claim_number"] for c in claims] == ["2024-000123", "2024-000456"]
    assert claims[0]["policy_number"] == "BOP 7788123"
    assert (claims[0]["status"], claims[0]["status_as_printed"]) == ("closed", "CLOSED")
    assert (claims[1]["paid_total"], claims[1]["reserves"], claims[1]["total_incurred"]) == (
        "1000.00", "9000.00", "10000.00"
    )  # fmt: skip
    assert result.valuation_date == "2026-10-15" and result.insured == "Foo Bar Inc"
    (term,) = result.terms
    assert term.printed == {
        "claim_count": "2",
        "paid_total": "13500.00",
        "total_incurred": "22500.00",
    }
    assert term.reconciled is True
    assert result.warnings == []


def test_totals_row_and_a_term_without_claims():
    head = "".join(f"<th>{h}</th>" for h in ("Claim No", "Claimant", "DOL", "Status", "Paid Indemnity",
                                              "Paid Medical", "Paid Expense", "Outstanding", "Incurred"))  # fmt: skip
    rows = [("WC24-1", "A. Smith", "2024-08-01", "Closed", "1,000.00", "500.00", "0.00", "0.00", "1,500.00"),
            ("WC24-2", "B. Jones", "2024-09-15", "Open", "0.00", "250.00", "100.00", "5,000.00", "5,350.00"),
            ("<b>Totals</b>", "", "", "", "1,000.00", "750.00", "100.00", "5,000.00", "7,000.00")]  # fmt: skip
    body = "".join("<tr>" + "".join(f"<td>{c}</td>" for c in r) + "</tr>" for r in rows)
    result = extract_pdf(
        pdf(
            "<h1>Great Plains Casualty</h1><p>Valuation Date: 09/30/2026</p>"
            f"<p>Policy: WC-5555 &nbsp; Term: 07/01/2024 - 07/01/2025</p><table><tr>{head}</tr>{body}</table>"
            "<p>Policy: WC-5556 &nbsp; Term: 07/01/2025 - 07/01/2026</p><p>*** NO CLAIMS REPORTED ***</p>"
        )
    )
    assert [c.get("claim_number") for c in result.claims] == ["WC24-1", "WC24-2"]
    first, empty = result.terms
    assert first.printed["paid_medical"] == "750.00"
    # The printed incurred total (7,000.00) is not the claims' sum (6,850.00): flagged.
    assert first.mismatches == ["total incurred printed 7,000.00, extracted claims sum to 6,850.00"]
    assert empty.no_claims and empty.key == ("WC-5556", "2025-07-01", "2026-07-01")


def test_claim_number_not_first_wrapped_dates_credits_and_an_inline_legend():
    head = "".join(f"<th>{h}</th>" for h in ("Loss Date", "Claim Number", "Claimant Name", "Cause", "St",
                                              "Indemnity Paid", "Expense Paid", "Recovery", "Case Reserve",
                                              "Total Incurred"))  # fmt: skip
    rows = [("05-Mar-2023", "GL-23-0001", "Smith, John", "WD", "C", "4,000.00", "250.00", "500.00CR", "0.00", "3,750.00"),
            ("17-Jun-2023", "GL-23-0002", "Doe, Jane", "SF", "O", "0.00", "0.00", "0.00", "15,000.00", "15,000.00")]  # fmt: skip
    body = "".join("<tr>" + "".join(f"<td>{c}</td>" for c in r) + "</tr>" for r in rows)
    result = extract_pdf(
        pdf(
            "<h1>Summit Specialty Insurance Group</h1>"
            "<p>Named Insured: Example Co &nbsp; Evaluated as of: 31-Oct-2026</p>"
            "<p>Policy #: GL 2023-445 &nbsp; Policy Period: 01/01/2023 - 01/01/2024</p>"
            f"<table><tr>{head}</tr>{body}<tr><td colspan=5>Policy Total (2 claims)</td><td>4,000.00</td>"
            "<td>250.00</td><td>500.00CR</td><td>15,000.00</td><td>18,750.00</td></tr></table>"
            "<p>Legend - Status: O = Open; C = Closed; R = Reopened &nbsp; Cause: WD = Water Damage; SF = Slip/Fall</p>"
        )
    )
    first, second = (c.as_json() for c in result.claims)
    assert first["date_of_loss"] == "2023-03-05"  # printed "05-" / "Mar-2023" in a narrow cell
    assert (first["status"], first["status_as_printed"], first["cause_of_loss"]) == (
        "closed",
        "C",
        "Water Damage",
    )
    assert first["recoveries"] == "-500.00" and first["description"] == ""
    assert second["cause_of_loss"] == "Slip/Fall" and second["reserves"] == "15000.00"
    assert result.valuation_date == "2026-10-31"
    assert result.terms[0].reconciled is True and result.warnings == []


def test_summary_box_before_any_policy_and_a_label_alone_above_its_text():
    def claim(number, dol, status, text, paid, reserve, incurred):
        return (f"<p>Claim Number: {number} &nbsp; Date of Loss: {dol} &nbsp; Status: {status}</p>"
                f"<p>Description:</p><p>{text}</p>"
                f"<p>Paid: {paid} &nbsp; Reserve: {reserve} &nbsp; Incurred: {incurred}</p>")  # fmt: skip

    result = extract_pdf(
        pdf(
            "<h1>Pioneer Mutual Insurance Co.</h1><p>Account: Delta Diner LLC</p><p>Run Date: 2026-11-02</p>"
            "<p>Total Claims: 2 &nbsp; Total Incurred: $7,500.00</p>"
            "<h2>Policy CPP-100200 (2025-01-01 to 2026-01-01)</h2>"
            + claim(
                "P-1",
                "2025-02-03",
                "Closed",
                "Grease fire in the kitchen hood",
                "$2,500.00",
                "$0.00",
                "$2,500.00",
            )
            + claim(
                "P-2",
                "2025-06-10",
                "Open",
                "Customer tripped on a loose mat",
                "$1,000.00",
                "$4,000.00",
                "$5,000.00",
            )
        )  # fmt: skip
    )
    first, second = (c.as_json() for c in result.claims)
    assert first["description"] == "Grease fire in the kitchen hood"
    assert (second["paid_total"], second["reserves"], second["total_incurred"]) == (
        "1000.00",
        "4000.00",
        "5000.00",
    )
    assert result.grand_totals == {"claim_count": "2", "total_incurred": "7500.00"}
    assert [t.key for t in result.terms] == [("CPP-100200", "2025-01-01", "2026-01-01")]
    assert (result.insured, result.valuation_date) == ("Delta Diner LLC", "2026-11-02")
    assert result.warnings == []
