"""More of the fourth held-out round, measured before any rule changed for it: a property loss
run in whole dollars with gross and net incurred both printed, loss and expense reserves
apart, positive recoveries, 'Closed - Paid' statuses, a coverage column and policy headings
repeated '(continued)' at the top of a page."""

from __future__ import annotations

from decimal import Decimal

from tests.claims.pdfcorpus.heldout_fourth import NOTICE, split
from tests.claims.pdfcorpus.html import document, e
from tests.claims.pdfcorpus.truth import expected, make_report
from tests.claims.pdfcorpus.types import Sample, term_truth

ZERO = Decimal("0")
COVERAGES = {"WD": "BLDG", "FI": "BLDG", "TH": "BPP", "WH": "BLDG", "PD": "BPP"}


def whole(value: Decimal) -> Decimal:
    return value.quantize(Decimal("1"))


def dollars(value: Decimal) -> str:
    """Whole dollars as printed: '12,345', '0'."""
    return f"{value:,.0f}"


def gross_net_property() -> Sample:
    """Commercial property, landscape, whole dollars: Paid Loss, Paid Expense, Loss Reserve,
    Expense Reserve, Gross Incurred, Recoveries (positive), Net Incurred; statuses 'Closed -
    Paid', 'Closed - No Pay', 'Open', 'Reopened', 'Open - Subro'; a Coverage column (BLDG,
    BPP); dates as 2024-01-05 under 'DOL' and 'Rept'; a policy heading repeated '(continued)'
    on the next page; a total line per policy with its claim count; a report summary."""
    report = make_report(seed=107, carrier="Cedar Valley Mutual Fire Insurance Company",
                         prefix="CPP", years=2, per_term=[16, 14])  # fmt: skip
    printed = {"policy_number", "term_start", "term_end", "claim_number", "date_of_loss",
               "date_reported", "status", "status_as_printed", "cause_of_loss",
               "paid_indemnity", "paid_expense", "recoveries", "reserves",
               "total_incurred"}  # fmt: skip
    words = {"open": "Open", "closed": "Closed - Paid", "reopened": "Reopened",
             "denied": "Closed - No Pay", "subrogated": "Open - Subro"}  # fmt: skip
    normal = {"denied": "closed", "subrogated": "subrogated"}
    head = ("<tr><th>Claim #</th><th>DOL</th><th>Rept</th><th>Status</th><th>Coverage</th>"
            "<th>Cause of Loss</th><th class=n>Paid Loss</th><th class=n>Paid Expense</th>"
            "<th class=n>Loss Reserve</th><th class=n>Expense Reserve</th>"
            "<th class=n>Gross Incurred</th><th class=n>Recoveries</th>"
            "<th class=n>Net Incurred</th></tr>")  # fmt: skip
    body = [f"<h1>{e(report.carrier)}</h1><p>Insured: {e(report.insured)}</p>"
            f"<p>Loss experience valued as of {report.valuation_date:%m/%d/%Y} (whole dollars)</p>"]  # fmt: skip
    claims = []
    count = amount = ZERO
    chunks: list[tuple[str, list[str]]] = []
    for term in report.terms:
        heading = (f"Policy {e(term.policy_number)} &nbsp; {term.start:%m/%d/%Y} - {term.end:%m/%d/%Y}"
                   " &nbsp; Commercial Property")  # fmt: skip
        rows = []
        sums = [ZERO] * 7
        for n, c in enumerate(term.claims):
            v, t = c.values, c.totals
            paid_loss = whole(t["paid_indemnity"] + t["paid_medical"])
            paid_exp = whole(t["paid_expense"])
            loss_res, exp_res = (whole(x) for x in split(t["reserves"], "0.8"))
            rec = whole(t["recoveries"])
            gross = paid_loss + paid_exp + loss_res + exp_res
            values = (paid_loss, paid_exp, loss_res, exp_res, gross, rec, gross - rec)
            sums = [a + b for a, b in zip(sums, values, strict=True)]
            if n == 9:  # the table breaks here and the heading is printed again overleaf
                chunks.append((heading, rows))
                heading += " (continued)"
                rows = []
            rows.append(
                f"<tr><td>{e(v['claim_number'])}</td><td>{v['date_of_loss']}</td><td>{v['date_reported']}</td>"
                f"<td>{words[v['status']]}</td><td>{COVERAGES.get(v['_cause_code'], 'BLDG')}</td>"
                f"<td>{e(v['cause_of_loss'])}</td>"
                + "".join(f"<td class=n>{dollars(x)}</td>" for x in values)
                + "</tr>"
            )
            claims.append(expected(
                c, printed, status=normal.get(v["status"], v["status"]),
                status_as_printed=words[v["status"]], paid_indemnity=str(paid_loss),
                paid_expense=str(paid_exp), reserves=str(loss_res + exp_res),
                recoveries=str(rec), total_incurred=str(gross - rec),
            ))  # fmt: skip
        count += len(term.claims)
        amount += sums[-1]
        rows.append(
            f"<tr class=t><td colspan=6>Policy Total ({len(term.claims)} claims)</td>"
            + "".join(f"<td class=n>{dollars(x)}</td>" for x in sums)
            + "</tr>"
        )
        chunks.append((heading, rows))
    for n, (heading, rows) in enumerate(chunks):
        body.append(f"<h2{' class=brk' if n else ''}>{heading}</h2>"
                    f"<table><thead>{head}</thead><tbody>{''.join(rows)}</tbody></table>")  # fmt: skip
    body.append(f"<h2>Report Summary</h2><p>Total Claims: {count}</p>"
                f"<p>Total Net Incurred: {dollars(amount)}</p>")  # fmt: skip
    css = (" tr.t td { font-weight: bold; border-top: 0.6pt solid #444; } h2 { break-after: avoid; }"
           " h2.brk { break-before: page; }"
           " tr { break-inside: avoid; }")  # fmt: skip
    html = document("".join(body), css=css, bottom=NOTICE)
    return Sample("gross_net_property", html, claims, term_truth(report), report)


