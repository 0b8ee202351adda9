"""Column-table layouts: header repeated per page, header on the first page only, two-line headers."""

from __future__ import annotations

from decimal import Decimal

from tests.claims.pdfcorpus.html import amount, document, e, us
from tests.claims.pdfcorpus.truth import CAUSES, Report, Term, expected, make_report
from tests.claims.pdfcorpus.types import Sample, term_truth

ZERO = Decimal("0.00")


def _sum(term: Term, key: str) -> Decimal:
    return sum((c.totals[key] for c in term.claims), ZERO)


def columns_repeated() -> Sample:
    """GL: a section per term, thead repeated on every page, description on a second line,
    recoveries in parentheses, $ amounts, running header and footer, term total lines."""
    report = make_report(seed=3, carrier="Northwind Mutual Insurance Company", prefix="GL",
                         years=4, per_term=[14, 0, 16, 12])  # fmt: skip
    printed = {"policy_number", "term_start", "term_end", "claim_number", "claimant",
               "date_of_loss", "date_reported", "status", "status_as_printed", "cause_of_loss",
               "description", "paid_indemnity", "paid_expense", "recoveries", "reserves",
               "total_incurred"}  # fmt: skip
    head = ("<tr><th>Claim #</th><th>Claimant</th><th>Date of Loss</th><th>Date Reported</th>"
            "<th>Status</th><th>Cause of Loss</th><th class=n>Paid Indemnity</th>"
            "<th class=n>Paid Expense</th><th class=n>Recoveries</th><th class=n>Reserves</th>"
            "<th class=n>Total Incurred</th></tr>")  # fmt: skip
    body = [_title(report, "Loss Run Report")]
    claims = []
    for term in report.terms:
        body.append(f"<h2>Policy No. {e(term.policy_number)} &nbsp; Policy Period: "
                    f"{us(term.start)} to {us(term.end)}</h2>")  # fmt: skip
        if not term.claims:
            body.append("<p>No claims reported for this policy period.</p>")
            continue
        rows = []
        for c in term.claims:
            v = c.values
            # No paid medical column here: indemnity holds it, as many GL runs print it.
            ind = c.totals["paid_indemnity"] + c.totals["paid_medical"]
            rows.append(
                f"<tr style='break-after: avoid'><td>{e(v['claim_number'])}</td><td>{e(v['claimant'])}</td>"
                f"<td>{us(v['date_of_loss'])}</td><td>{us(v['date_reported'])}</td>"
                f"<td>{e(v['status_as_printed'])}</td><td>{e(v['cause_of_loss'])}</td>"
                f"<td class=n>{amount(ind, dollar=True)}</td>"
                f"<td class=n>{amount(v['paid_expense'], dollar=True)}</td>"
                f"<td class=n>{amount(-c.totals['recoveries'], dollar=True, parens=True)}</td>"
                f"<td class=n>{amount(v['reserves'], dollar=True)}</td>"
                f"<td class=n>{amount(v['total_incurred'], dollar=True)}</td></tr>"
                f"<tr><td></td><td colspan=10>Description: {e(v['description'])}</td></tr>"
            )
            rec = c.totals["recoveries"]
            claims.append(expected(c, printed, paid_indemnity=f"{ind:.2f}",
                                   recoveries=f"{-rec:.2f}" if rec else "0.00"))  # fmt: skip
        paid = _sum(term, "paid_indemnity") + _sum(term, "paid_medical")
        rows.append(
            f"<tr><td colspan=6><b>Term Totals ({len(term.claims)} claims)</b></td>"
            f"<td class=n>{amount(paid, dollar=True)}</td>"
            f"<td class=n>{amount(_sum(term, 'paid_expense'), dollar=True)}</td>"
            f"<td class=n>{amount(-_sum(term, 'recoveries'), dollar=True, parens=True)}</td>"
            f"<td class=n>{amount(_sum(term, 'reserves'), dollar=True)}</td>"
            f"<td class=n>{amount(_sum(term, 'total_incurred'), dollar=True)}</td></tr>"
        )
        body.append(f"<table><thead>{head}</thead><tbody>{''.join(rows)}</tbody></table>")
    html = document("".join(body), top=f"{report.carrier} - Loss Run - {report.insured}",
                    bottom="Confidential - prepared for the named insured")  # fmt: skip
    return Sample("columns_repeated", html, claims, term_truth(report), report)


