"""Held-out table layouts, written to differ from the first seven the way carriers differ:
other column orders and wordings, ISO and two-digit-year dates, trailing-minus and CR
negatives, dashes for zero, "Last, First" claimants, policy rows inside the table, subtotals
and grand totals, a logo block, legends after the claims, portrait pages."""

from __future__ import annotations

from decimal import Decimal

from tests.claims.pdfcorpus.html import as_printed, day, document, e, signed
from tests.claims.pdfcorpus.truth import Report, Term, TrueClaim, expected, make_report
from tests.claims.pdfcorpus.types import Sample, term_truth

ZERO = Decimal("0.00")
CODES = {"open": "O", "closed": "C", "reopened": "R", "denied": "D", "subrogated": "S"}
LEGEND = "O = Open, C = Closed, R = Reopened, D = Denied, S = Subrogated"


def total(term: Term, key: str) -> Decimal:
    return sum((c.totals[key] for c in term.claims), ZERO)


def last_first(claim: TrueClaim) -> str:
    first, last = claim.values["claimant"].split(" ", 1)
    return f"{last}, {first}"


def spaced_policies(report: Report) -> Report:
    """Policy numbers printed with a space ('WC 123456'), as many carriers do."""
    for term in report.terms:
        term.policy_number = term.policy_number.replace("-", " ")
        for claim in term.claims:
            claim.values["policy_number"] = term.policy_number
    return report


def logo(name: str, tagline: str) -> str:
    mark = name.split()[0].upper()
    return (f"<div class=logo><span class=mark>{e(mark)}</span><br>{e(name)}<br>"
            f"<span class=tag>{e(tagline)}</span></div>")  # fmt: skip


LOGO_CSS = (".logo { margin-bottom: 8pt; } .mark { font-size: 20pt; font-weight: bold;"
            " letter-spacing: 3pt; } .tag { font-style: italic; color: #555; }")  # fmt: skip


def reordered_columns() -> Sample:
    """Workers comp: a logo block, 'Policy: WC 123456  Term: a to b' headings, columns in
    another order with short labels (Clm No., Clmt, Date of Accident, Ind Pd, Med Pd, Exp Pd,
    Recovery/Subro, O/S Reserve, Net Incurred), ISO dates, 'Last, First' claimants, zero as
    '-', recoveries as '1,234.00-', status codes with the legend at the end, a subtotal per
    policy and a grand total, valuation date in the running header."""
    report = spaced_policies(make_report(seed=41, carrier="Northstar Indemnity Group",
                                         prefix="WC", years=3, per_term=[12, 0, 15]))  # fmt: skip
    printed = {"policy_number", "term_start", "term_end", "claim_number", "claimant",
               "date_of_loss", "date_reported", "status", "status_as_printed", "cause_of_loss",
               "paid_indemnity", "paid_medical", "paid_expense", "recoveries", "reserves",
               "total_incurred"}  # fmt: skip
    money = ("paid_indemnity", "paid_medical", "paid_expense")
    head = ("<tr><th>Clm No.</th><th>Clmt</th><th>Date of Accident</th><th>Rpt Date</th>"
            "<th>Status</th><th>Cause</th><th class=n>Ind Pd</th><th class=n>Med Pd</th>"
            "<th class=n>Exp Pd</th><th class=n>Recovery/Subro</th><th class=n>O/S Reserve</th>"
            "<th class=n>Net Incurred</th></tr>")  # fmt: skip
    body = [logo(report.carrier, "Workers Compensation Claim Services"),
            f"<p>Account Name: {e(report.insured)}</p><h1>Loss Run Report</h1>"]  # fmt: skip
    claims = []

    def cells(values: dict[str, Decimal]) -> str:
        out = "".join(f"<td class=n>{signed(values[k], zero='-')}</td>" for k in money)
        out += f"<td class=n>{signed(-values['recoveries'], negative='trail', zero='-')}</td>"
        return out + "".join(
            f"<td class=n>{signed(values[k], zero='-')}</td>"
            for k in ("reserves", "total_incurred")
        )

    grand = dict.fromkeys((*money, "recoveries", "reserves", "total_incurred"), ZERO)
    for term in report.terms:
        body.append(f"<h2>Policy: {e(term.policy_number)} &nbsp; Term: {day(term.start.isoformat(), 'us')}"
                    f" to {day(term.end.isoformat(), 'us')}</h2>")  # fmt: skip
        if not term.claims:
            body.append("<p>NO LOSSES REPORTED</p>")
            continue
        rows = []
        for c in term.claims:
            v = c.values
            rows.append(
                f"<tr><td>{e(v['claim_number'])}</td><td>{e(last_first(c))}</td>"
                f"<td>{day(v['date_of_loss'], 'iso')}</td><td>{day(v['date_reported'], 'iso')}</td>"
                f"<td>{CODES[v['status']]}</td><td>{e(v['cause_of_loss'])}</td>{cells(c.totals)}</tr>"
            )
            truth = {
                k: as_printed(c.totals[k], "-") for k in (*money, "reserves", "total_incurred")
            }
            truth["recoveries"] = as_printed(-c.totals["recoveries"], "-")
            claims.append(expected(c, printed, claimant=last_first(c),
                                   status_as_printed=CODES[v["status"]], **truth))  # fmt: skip
        sums = {k: total(term, k) for k in grand}
        for key in grand:
            grand[key] += sums[key]
        rows.append(f"<tr class=t><td colspan=6>Policy Subtotal</td>{cells(sums)}</tr>")
        body.append(f"<table><thead>{head}</thead><tbody>{''.join(rows)}</tbody></table>")
    body.append(f"<table><tr class=t><td colspan=6>Grand Total</td>{cells(grand)}</tr></table>"
                f"<p>Status: {LEGEND}</p>")  # fmt: skip
    css = LOGO_CSS + (
        "@page { @top-right { content: 'Valued as of 10/30/2026'; font: 7pt 'DejaVu Sans'; }"
        " @bottom-center { content: 'Page ' counter(page); font: 7pt 'DejaVu Sans'; } }"
        " tr.t td { font-weight: bold; border-top: 0.6pt solid #444; }"
    )
    html = document("".join(body), css=css, top=f"{report.carrier} loss run")
    return Sample("reordered_columns", html, claims, term_truth(report), report)