STATUS_WORDS = {"open": "Open", "closed": "Closed", "reopened": "Reopen", "denied": "Denied",
                "subrogated": "In Subrogation"}  # fmt: skip


def summary_first_numeric() -> Sample:
    """General liability with an account summary table first (policy, period as 06-01-24 to
    06-01-25, claim count and sums: never claims), then a section per policy headed 'Policy
    Number: 7301234567  Policy Period: Jun 1 2024 to Jun 1 2025' (no commas), numeric claim
    numbers, 'Loss Dt' / 'Rpt Dt' as 06-01-24, 'Claim Sts', leading-minus recoveries, and
    under each claim an 'Accident Description:' line and a 'Claim Rep: .. Phone: ..' line."""
    report = make_report(seed=109, carrier="Summit Ridge Insurance Company", prefix="GL",
                         years=3, per_term=[7, 8, 6])  # fmt: skip
    printed = {"policy_number", "term_start", "term_end", "claim_number", "claimant",
               "date_of_loss", "date_reported", "status", "status_as_printed", "cause_of_loss",
               "description", "adjuster", "paid_total", "recoveries", "reserves",
               "total_incurred"}  # fmt: skip
    for n, term in enumerate(report.terms):
        term.policy_number = f"73012345{n:02d}"
        for k, claim in enumerate(term.claims):
            claim.values["policy_number"] = term.policy_number
            claim.values["claim_number"] = f"70{term.start.year % 100}{k + 1:06d}"

    def short(value: str) -> str:
        return f"{dt_date(value):%m-%d-%y}"

    def spelled(value: str) -> str:
        date = dt_date(value)
        return f"{date:%b} {date.day} {date.year}"

    def money(x: Decimal) -> str:
        return f"{x:,.2f}" if x >= 0 else f"-{-x:,.2f}"

    keys = ("paid_total", "reserves", "recoveries", "total_incurred")
    summary = []
    for term in report.terms:
        sums = [sum((c.totals[k] for c in term.claims), Decimal("0.00")) for k in keys]
        sums[2] = -sums[2]
        summary.append(f"<tr><td>{term.policy_number}</td><td>{short(term.start.isoformat())} to "
                       f"{short(term.end.isoformat())}</td><td class=n>{len(term.claims)}</td>"
                       + "".join(f"<td class=n>{money(x)}</td>" for x in sums) + "</tr>")  # fmt: skip
    body = [f"<h1>{e(report.carrier)}</h1><p>Insured Name: {e(report.insured)}</p>"
            f"<p>Valuation Date: {report.valuation_date:%m-%d-%y}</p><h2>Account Summary</h2>"
            "<table class=s><tr><th>Policy Number</th><th>Policy Period</th><th class=n># Claims</th>"
            "<th class=n>Total Paid</th><th class=n>Total Reserves</th><th class=n>Total Recovery</th>"
            f"<th class=n>Total Incurred</th></tr>{''.join(summary)}</table>"]  # fmt: skip
    head = ("<tr><th>Claim Number</th><th>Claimant Name</th><th>Loss Dt</th><th>Rpt Dt</th>"
            "<th>Claim Sts</th><th>Loss Type</th><th class=n>Total Paid</th>"
            "<th class=n>Total Reserves</th><th class=n>Total Recovery</th>"
            "<th class=n>Total Incurred</th></tr>")  # fmt: skip
    claims = []
    for term in report.terms:
        body.append(f"<h2>Policy Number: {term.policy_number} &nbsp; Policy Period: "
                    f"{spelled(term.start.isoformat())} to {spelled(term.end.isoformat())}</h2>")  # fmt: skip
        rows = []
        for c in term.claims:
            v, t = c.values, c.totals
            amounts = (t["paid_total"], t["reserves"], -t["recoveries"], t["total_incurred"])
            rows.append(
                f"<tr class=c><td>{v['claim_number']}</td><td>{e(v['claimant'])}</td>"
                f"<td>{short(v['date_of_loss'])}</td><td>{short(v['date_reported'])}</td>"
                f"<td>{STATUS_WORDS[v['status']]}</td><td>{e(v['cause_of_loss'])}</td>"
                + "".join(f"<td class=n>{money(x)}</td>" for x in amounts)
                + f"</tr><tr><td colspan=10 class=d>Accident Description: {e(v['description'])}</td></tr>"
                f"<tr><td colspan=10 class=d>Claim Rep: {e(v['adjuster'])} &nbsp;&nbsp; "
                f"Phone: 800-555-01{len(v['adjuster']):02d}</td></tr>"
            )
            claims.append(expected(
                c, printed, status_as_printed=STATUS_WORDS[v["status"]],
                recoveries=f"{-t['recoveries']:.2f}" if t["recoveries"] else "0.00",
            ))  # fmt: skip
        body.append(f"<table><thead>{head}</thead><tbody>{''.join(rows)}</tbody></table>")
    css = (" td.d { padding-left: 14pt; color: #333; } tr.c td { border-top: 0.3pt solid #bbb; }"
           " table.s { width: 75%; margin-bottom: 8pt; } tr { break-inside: avoid; }")  # fmt: skip
    html = document("".join(body), css=css, top=f"{report.carrier} Loss Run", bottom=NOTICE)
    return Sample("summary_first_numeric", html, claims, term_truth(report), report)