def columns_first_page() -> Sample:
    """Property: one table, header on the first page only, policy and term per row, status
    and cause codes explained in a legend at the end, date closed, a grand total line."""
    report = make_report(seed=8, carrier="Bluestem Property & Casualty", prefix="CP",
                         years=3, per_term=[20, 18, 17])  # fmt: skip
    printed = {"policy_number", "term_start", "term_end", "claim_number", "date_of_loss",
               "date_reported", "date_closed", "status", "status_as_printed", "cause_of_loss",
               "paid_total", "reserves", "total_incurred"}  # fmt: skip
    rows = ["<tr><th>Policy No</th><th>Eff Date</th><th>Exp Date</th><th>Claim No</th><th>DOL</th>"
            "<th>Rptd</th><th>Closed</th><th>St</th><th>Cause</th><th class=n>Paid</th>"
            "<th class=n>O/S</th><th class=n>Incurred</th></tr>"]  # fmt: skip
    claims = []
    total = {"paid_total": ZERO, "reserves": ZERO, "total_incurred": ZERO}
    for term in report.terms:
        for c in term.claims:
            v = c.values
            code = v["status"][0].upper()
            rows.append(
                f"<tr><td>{e(term.policy_number)}</td><td>{us(term.start)}</td><td>{us(term.end)}</td>"
                f"<td>{e(v['claim_number'])}</td><td>{us(v['date_of_loss'])}</td>"
                f"<td>{us(v['date_reported'])}</td><td>{us(v['date_closed'])}</td><td>{code}</td>"
                f"<td>{v['_cause_code']}</td><td class=n>{amount(v['paid_total'])}</td>"
                f"<td class=n>{amount(v['reserves'])}</td>"
                f"<td class=n>{amount(v['total_incurred'])}</td></tr>"
            )
            claims.append(expected(c, printed, status_as_printed=code))
            for key in total:
                total[key] += c.totals[key]
    rows.append(
        f"<tr><td colspan=9><b>Grand Total - all policies</b></td>"
        f"<td class=n>{amount(total['paid_total'])}</td><td class=n>{amount(total['reserves'])}</td>"
        f"<td class=n>{amount(total['total_incurred'])}</td></tr>"
    )
    legend = ("<p>Status codes: O = Open, C = Closed, R = Reopened, D = Denied, S = Subrogated</p>"
              "<p>Cause codes: " + ", ".join(f"{k} = {e(v)}" for k, v in CAUSES.items()) + "</p>")  # fmt: skip
    body = _title(report, "Loss History") + f"<table>{''.join(rows)}</table>" + legend
    css = "th { border: none; } table { border-top: 0.6pt solid #444; }"
    html = document(body, css=css, bottom=f"{report.carrier} loss history")
    return Sample("columns_first_page", html, claims, term_truth(report), report)


def two_line_header() -> Sample:
    """Umbrella/GL: two-line column headers, description as a wrapped cell, paid medical,
    section headers with effective and expiration dates apart, a summary table per term."""
    report = make_report(seed=11, carrier="Keystone Specialty Insurance Co.", prefix="UMB",
                         years=3, per_term=[6, 9, 0])  # fmt: skip
    printed = {"policy_number", "term_start", "term_end", "claim_number", "claimant",
               "date_of_loss", "date_reported", "status", "status_as_printed", "description",
               "paid_indemnity", "paid_medical", "paid_expense", "reserves", "total_incurred",
               "adjuster"}  # fmt: skip
    head = ("<tr><th>Claim<br>Number</th><th>Claimant<br>Name</th><th>Date of<br>Loss</th>"
            "<th>Date<br>Reported</th><th>Claim<br>Status</th><th>Loss<br>Description</th>"
            "<th>Adjuster</th><th class=n>Paid<br>Loss</th><th class=n>Paid<br>Medical</th>"
            "<th class=n>Paid<br>Expense</th><th class=n>Outstanding<br>Reserve</th>"
            "<th class=n>Total<br>Incurred</th></tr>")  # fmt: skip
    body = [_title(report, "Claims Experience Report", valued="Evaluation Date")]
    claims = []
    summary = ["<tr><th>Policy</th><th>Effective</th><th>Expiration</th><th class=n>Claims</th>"
               "<th class=n>Total Paid</th><th class=n>Total Incurred</th>"
               "<th class=n>Earned Premium</th></tr>"]  # fmt: skip
    for term in report.terms:
        body.append(f"<h2>Policy: {e(term.policy_number)} &nbsp; Effective: {us(term.start)}"
                    f" &nbsp; Expiration: {us(term.end)}</h2>")  # fmt: skip
        if not term.claims:
            body.append("<p>NO CLAIMS</p>")
        else:
            rows = []
            for c in term.claims:
                v = c.values
                net = c.totals["total_incurred"] + c.totals["recoveries"]
                rows.append(
                    f"<tr><td>{e(v['claim_number'])}</td><td>{e(v['claimant'])}</td>"
                    f"<td>{us(v['date_of_loss'])}</td><td>{us(v['date_reported'])}</td>"
                    f"<td>{e(v['status_as_printed'])}</td><td style='width:22%'>{e(v['description'])}</td>"
                    f"<td>{e(v['adjuster'])}</td><td class=n>{amount(v['paid_indemnity'])}</td>"
                    f"<td class=n>{amount(v['paid_medical'])}</td><td class=n>{amount(v['paid_expense'])}</td>"
                    f"<td class=n>{amount(v['reserves'])}</td><td class=n>{amount(net)}</td></tr>"
                )
                claims.append(expected(c, printed, total_incurred=f"{net:.2f}"))
            body.append(f"<table><thead>{head}</thead><tbody>{''.join(rows)}</tbody></table>")
        paid = _sum(term, "paid_total")
        gross = _sum(term, "total_incurred") + _sum(term, "recoveries")
        summary.append(
            f"<tr><td>{e(term.policy_number)}</td><td>{us(term.start)}</td><td>{us(term.end)}</td>"
            f"<td class=n>{len(term.claims)}</td><td class=n>{amount(paid)}</td>"
            f"<td class=n>{amount(gross)}</td><td class=n>{amount(term.premium)}</td></tr>"
        )
    body.append(f"<h2>Summary by Policy Term</h2><table>{''.join(summary)}</table>")
    html = document("".join(body), top=f"{report.carrier}", bottom="Claims experience report")
    return Sample("two_line_header", html, claims, term_truth(report), report)


def _title(report: Report, name: str, *, valued: str = "Valued as of") -> str:
    return (
        f"<h1>{e(report.carrier)}</h1><table class=meta><tr><td>{name}</td></tr>"
        f"<tr><td>Named Insured: {e(report.insured)}</td><td>{valued}: {us(report.valuation_date)}</td></tr>"
        "</table>"
    )