def short_dates_portrait() -> Sample:
    """GL on portrait pages: two-line header cells worded otherwise (Loss / Date, Date /
    Reported, Description / of Loss), a narrow description wrapping to two or three lines,
    dates as 01/05/24, credits as '1,234.00 CR', 'Eff .. Exp ..' headings, NO LOSSES
    REPORTED, a total per policy, 'Evaluation Date' in the running footer."""
    report = make_report(seed=43, carrier="Crescent Bay Casualty Company", prefix="GL",
                         years=4, per_term=[6, 8, 0, 7], net_incurred=False)  # fmt: skip
    printed = {"policy_number", "term_start", "term_end", "claim_number", "claimant",
               "date_of_loss", "date_reported", "status", "status_as_printed", "description",
               "paid_total", "recoveries", "reserves", "total_incurred"}  # fmt: skip
    head = ("<tr><th>Claim<br>No.</th><th>Loss<br>Date</th><th>Date<br>Reported</th>"
            "<th>Claimant</th><th>Status</th><th>Description<br>of Loss</th><th class=n>Total<br>Paid</th>"
            "<th class=n>Recovery</th><th class=n>O/S<br>Reserve</th><th class=n>Total<br>Incurred</th></tr>")  # fmt: skip
    body = [
        f"<h1>{e(report.carrier)}</h1><p>Insured: {e(report.insured)}</p><p>Loss Run - General Liability</p>"
    ]
    claims = []
    keys = ("paid_total", "recoveries", "reserves", "total_incurred")

    def cells(values: dict[str, Decimal]) -> str:
        return "".join(
            f"<td class=n>{signed(-values[k] if k == 'recoveries' else values[k], negative='cr')}</td>"
            for k in keys
        )

    for term in report.terms:
        body.append(f"<h2>Policy Number {e(term.policy_number)} &nbsp; Eff {day(term.start.isoformat(), 'us')}"
                    f" &nbsp; Exp {day(term.end.isoformat(), 'us')}</h2>")  # fmt: skip
        if not term.claims:
            body.append("<p><b>NO LOSSES REPORTED</b></p>")
            continue
        rows = []
        for c in term.claims:
            v = c.values
            text = f"{v['description']}; reported by the store manager"
            rows.append(
                f"<tr><td>{e(v['claim_number'])}</td><td>{day(v['date_of_loss'], 'short')}</td>"
                f"<td>{day(v['date_reported'], 'short')}</td><td>{e(v['claimant'])}</td>"
                f"<td>{e(v['status_as_printed'])}</td><td class=w>{e(text)}</td>{cells(c.totals)}</tr>"
            )
            truth = {k: as_printed(c.totals[k], "0.00") for k in keys}
            truth["recoveries"] = as_printed(-c.totals["recoveries"], "0.00")
            claims.append(expected(c, printed, description=text, **truth))
        sums = {k: total(term, k) for k in keys}
        rows.append(
            f"<tr class=t><td colspan=6>Total for Policy {e(term.policy_number)}</td>{cells(sums)}</tr>"
        )
        body.append(f"<table><thead>{head}</thead><tbody>{''.join(rows)}</tbody></table>")
    css = ("@page { size: Letter portrait; @bottom-left { content: 'Evaluation Date: 10/30/2026';"
           " font: 7pt 'DejaVu Sans'; } @bottom-right { content: 'Page ' counter(page) ' of '"
           " counter(pages); font: 7pt 'DejaVu Sans'; } } td.w { width: 24%; }"
           " tr.t td { font-weight: bold; border-top: 0.6pt solid #444; } td, th { padding: 2pt 3pt; }")  # fmt: skip
    html = document("".join(body), css=css)
    return Sample("short_dates_portrait", html, claims, term_truth(report), report)


