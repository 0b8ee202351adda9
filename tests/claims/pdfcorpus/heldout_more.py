"""A second held-out round, written after the first six read exactly and measured before any
rule was changed for them: a spreadsheet printed to PDF ('$' apart from its amount, headers
right-aligned), an all-capitals mainframe report, and claims of two lines with inline labels."""

from __future__ import annotations

from decimal import Decimal

from tests.claims.pdfcorpus.heldout_tables import CODES, LEGEND, last_first, spaced_policies, total
from tests.claims.pdfcorpus.html import as_printed, day, document, e, signed
from tests.claims.pdfcorpus.truth import expected, make_report
from tests.claims.pdfcorpus.types import Sample, term_truth

ZERO = Decimal("0.00")


def spreadsheet_print() -> Sample:
    """Excel printed to PDF: grid lines, the '$' left in its cell and the amount right,
    right-aligned money headers, 'Accident Date', 'Claim Status' words (Re-Opened), the
    policy and term as two columns of every row, a total row per policy, no claimant."""
    report = make_report(seed=71, carrier="Prairie State Insurance Company", prefix="BOP",
                         years=2, per_term=[10, 12])  # fmt: skip
    printed = {"policy_number", "term_start", "term_end", "claim_number", "date_of_loss",
               "date_reported", "status", "status_as_printed", "cause_of_loss", "paid_total",
               "reserves", "total_incurred"}  # fmt: skip
    words = {"open": "Open", "closed": "Closed", "reopened": "Re-Opened", "denied": "Denied",
             "subrogated": "Subrogated"}  # fmt: skip
    keys = ("paid_total", "reserves", "total_incurred")

    def money(value: Decimal) -> str:
        return f"<td class=d>$</td><td class=n>{signed(value, negative='parens', zero='-')}</td>"

    head = ("<tr><th>Policy Number</th><th>Policy Term</th><th>Claim Number</th><th>Accident Date</th>"
            "<th>Date Reported</th><th>Claim Status</th><th>Cause of Loss</th>"
            "<th colspan=2 class=n>Total Paid</th><th colspan=2 class=n>Total Reserve</th>"
            "<th colspan=2 class=n>Total Incurred</th></tr>")  # fmt: skip
    rows = [head]
    claims = []
    for term in report.terms:
        period = f"{day(term.start.isoformat(), 'us')} - {day(term.end.isoformat(), 'us')}"
        for c in term.claims:
            v, t = c.values, c.totals
            incurred = t["paid_total"] + t["reserves"]
            rows.append(
                f"<tr><td>{e(term.policy_number)}</td><td>{period}</td><td>{e(v['claim_number'])}</td>"
                f"<td>{day(v['date_of_loss'], 'us')}</td><td>{day(v['date_reported'], 'us')}</td>"
                f"<td>{words[v['status']]}</td><td>{e(v['cause_of_loss'])}</td>"
                + money(t["paid_total"])
                + money(t["reserves"])
                + money(incurred)
                + "</tr>"
            )
            truth = {k: as_printed(t[k], "-") for k in ("paid_total", "reserves")}
            claims.append(expected(c, printed, status_as_printed=words[v["status"]],
                                   total_incurred=as_printed(incurred, "-"), **truth))  # fmt: skip
        sums = [total(term, k) for k in keys[:2]]
        rows.append(f"<tr class=t><td colspan=7>Total {e(term.policy_number)}</td>"
                    + "".join(money(x) for x in (*sums, sums[0] + sums[1])) + "</tr>")  # fmt: skip
    body = (f"<p>{e(report.carrier)}</p><p>Loss Run for: {e(report.insured)}</p>"
            f"<p>Run Date: {day(report.valuation_date.isoformat(), 'us')}</p>"
            f"<table class=g>{''.join(rows)}</table>")  # fmt: skip
    css = (".g td, .g th { border: 0.4pt solid #999; } td.d { border-right: none; padding-right: 0; }"
           " td.d + td.n { border-left: none; } tr.t td { font-weight: bold; } th.n { text-align: right; }")  # fmt: skip
    html = document(body, css=css)
    return Sample("spreadsheet_print", html, claims, term_truth(report), report)


