"""Layouts that test the engine's generality: grouped headers over split money columns,
a legend with dashes printed before the table, month-name dates, cells centred vertically."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

from tests.claims.pdfcorpus.html import amount, document, e
from tests.claims.pdfcorpus.layouts_tables import _title
from tests.claims.pdfcorpus.truth import expected, make_report
from tests.claims.pdfcorpus.types import Sample, term_truth


def _long(day: str) -> str:
    return f"{dt.date.fromisoformat(day):%b %d, %Y}" if day else ""


def grouped() -> Sample:
    """Property/GL package: 'Paid' over Indemnity / Medical / Expense and 'Reserves' over
    Indemnity / Expense (added up), status codes with dashes above the table, one policy
    block at the top, dates like 'Mar 04, 2023', claim count and premium lines."""
    report = make_report(seed=31, carrier="Tidewater Mutual Assurance", prefix="PKG",
                         years=2, per_term=[9, 11])  # fmt: skip
    printed = {"policy_number", "term_start", "term_end", "claim_number", "claimant",
               "date_of_loss", "date_reported", "status", "status_as_printed",
               "paid_indemnity", "paid_medical", "paid_expense", "reserves",
               "total_incurred", "description"}  # fmt: skip
    codes = {"open": "O", "closed": "C", "reopened": "RO", "denied": "D", "subrogated": "S"}
    body = [_title(report, "Claim Detail Report"),
            "<p>Status Legend: O - Open, C - Closed, RO - Reopened, D - Denied, S - Subrogated</p>"]  # fmt: skip
    claims = []
    for term in report.terms:
        body.append(f"<p>Policy Number: {e(term.policy_number)}</p><p>Policy Term: "
                    f"{_long(term.start.isoformat())} - {_long(term.end.isoformat())}</p>")  # fmt: skip
        rows = [
            "<tr><th rowspan=2>Claim Number</th><th rowspan=2>Claimant</th><th rowspan=2>Loss Date</th>"
            "<th rowspan=2>Reported</th><th rowspan=2>Status</th><th colspan=3 class=c>Paid</th>"
            "<th colspan=2 class=c>Reserves</th><th rowspan=2 class=n>Total Incurred</th></tr>"
            "<tr><th class=n>Indemnity</th><th class=n>Medical</th><th class=n>Expense</th>"
            "<th class=n>Indemnity</th><th class=n>Expense</th></tr>"
        ]
        for c in term.claims:
            v, t = c.values, c.totals
            reserve_ind = (t["reserves"] * Decimal("0.8")).quantize(Decimal("0.01"))
            reserve_exp = t["reserves"] - reserve_ind
            incurred = t["paid_total"] + t["reserves"]
            rows.append(
                f"<tr><td>{e(v['claim_number'])}</td><td>{e(v['claimant'])}</td>"
                f"<td>{_long(v['date_of_loss'])}</td><td>{_long(v['date_reported'])}</td>"
                f"<td>{codes[v['status']]}</td><td class=n>{amount(v['paid_indemnity'])}</td>"
                f"<td class=n>{amount(v['paid_medical'])}</td><td class=n>{amount(v['paid_expense'])}</td>"
                f"<td class=n>{amount(reserve_ind)}</td><td class=n>{amount(reserve_exp)}</td>"
                f"<td class=n>{amount(incurred)}</td></tr>"
                f"<tr><td colspan=11 class=d>{e(v['description'])}</td></tr>"
            )
            claims.append(expected(c, printed, status_as_printed=codes[v["status"]],
                                   total_incurred=f"{incurred:.2f}"))  # fmt: skip
        body.append(f"<table>{''.join(rows)}</table>")
        body.append(f"<p>Number of Claims: {len(term.claims)}</p>"
                    f"<p>Subject Premium: {amount(term.premium, dollar=True)}</p>")  # fmt: skip
    css = ("td { vertical-align: middle; } th.c { text-align: center; }"
           " td.d { padding-left: 24pt; font-style: italic; } table { margin-bottom: 6pt; }")  # fmt: skip
    html = document("".join(body), css=css)
    return Sample("grouped", html, claims, term_truth(report), report)