def policy_rows_auto() -> Sample:
    """Commercial auto, landscape: the policy and term as a row inside one table whose
    header repeats on every page, driver and claimant columns, month-name dates, a date
    closed of '-' while open, a description line under each claim, 'Exp Pd' and 'Total Pd',
    parenthesised subrogation, a 'Policy Total' per term, a grand total, a legend."""
    report = spaced_policies(make_report(seed=47, carrier="Redwood Auto Insurance Exchange",
                                         prefix="CA", years=3, per_term=[9, 11, 8], driver=True))  # fmt: skip
    printed = {"policy_number", "term_start", "term_end", "claim_number", "claimant", "driver",
               "date_of_loss", "date_reported", "date_closed", "status", "status_as_printed",
               "description", "paid_indemnity", "paid_expense", "paid_total", "recoveries",
               "reserves", "total_incurred"}  # fmt: skip
    keys = (
        "paid_indemnity",
        "paid_expense",
        "paid_total",
        "recoveries",
        "reserves",
        "total_incurred",
    )
    head = ("<tr><th>Claim Number</th><th>Driver</th><th>Claimant</th><th>Loss Date</th>"
            "<th>Reported</th><th>Closed</th><th>Status</th><th class=n>Loss Pd</th>"
            "<th class=n>Exp Pd</th><th class=n>Total Pd</th><th class=n>Subro</th>"
            "<th class=n>Reserve</th><th class=n>Incurred</th></tr>")  # fmt: skip
    rows = []
    claims = []
    grand = dict.fromkeys(keys, ZERO)

    def cells(values: dict[str, Decimal]) -> str:
        return "".join(
            f"<td class=n>{signed(-values[k] if k == 'recoveries' else values[k], negative='parens')}</td>"
            for k in keys
        )

    for term in report.terms:
        rows.append(f"<tr class=p><td colspan=13>Policy: {e(term.policy_number)} &nbsp; Term: "
                    f"{day(term.start.isoformat(), 'month')} to {day(term.end.isoformat(), 'month')}</td></tr>")  # fmt: skip
        for c in term.claims:
            v, t = c.values, c.totals
            ind = t["paid_indemnity"] + t["paid_medical"]
            amounts = {**t, "paid_indemnity": ind}
            rows.append(
                f"<tr class=c><td>{e(v['claim_number'])}</td><td>{e(v['driver'])}</td><td>{e(v['claimant'])}</td>"
                f"<td>{day(v['date_of_loss'], 'month')}</td><td>{day(v['date_reported'], 'month')}</td>"
                f"<td>{day(v['date_closed'], 'month') or '-'}</td><td>{CODES[v['status']]}</td>{cells(amounts)}</tr>"
                f"<tr><td></td><td colspan=12 class=d>Loss Description: {e(v['description'])}</td></tr>"
            )
            truth = {k: as_printed(amounts[k], "0.00") for k in keys}
            truth["recoveries"] = as_printed(-t["recoveries"], "0.00")
            claims.append(expected(c, printed, status_as_printed=CODES[v["status"]], **truth))
        sums = {k: total(term, k) for k in keys}
        sums["paid_indemnity"] += total(term, "paid_medical")
        for key in keys:
            grand[key] += sums[key]
        rows.append(
            f"<tr class=t><td colspan=7>Policy Total ({len(term.claims)} claims)</td>{cells(sums)}</tr>"
        )
    rows.append(f"<tr class=t><td colspan=7>Grand Total - All Policies</td>{cells(grand)}</tr>")
    body = (f"<h1>{e(report.carrier)}</h1><p>Named Insured: {e(report.insured)} &nbsp;&nbsp; "
            f"Valued as of {day(report.valuation_date.isoformat(), 'month')}</p>"
            f"<table><thead>{head}</thead><tbody>{''.join(rows)}</tbody></table>"
            f"<p>Status Codes: {LEGEND}</p>")  # fmt: skip
    css = ("tr.p td { font-weight: bold; padding-top: 6pt; } tr.t td { font-weight: bold; }"
           " td { white-space: nowrap; } td.d { white-space: normal; font-style: italic; padding-left: 12pt; }")  # fmt: skip
    html = document(body, css=css, top=f"{report.carrier} - Commercial Auto Loss Run",
                    bottom="Confidential")  # fmt: skip
    return Sample("policy_rows_auto", html, claims, term_truth(report), report)