def capitals_report() -> Sample:
    """A mainframe report in capitals: 'POLICY NO: ... POLICY PERIOD: a - b' headings, CLAIM NO,
    CLAIMANT NAME ('LAST, FIRST'), DATE OF LOSS as 01-05-2024, a short LOSS DESC, IND PAID, MED PAID,
    EXP PAID, OUTSTANDING, INCURRED, leading-minus recoveries in a RECOVERIES column, status
    codes, '*** NO CLAIMS ***', TOTAL POLICY lines, a legend and a grand total."""
    report = spaced_policies(make_report(seed=73, carrier="ATLANTIC GUARANTY INSURANCE CO",
                                         prefix="WC", years=3, per_term=[8, 0, 9]))  # fmt: skip
    report.insured = report.insured.upper()
    printed = {"policy_number", "term_start", "term_end", "claim_number", "claimant",
               "date_of_loss", "status", "status_as_printed", "description", "paid_indemnity",
               "paid_medical", "paid_expense", "recoveries", "reserves", "total_incurred"}  # fmt: skip
    keys = (
        "paid_indemnity",
        "paid_medical",
        "paid_expense",
        "recoveries",
        "reserves",
        "total_incurred",
    )
    head = ("<tr><th>CLAIM NO</th><th>CLAIMANT NAME</th><th>DATE OF LOSS</th><th>ST</th><th>LOSS DESC</th>"
            "<th class=n>IND PAID</th><th class=n>MED PAID</th><th class=n>EXP PAID</th>"
            "<th class=n>RECOVERIES</th><th class=n>OUTSTANDING</th><th class=n>INCURRED</th></tr>")  # fmt: skip

    def cells(values: dict[str, Decimal]) -> str:
        return "".join(
            f"<td class=n>{signed(-values[k] if k == 'recoveries' else values[k])}</td>"
            for k in keys
        )

    body = [f"<h1>{e(report.carrier)}</h1><p>INSURED: {e(report.insured)}</p>"
            f"<p>VALUED AS OF {day(report.valuation_date.isoformat(), 'us')}</p>"]  # fmt: skip
    claims = []
    grand = dict.fromkeys(keys, ZERO)
    for term in report.terms:
        body.append(f"<p>POLICY NO: {e(term.policy_number)} &nbsp; POLICY PERIOD: "
                    f"{term.start:%m-%d-%Y} - {term.end:%m-%d-%Y}</p>")  # fmt: skip
        if not term.claims:
            body.append("<p>*** NO CLAIMS ***</p>")
            continue
        rows = [head]
        for c in term.claims:
            v = c.values
            dol = f"{dt_iso(v['date_of_loss']):%m-%d-%Y}"
            rows.append(
                f"<tr><td>{e(v['claim_number'])}</td><td>{e(last_first(c).upper())}</td><td>{dol}</td>"
                f"<td>{CODES[v['status']]}</td><td>{e(v['cause_of_loss'].upper())}</td>{cells(c.totals)}</tr>"
            )
            truth = {k: as_printed(c.totals[k], "0.00") for k in keys}
            truth["recoveries"] = as_printed(-c.totals["recoveries"], "0.00")
            claims.append(expected(c, printed, claimant=last_first(c).upper(),
                                   description=v["cause_of_loss"].upper(),
                                   status_as_printed=CODES[v["status"]], **truth))  # fmt: skip
        sums = {k: total(term, k) for k in keys}
        for key in keys:
            grand[key] += sums[key]
        rows.append(
            f"<tr><td colspan=5>TOTAL POLICY {e(term.policy_number)}</td>{cells(sums)}</tr>"
        )
        body.append(f"<table>{''.join(rows)}</table>")
    body.append(f"<table><tr><td colspan=5>GRAND TOTAL</td>{cells(grand)}</tr></table>"
                f"<p>STATUS CODES: {LEGEND.upper()}</p>")  # fmt: skip
    css = "body { font-family: 'DejaVu Sans Mono', monospace; font-size: 7pt; }"
    html = document("".join(body), css=css)
    return Sample("capitals_report", html, claims, term_truth(report), report)


def dt_iso(value: str):
    import datetime as dt

    return dt.date.fromisoformat(value)


def inline_labels() -> Sample:
    """Each claim on two text lines with inline labels and colons ('Claim: .. Clmt: ..
    DOL: .. Rptd: .. Status: ..', then 'Ind: .. Med: .. Exp: .. Subro: .. Resv: .. Incd: ..'),
    a 'Desc:' line that wraps, a policy line 'Policy WC 123456 Eff 07/01/2023 Exp 07/01/2024'."""
    report = spaced_policies(make_report(seed=79, carrier="Lakeshore Mutual Insurance",
                                         prefix="WC", years=2, per_term=[8, 9]))  # fmt: skip
    printed = {"policy_number", "term_start", "term_end", "claim_number", "claimant",
               "date_of_loss", "date_reported", "status", "status_as_printed", "description",
               "paid_indemnity", "paid_medical", "paid_expense", "recoveries", "reserves",
               "total_incurred"}  # fmt: skip
    body = [f"<h1>{e(report.carrier)}</h1><p>Insured: {e(report.insured)}</p>"
            f"<p>Valuation Date: {day(report.valuation_date.isoformat(), 'us')}</p>"]  # fmt: skip
    claims = []
    for term in report.terms:
        body.append(f"<h2>Policy {e(term.policy_number)} &nbsp; Eff {day(term.start.isoformat(), 'us')}"
                    f" &nbsp; Exp {day(term.end.isoformat(), 'us')}</h2>")  # fmt: skip
        for c in term.claims:
            v, t = c.values, c.totals
            text = f"{v['description']}; the claimant was seen at an urgent care clinic the same day and returned to work"
            body.append(
                f"<div class=c><p>Claim: {e(v['claim_number'])} &nbsp; Clmt: {e(v['claimant'])} &nbsp; "
                f"DOL: {day(v['date_of_loss'], 'us')} &nbsp; Rptd: {day(v['date_reported'], 'us')} &nbsp; "
                f"Status: {e(v['status_as_printed'])}</p>"
                f"<p>Ind: {signed(t['paid_indemnity'])} &nbsp; Med: {signed(t['paid_medical'])} &nbsp; "
                f"Exp: {signed(t['paid_expense'])} &nbsp; Subro: {signed(-t['recoveries'], negative='parens')}"
                f" &nbsp; Resv: {signed(t['reserves'])} &nbsp; Incd: {signed(t['total_incurred'])}</p>"
                f"<p class=w>Desc: {e(text)}</p></div>"
            )
            claims.append(expected(c, printed, description=text,
                                   recoveries=as_printed(-t["recoveries"], "0.00")))  # fmt: skip
    css = ".c { margin-bottom: 6pt; } .c p { margin: 0; } .w { width: 45%; }"
    html = document("".join(body), css=css, bottom=f"{report.carrier} claim listing")
    return Sample("inline_labels", html, claims, term_truth(report), report)
