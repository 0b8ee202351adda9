"""A fourth held-out round, measured before any rule changed for it: reserves and paid split
over two columns each (Paid Loss / Paid ALAE, O/S Loss / O/S ALAE), bodily-injury and
property-damage columns for auto, claim cards whose money is a small grid (a row per
coverage part, a column per paid / reserve / incurred), statuses a carrier words its own way
(Closed w/o Payment, CWP, Re-Opened, Subro, Litigated), '05-Jan-2024' and '1/5/2024' dates,
'--' and '0' for zero, 'USD' amounts, 'Claim Count: 5' lines, a 'Loss Summary by Policy Year'
table after the claims (never claims), a confidentiality notice and 'Page 1 of 3' footers."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

from tests.claims.pdfcorpus.heldout_tables import spaced_policies, total
from tests.claims.pdfcorpus.html import as_printed, document, e, signed
from tests.claims.pdfcorpus.truth import Report, TrueClaim, expected, make_report
from tests.claims.pdfcorpus.types import Sample, term_truth

ZERO = Decimal("0.00")
NOTICE = (
    "CONFIDENTIAL: prepared for the named insured and its agent of record; "
    "not to be reproduced without the written consent of the company."
)


def split(amount: Decimal, share: str = "0.7") -> tuple[Decimal, Decimal]:
    """An amount split over two columns (loss and expense, bodily injury and property damage)."""
    first = (amount * Decimal(share)).quantize(Decimal("0.01"))
    return first, amount - first


def dmy(value: str) -> str:
    """'05-Jan-2024'; '' stays ''."""
    return f"{dt.date.fromisoformat(value):%d-%b-%Y}" if value else ""


def slash(value: str) -> str:
    """'1/5/2024' (no leading zeros); '' stays ''."""
    if not value:
        return ""
    date = dt.date.fromisoformat(value)
    return f"{date.month}/{date.day}/{date.year}"


def bare(value: Decimal) -> str:
    """The truth of an amount whose zero prints as '0' (and of a sum of such amounts)."""
    return "0" if value == 0 else f"{value:.2f}"


def year_summary(report: Report, money: tuple[str, ...], fmt) -> str:
    """'Loss Summary by Policy Year': one row per term with its count and sums; not claims."""
    head = "".join(f"<th class=n>{e(label)}</th>" for label in money)
    rows = []
    for term in report.terms:
        paid = total(term, "paid_total")
        sums = (paid, total(term, "reserves"), paid + total(term, "reserves"))
        rows.append(
            f"<tr><td>{term.start.year}</td><td class=n>{len(term.claims)}</td>"
            + "".join(f"<td class=n>{fmt(x)}</td>" for x in sums)
            + f"<td class=n>{fmt(term.premium)}</td></tr>"
        )
    return (
        "<h2>Loss Summary by Policy Year</h2><table class=sum><tr><th>Policy Year</th>"
        f"<th class=n>No. of Claims</th>{head}<th class=n>Earned Premium</th></tr>"
        f"{''.join(rows)}</table>"
    )


def split_columns_gl() -> Sample:
    """General liability, landscape: headers of two lines ending in '($)' (Paid Loss ($), Paid
    ALAE ($), O/S Loss ($), O/S ALAE ($), Total Incurred ($)), dates as 05-Jan-2024, zero as
    '--', statuses Open / Closed / Re-Opened / Closed w/o Payment, a section per policy with a
    'Policy Totals' row and a 'Claim Count: 5' line, a term with no claims, 'Evaluation Date:',
    a 'Loss Summary by Policy Year' table, a confidentiality notice and 'Page 1 of 3'."""
    report = make_report(seed=97, carrier="Granite Peak Casualty Company", prefix="GL",
                         years=3, per_term=[9, 0, 11], net_incurred=False)  # fmt: skip
    printed = {"policy_number", "term_start", "term_end", "claim_number", "claimant",
               "date_of_loss", "date_reported", "date_closed", "status", "status_as_printed",
               "paid_indemnity", "paid_expense", "reserves", "total_incurred"}  # fmt: skip
    words = {"open": "Open", "closed": "Closed", "reopened": "Re-Opened",
             "denied": "Closed w/o Payment", "subrogated": "Open"}  # fmt: skip
    normal = {"denied": "closed", "subrogated": "open"}
    head = ("<tr><th>Claim<br>Number</th><th>Claimant</th><th>Date of<br>Loss</th>"
            "<th>Date<br>Reported</th><th>Date<br>Closed</th><th>Claim<br>Status</th>"
            "<th class=n>Paid<br>Loss ($)</th><th class=n>Paid<br>ALAE ($)</th>"
            "<th class=n>O/S<br>Loss ($)</th><th class=n>O/S<br>ALAE ($)</th>"
            "<th class=n>Total<br>Incurred ($)</th></tr>")  # fmt: skip

    def parts(t: dict[str, Decimal]) -> tuple[Decimal, ...]:
        loss_res, alae_res = split(t["reserves"])
        paid_loss = t["paid_indemnity"] + t["paid_medical"]
        incurred = t["paid_total"] + t["reserves"]
        return paid_loss, t["paid_expense"], loss_res, alae_res, incurred

    def cells(values: tuple[Decimal, ...]) -> str:
        return "".join(f"<td class=n>{signed(x, zero='--')}</td>" for x in values)

    body = [f"<h1>{e(report.carrier)}</h1><p>Loss Run Report &nbsp; Named Insured: {e(report.insured)}</p>"
            f"<p>Evaluation Date: {dmy(report.valuation_date.isoformat())}</p>"]  # fmt: skip
    claims = []
    for term in report.terms:
        body.append(f"<h2>Policy No. {e(term.policy_number)} &nbsp; Policy Period: "
                    f"{dmy(term.start.isoformat())} - {dmy(term.end.isoformat())}</h2>")  # fmt: skip
        if not term.claims:
            body.append("<p>No claims reported for this policy period.</p><p>Claim Count: 0</p>")
            continue
        rows = []
        sums = [ZERO] * 5
        for c in term.claims:
            v, t = c.values, c.totals
            amounts = parts(t)
            sums = [a + b for a, b in zip(sums, amounts, strict=True)]
            rows.append(
                f"<tr><td>{e(v['claim_number'])}</td><td>{e(v['claimant'])}</td>"
                f"<td>{dmy(v['date_of_loss'])}</td><td>{dmy(v['date_reported'])}</td>"
                f"<td>{dmy(v['date_closed'])}</td><td>{words[v['status']]}</td>{cells(amounts)}</tr>"
            )
            claims.append(expected(
                c, printed, status=normal.get(v["status"], v["status"]),
                status_as_printed=words[v["status"]],
                paid_indemnity=as_printed(amounts[0], "-"), paid_expense=as_printed(amounts[1], "-"),
                reserves=as_printed(t["reserves"], "-"), total_incurred=as_printed(amounts[4], "-"),
            ))  # fmt: skip
        rows.append(f"<tr class=t><td colspan=6>Policy Totals</td>{cells(tuple(sums))}</tr>")
        body.append(f"<table><thead>{head}</thead><tbody>{''.join(rows)}</tbody></table>"
                    f"<p class=s>Claim Count: {len(term.claims)}</p>")  # fmt: skip
    body.append(year_summary(report, ("Paid", "Outstanding", "Incurred"), lambda x: signed(x)))
    css = ("@page { @bottom-left { content: '" + NOTICE + "'; font: 6pt 'DejaVu Sans'; }"
           " @bottom-right { content: 'Page ' counter(page) ' of ' counter(pages); font: 7pt 'DejaVu Sans'; } }"
           " tr.t td { font-weight: bold; border-top: 0.6pt solid #444; } .s { font-weight: bold; }"
           " tr { break-inside: avoid; }")  # fmt: skip
    html = document("".join(body), css=css)
    return Sample("split_columns_gl", html, claims, term_truth(report), report)


AUTO_CODES = {"open": "O", "closed": "C", "reopened": "RO", "denied": "CWP", "subrogated": "SUB"}
AUTO_LEGEND = (
    "O = Open, LIT = Litigated (open), C = Closed, RO = Re-Opened, "
    "CWP = Closed Without Payment, SUB = Subrogation"
)


def auto_bi_pd() -> Sample:
    """Commercial auto: bodily-injury and property-damage amounts in columns of their own (BI
    Paid, PD Paid, BI Resv, PD Resv), expense paid, a subrogation recovery column, net incurred;
    dates as 1/5/2024; zero as '0'; status codes (LIT for litigated open claims, CWP, SUB) with
    the legend first; a description of three lines under each claim; both 'Run Date' (when it
    was printed) and 'Valued as of' in the heading; a grand total; the policy as a column."""
    report = spaced_policies(make_report(seed=101, carrier="Keystone Commercial Auto Insurance Co",
                                         prefix="CA", years=2, per_term=[10, 12], driver=True))  # fmt: skip
    printed = {"policy_number", "term_start", "term_end", "claim_number", "claimant", "driver",
               "date_of_loss", "date_reported", "status", "status_as_printed", "description",
               "paid_indemnity", "paid_expense", "recoveries", "reserves", "total_incurred"}  # fmt: skip
    normal = {"denied": "closed"}
    head = ("<tr><th>Policy</th><th>Claim No.</th><th>Loss Date</th><th>Rpt Date</th>"
            "<th>Driver</th><th>Claimant</th><th>Sts</th><th class=n>BI Paid</th>"
            "<th class=n>PD Paid</th><th class=n>Exp Paid</th><th class=n>BI Resv</th>"
            "<th class=n>PD Resv</th><th class=n>Subro Rec</th><th class=n>Net Incurred</th></tr>")  # fmt: skip

    def money(x: Decimal) -> str:
        return signed(x, negative="parens", zero="0")

    def amounts(t: dict[str, Decimal]) -> tuple[Decimal, ...]:
        bi_paid, pd_paid = split(t["paid_indemnity"] + t["paid_medical"], "0.6")
        bi_res, pd_res = split(t["reserves"], "0.6")
        return (
            bi_paid,
            pd_paid,
            t["paid_expense"],
            bi_res,
            pd_res,
            -t["recoveries"],
            t["total_incurred"],
        )

    rows = []
    claims = []
    grand = [ZERO] * 7
    opened = 0
    for term in report.terms:
        for c in term.claims:
            v, t = c.values, c.totals
            code = AUTO_CODES[v["status"]]
            if v["status"] == "open":
                opened += 1
                code = "LIT" if opened % 2 else "O"
            values = amounts(t)
            grand = [a + b for a, b in zip(grand, values, strict=True)]
            text = (f"{v['description']}. Insured driver was cited by police at the scene; "
                    "the claimant retained counsel and a recorded statement was taken from "
                    "both drivers. Rental and towing were authorised for the claimant vehicle")  # fmt: skip
            rows.append(
                f"<tr class=c><td>{e(term.policy_number)}</td><td>{e(v['claim_number'])}</td>"
                f"<td>{slash(v['date_of_loss'])}</td><td>{slash(v['date_reported'])}</td>"
                f"<td>{e(v['driver'])}</td><td>{e(v['claimant'])}</td><td>{code}</td>"
                + "".join(f"<td class=n>{money(x)}</td>" for x in values)
                + f"</tr><tr><td></td><td colspan=13 class=d>{e(text)}</td></tr>"
            )
            claims.append(expected(
                c, printed, status=normal.get(v["status"], v["status"]), status_as_printed=code,
                description=text, paid_indemnity=bare(values[0] + values[1]),
                recoveries=bare(-t["recoveries"]), paid_expense=bare(t["paid_expense"]),
                reserves=bare(t["reserves"]), total_incurred=bare(t["total_incurred"]),
            ))  # fmt: skip
    rows.append(
        "<tr class=t><td colspan=7>Grand Total</td>"
        + "".join(f"<td class=n>{money(x)}</td>" for x in grand)
        + "</tr>"
    )
    periods = "".join(
        f"<tr><td>{e(t.policy_number)}</td><td>{slash(t.start.isoformat())}</td>"
        f"<td>{slash(t.end.isoformat())}</td></tr>"
        for t in report.terms
    )
    body = (f"<h1>{e(report.carrier)}</h1><p>Insured: {e(report.insured)}</p>"
            f"<p>Run Date: 11/2/2026 &nbsp;&nbsp; Valued as of {slash(report.valuation_date.isoformat())}</p>"
            f"<table class=pol><tr><th>Policy Number</th><th>Effective</th><th>Expiration</th></tr>"
            f"{periods}</table><p>Status Codes: {AUTO_LEGEND}</p>"
            f"<table><thead>{head}</thead><tbody>{''.join(rows)}</tbody></table>")  # fmt: skip
    css = ("td.d { width: 40%; white-space: normal; color: #333; padding-left: 10pt; }"
           " tr.t td { font-weight: bold; border-top: 0.6pt solid #444; } td { white-space: nowrap; }"
           " tr.c td { border-top: 0.3pt solid #bbb; } table.pol { width: 40%; margin-bottom: 6pt; }")  # fmt: skip
    html = document(body, css=css, top=f"{report.carrier} - Commercial Auto Loss History",
                    bottom=NOTICE)  # fmt: skip
    return Sample("auto_bi_pd", html, claims, term_truth(report), report)


def grid_cards_wc() -> Sample:
    """Workers comp cards: a line of 'Label: value' pairs (Claim Number, Employee, Date of
    Injury, Reported, Status, Closed), a three-line 'Injury Description', then the money as a
    small grid per claim (rows Medical, Indemnity, Expense, Recovery, Total; columns Paid,
    Reserve, Incurred) with amounts as 'USD 1,234.00'; statuses Litigated, Subro, Re-Opened;
    a 'Run Date:'; per-policy 'Claim Count: 5' and totals; a 'Loss Summary by Policy Year'."""
    report = spaced_policies(make_report(seed=103, carrier="Bayou State Workers Comp Fund",
                                         prefix="WC", years=2, per_term=[6, 7]))  # fmt: skip
    printed = {"policy_number", "term_start", "term_end", "claim_number", "claimant",
               "date_of_loss", "date_reported", "date_closed", "status", "status_as_printed",
               "description", "paid_indemnity", "paid_medical", "paid_expense", "paid_total",
               "recoveries", "reserves", "total_incurred"}  # fmt: skip
    words = {"open": "Open - Litigated", "closed": "Closed", "reopened": "Re-Opened",
             "denied": "Denied", "subrogated": "Subro"}  # fmt: skip

    def usd(x: Decimal) -> str:
        return "USD " + signed(x, negative="parens")

    def grid(c: TrueClaim) -> tuple[str, dict[str, Decimal]]:
        t = c.totals
        med_res, ind_res = split(t["reserves"], "0.4")
        lines = (("Medical", t["paid_medical"], med_res), ("Indemnity", t["paid_indemnity"], ind_res),
                 ("Expense", t["paid_expense"], ZERO), ("Recovery", -t["recoveries"], ZERO))  # fmt: skip
        paid = sum((p for _, p, _ in lines), ZERO)
        rows = "".join(
            f"<tr><td>{label}</td><td class=n>{usd(p)}</td><td class=n>{usd(r)}</td>"
            f"<td class=n>{usd(p + r)}</td></tr>"
            for label, p, r in lines
        )
        rows += (f"<tr class=t><td>Total</td><td class=n>{usd(paid)}</td>"
                 f"<td class=n>{usd(t['reserves'])}</td><td class=n>{usd(paid + t['reserves'])}</td></tr>")  # fmt: skip
        return rows, {"paid": paid, "incurred": paid + t["reserves"]}

    body = [f"<h1>{e(report.carrier)}</h1><p>Employer: {e(report.insured)}</p>"
            f"<p>Run Date: {dmy(report.valuation_date.isoformat())}</p>"]  # fmt: skip
    claims = []
    for term in report.terms:
        body.append(f"<h2>Policy {e(term.policy_number)} &nbsp; Effective {dmy(term.start.isoformat())}"
                    f" &nbsp; Expiration {dmy(term.end.isoformat())}</h2>")  # fmt: skip
        incurred = ZERO
        for c in term.claims:
            v = c.values
            rows, sums = grid(c)
            incurred += sums["incurred"]
            text = (f"{v['description']}. Employee was treated at the occupational clinic and "
                    "placed on light duty for two weeks; the nurse case manager is following "
                    "the recovery and the employer offered modified work")  # fmt: skip
            body.append(
                f"<div class=card><p>Claim Number: {e(v['claim_number'])} &nbsp; Employee: {e(v['claimant'])}"
                f" &nbsp; Date of Injury: {dmy(v['date_of_loss'])}</p><p>Reported: {dmy(v['date_reported'])}"
                f" &nbsp; Status: {words[v['status']]} &nbsp; Closed: {dmy(v['date_closed'])}</p>"
                f"<p class=w>Injury Description: {e(text)}</p>"
                f"<table class=g><tr><th></th><th class=n>Paid</th><th class=n>Reserve</th>"
                f"<th class=n>Incurred</th></tr>{rows}</table></div>"
            )
            claims.append(expected(
                c, printed, status_as_printed=words[v["status"]], description=text,
                paid_total=f"{sums['paid']:.2f}", recoveries=as_printed(-c.totals["recoveries"], "0.00"),
                total_incurred=f"{sums['incurred']:.2f}",
            ))  # fmt: skip
        body.append(f"<p class=s>Claim Count: {len(term.claims)} &nbsp; Policy Total Incurred: "
                    f"{usd(incurred)}</p>")  # fmt: skip
    body.append(year_summary(report, ("Paid", "Reserve", "Incurred"), usd))
    css = (".card { break-inside: avoid; margin: 0 0 8pt 0; border-top: 0.6pt solid #777; }"
           " .card p { margin: 2pt 0; } .w { width: 55%; } table.g { width: 45%; } table.g td { white-space: nowrap; }"
           " tr.t td { font-weight: bold; } .s { font-weight: bold; }"
           " @page { size: Letter portrait; }")  # fmt: skip
    html = document("".join(body), css=css, top=f"{report.carrier} - Loss Run", bottom=NOTICE)
    return Sample("grid_cards_wc", html, claims, term_truth(report), report)