def dt_date(value: str):
    import datetime as dt

    return dt.date.fromisoformat(value)


def package_lines() -> Sample:
    """A package policy per year with a section per line of business, each its own table with
    its own columns: general liability (claimant, cause, paid, reserve, incurred) and
    commercial auto (driver, BI paid, PD paid, expense, reserve, subrogation, incurred); a
    total per line and per policy; '$' amounts, '($1,234.00)' recoveries; 'Evaluated as of'."""
    report = make_report(seed=113, carrier="Tri-County Mutual Insurance Company", prefix="PKG",
                         years=2, per_term=[9, 10], driver=True)  # fmt: skip
    gl_printed = {"policy_number", "term_start", "term_end", "claim_number", "claimant",
                  "date_of_loss", "date_reported", "status", "status_as_printed", "cause_of_loss",
                  "paid_total", "reserves", "total_incurred"}  # fmt: skip
    auto_printed = {"policy_number", "term_start", "term_end", "claim_number", "driver",
                    "date_of_loss", "date_reported", "status", "status_as_printed",
                    "paid_indemnity", "paid_expense", "reserves", "recoveries",
                    "total_incurred"}  # fmt: skip

    def money(x: Decimal) -> str:
        return f"(${-x:,.2f})" if x < 0 else f"${x:,.2f}"

    gl_head = ("<tr><th>Claim Number</th><th>Claimant</th><th>Date of Loss</th><th>Reported</th>"
               "<th>Status</th><th>Cause of Loss</th><th class=n>Total Paid</th>"
               "<th class=n>Reserve</th><th class=n>Total Incurred</th></tr>")  # fmt: skip
    auto_head = ("<tr><th>Claim Number</th><th>Driver</th><th>Date of Loss</th><th>Reported</th>"
                 "<th>Status</th><th class=n>BI Paid</th><th class=n>PD Paid</th>"
                 "<th class=n>Expense Paid</th><th class=n>Reserve</th><th class=n>Subrogation</th>"
                 "<th class=n>Total Incurred</th></tr>")  # fmt: skip
    body = [f"<h1>{e(report.carrier)}</h1><p>Named Insured: {e(report.insured)}</p>"
            f"<p>Evaluated as of {report.valuation_date:%m/%d/%Y}</p>"]  # fmt: skip
    claims = []
    for term in report.terms:
        body.append(f"<h2>Policy Number: {e(term.policy_number)} &nbsp; Policy Period: "
                    f"{term.start:%m/%d/%Y} to {term.end:%m/%d/%Y} &nbsp; Package</h2>")  # fmt: skip
        half = len(term.claims) // 2
        gl, auto = term.claims[:half], term.claims[half:]
        rows, incurred = [], ZERO
        for c in gl:
            v, t = c.values, c.totals
            gross = t["paid_total"] + t["reserves"]
            incurred += gross
            rows.append(
                f"<tr><td>{e(v['claim_number'])}</td><td>{e(v['claimant'])}</td>"
                f"<td>{day_us(v['date_of_loss'])}</td><td>{day_us(v['date_reported'])}</td>"
                f"<td>{e(v['status_as_printed'])}</td><td>{e(v['cause_of_loss'])}</td>"
                + "".join(
                    f"<td class=n>{money(x)}</td>" for x in (t["paid_total"], t["reserves"], gross)
                )
                + "</tr>"
            )
            claims.append(expected(c, gl_printed, total_incurred=f"{gross:.2f}"))
        rows.append(f"<tr class=t><td colspan=8>Total General Liability ({len(gl)} claims)</td>"
                    f"<td class=n>{money(incurred)}</td></tr>")  # fmt: skip
        body.append("<h3>Line of Business: General Liability</h3>"
                    f"<table><thead>{gl_head}</thead><tbody>{''.join(rows)}</tbody></table>")  # fmt: skip
        rows, auto_incurred = [], ZERO
        for c in auto:
            v, t = c.values, c.totals
            bi, pd = split(t["paid_indemnity"] + t["paid_medical"], "0.5")
            auto_incurred += t["total_incurred"]
            amounts = (
                bi,
                pd,
                t["paid_expense"],
                t["reserves"],
                -t["recoveries"],
                t["total_incurred"],
            )
            rows.append(
                f"<tr><td>{e(v['claim_number'])}</td><td>{e(v['driver'])}</td>"
                f"<td>{day_us(v['date_of_loss'])}</td><td>{day_us(v['date_reported'])}</td>"
                f"<td>{e(v['status_as_printed'])}</td>"
                + "".join(f"<td class=n>{money(x)}</td>" for x in amounts)
                + "</tr>"
            )
            claims.append(expected(c, auto_printed, paid_indemnity=f"{bi + pd:.2f}",
                                   recoveries=f"{-t['recoveries']:.2f}"))  # fmt: skip
        rows.append(f"<tr class=t><td colspan=10>Total Commercial Auto ({len(auto)} claims)</td>"
                    f"<td class=n>{money(auto_incurred)}</td></tr>")  # fmt: skip
        body.append("<h3>Line of Business: Commercial Auto</h3>"
                    f"<table><thead>{auto_head}</thead><tbody>{''.join(rows)}</tbody></table>"
                    f"<p class=t>Total Policy {e(term.policy_number)}: {len(term.claims)} claims &nbsp; "
                    f"Total Incurred {money(incurred + auto_incurred)}</p>")  # fmt: skip
    css = " tr.t td, p.t { font-weight: bold; } h3 { font-size: 9pt; margin: 6pt 0 2pt 0; }"
    html = document("".join(body), css=css, bottom=NOTICE)
    return Sample("package_lines", html, claims, term_truth(report), report)


def day_us(value: str) -> str:
    return f"{dt_date(value):%m/%d/%Y}"
