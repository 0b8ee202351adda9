"""Held-out block layouts: claim cards with labels on the left and values on the right (one
pair a line, no colons), cards of two label/value columns with abbreviated labels, and
records printed on two rows under a two-row header."""

from __future__ import annotations

from decimal import Decimal

from tests.claims.pdfcorpus.heldout_tables import CODES, LEGEND, last_first, spaced_policies, total
from tests.claims.pdfcorpus.html import as_printed, day, document, e, signed
from tests.claims.pdfcorpus.truth import expected, make_report
from tests.claims.pdfcorpus.types import Sample, term_truth


def cards_left_labels() -> Sample:
    """Property: one card per claim, a label cell on the left and its value on the right,
    no colons, month-name dates, a description wrapping to two or three lines, date closed
    '-' while open, '($1,234.00)' recoveries, cards split by page breaks, a term summary."""
    report = make_report(seed=53, carrier="Silverline Property Insurance Company", prefix="CPP",
                         years=3, per_term=[4, 5, 4])  # fmt: skip
    printed = {"policy_number", "term_start", "term_end", "claim_number", "claimant",
               "date_of_loss", "date_reported", "date_closed", "status", "status_as_printed",
               "cause_of_loss", "description", "adjuster", "paid_indemnity", "paid_expense",
               "recoveries", "reserves", "total_incurred"}  # fmt: skip
    body = [f"<h1>{e(report.carrier)}</h1><p>Policyholder: {e(report.insured)}</p>"
            f"<p>Loss Run Date: {day(report.valuation_date.isoformat(), 'month')}</p>"]  # fmt: skip
    claims = []
    for term in report.terms:
        body.append(f"<h2>Policy No: {e(term.policy_number)} &nbsp; Policy Term: "
                    f"{day(term.start.isoformat(), 'month')} - {day(term.end.isoformat(), 'month')}</h2>")  # fmt: skip
        for c in term.claims:
            v, t = c.values, c.totals
            ind = t["paid_indemnity"] + t["paid_medical"]
            text = (f"{v['description']}. The adjuster inspected the premises and the insured "
                    "supplied photographs, invoices and a repair estimate from a local contractor")  # fmt: skip
            pairs = [
                ("Claim Number", v["claim_number"]), ("Claimant", v["claimant"]),
                ("Date of Accident", day(v["date_of_loss"], "month")),
                ("Date Reported", day(v["date_reported"], "month")),
                ("Date Closed", day(v["date_closed"], "month") or "-"),
                ("Status", v["status_as_printed"]), ("Cause of Loss", v["cause_of_loss"]),
                ("Description", text), ("Adjuster", v["adjuster"]),
                ("Indemnity Paid", signed(ind, dollar=True, zero="$0.00")),
                ("Expense Paid", signed(t["paid_expense"], dollar=True, zero="$0.00")),
                ("Recovery/Subro", signed(-t["recoveries"], negative="parens", dollar=True, zero="$0.00")),
                ("O/S Reserve", signed(t["reserves"], dollar=True, zero="$0.00")),
                ("Net Incurred", signed(t["total_incurred"], dollar=True, zero="$0.00")),
            ]  # fmt: skip
            rows = "".join(
                f"<tr><td class=l>{a}</td><td class=v>{e(b)}</td></tr>" for a, b in pairs
            )
            body.append(f"<table class=card>{rows}</table>")
            claims.append(expected(c, printed, description=text, paid_indemnity=f"{ind:.2f}",
                                   recoveries=as_printed(-t["recoveries"], "0.00")))  # fmt: skip
        body.append(f"<p class=s>Term Summary: {len(term.claims)} claims &nbsp; Total Incurred: "
                    f"{signed(total(term, 'total_incurred'), dollar=True)}</p>")  # fmt: skip
    css = (".card { width: 60%; margin: 0 0 8pt 0; border-top: 0.6pt solid #777; }"
           " td.l { width: 28%; color: #333; } td.v { width: 72%; } .s { font-weight: bold; }")  # fmt: skip
    html = document("".join(body), css=css, top=f"{report.carrier} | Property Loss Run",
                    bottom=f"{report.insured}")  # fmt: skip
    return Sample("cards_left_labels", html, claims, term_truth(report), report)


def cards_two_columns() -> Sample:
    """Auto: cards of two label/value columns with abbreviated labels and no colons (Clm #,
    Clmt, Loss Dt, Rpt Dt, Adj, Ind Pd, Med Pd, Exp Pd, Recovery, Reserve, Incurred), money
    right-aligned, status codes explained in a legend before the cards, a full-width
    description row that wraps, 'Policy: CA 123456  Term: a to b' headings, a grand total."""
    report = spaced_policies(make_report(seed=59, carrier="Blue Harbor Mutual Insurance", prefix="CA",
                                         years=2, per_term=[7, 8], driver=True))  # fmt: skip
    printed = {"policy_number", "term_start", "term_end", "claim_number", "claimant", "driver",
               "date_of_loss", "date_reported", "status", "status_as_printed", "cause_of_loss",
               "description", "adjuster", "paid_indemnity", "paid_medical", "paid_expense",
               "recoveries", "reserves", "total_incurred"}  # fmt: skip
    body = [f"<h1>{e(report.carrier)}</h1><p>Insured: {e(report.insured)}</p>"
            f"<p>Evaluation Date: {day(report.valuation_date.isoformat(), 'us')}</p>"
            f"<p>Status Codes: {LEGEND}</p>"]  # fmt: skip
    claims = []
    grand = Decimal("0.00")
    for term in report.terms:
        body.append(f"<h2>Policy: {e(term.policy_number)} &nbsp; Term: {day(term.start.isoformat(), 'us')}"
                    f" to {day(term.end.isoformat(), 'us')}</h2>")  # fmt: skip
        for c in term.claims:
            v, t = c.values, c.totals
            pairs = [
                ("Clm #", v["claim_number"], "Ind Pd", signed(t["paid_indemnity"])),
                ("Clmt", last_first(c), "Med Pd", signed(t["paid_medical"])),
                ("Driver", v["driver"], "Exp Pd", signed(t["paid_expense"])),
                ("Loss Dt", day(v["date_of_loss"], "us"), "Recovery", signed(-t["recoveries"], negative="parens")),
                ("Rpt Dt", day(v["date_reported"], "us"), "Reserve", signed(t["reserves"])),
                ("Status", CODES[v["status"]], "Incurred", signed(t["total_incurred"])),
                ("Cause", v["cause_of_loss"], "Adj", v["adjuster"]),
            ]  # fmt: skip
            rows = "".join(
                f"<tr><td class=l>{a}</td><td>{e(b)}</td><td class=l>{c_}</td><td class=n>{e(d)}</td></tr>"
                for a, b, c_, d in pairs
            )
            text = (
                f"{v['description']}; police report filed and photographs of both vehicles on file"
            )
            rows += f"<tr><td class=l>Loss Description</td><td colspan=3>{e(text)}</td></tr>"
            body.append(f"<table class=card>{rows}</table>")
            claims.append(expected(c, printed, claimant=last_first(c), description=text,
                                   status_as_printed=CODES[v["status"]],
                                   recoveries=as_printed(-t["recoveries"], "0.00")))  # fmt: skip
        grand += total(term, "total_incurred")
    body.append(f"<p><b>Grand Total Incurred: {signed(grand)}</b></p>")
    css = (".card { width: 70%; margin: 0 0 8pt 0; border: 0.6pt solid #999; }"
           " td.l { font-weight: bold; width: 14%; } td.n { width: 20%; }")  # fmt: skip
    html = document("".join(body), css=css, bottom=f"{report.carrier} - Auto Claims")
    return Sample("cards_two_columns", html, claims, term_truth(report), report)


def two_row_records() -> Sample:
    """GL: each claim printed on two rows under a two-row header (claim, claimant, dates and
    status above; cause, adjuster and money below), ISO dates, '-' for zero, recoveries as
    trailing minus, one term per page with the policy in the running header block."""
    report = make_report(seed=61, carrier="Granite Peak Assurance Co.", prefix="GL",
                         years=3, per_term=[10, 9, 0])  # fmt: skip
    printed = {"policy_number", "term_start", "term_end", "claim_number", "claimant",
               "date_of_loss", "date_reported", "date_closed", "status", "status_as_printed",
               "cause_of_loss", "adjuster", "paid_total", "recoveries", "reserves", "total_incurred"}  # fmt: skip
    keys = ("paid_total", "recoveries", "reserves", "total_incurred")
    head = ("<tr><th>Claim No</th><th>Claimant</th><th>Loss Date</th><th>Report Date</th>"
            "<th>Closed Date</th><th>Status</th></tr>"
            "<tr><th>Cause</th><th>Adjuster</th><th class=n>Paid</th><th class=n>Recoveries</th>"
            "<th class=n>Reserve</th><th class=n>Incurred</th></tr>")  # fmt: skip
    body = [f"<h1>{e(report.carrier)}</h1><p>Named Insured: {e(report.insured)}</p>"
            f"<p>Valuation Date: {day(report.valuation_date.isoformat(), 'iso')}</p>"]  # fmt: skip
    claims = []
    for n, term in enumerate(report.terms):
        brk = " style='break-before: page'" if n else ""
        body.append(f"<h2{brk}>Policy {e(term.policy_number)} &nbsp; Period {day(term.start.isoformat(), 'iso')}"
                    f" thru {day(term.end.isoformat(), 'iso')}</h2>")  # fmt: skip
        if not term.claims:
            body.append("<p>No Claims Reported</p>")
            continue
        rows = []
        for c in term.claims:
            v, t = c.values, c.totals
            money = "".join(
                f"<td class=n>{signed(-t[k] if k == 'recoveries' else t[k], negative='trail', zero='-')}</td>"
                for k in keys
            )
            rows.append(
                f"<tr class=a><td>{e(v['claim_number'])}</td><td>{e(v['claimant'])}</td>"
                f"<td>{day(v['date_of_loss'], 'iso')}</td><td>{day(v['date_reported'], 'iso')}</td>"
                f"<td>{day(v['date_closed'], 'iso')}</td><td>{e(v['status_as_printed'])}</td></tr>"
                f"<tr class=b><td>{e(v['cause_of_loss'])}</td><td>{e(v['adjuster'])}</td>{money}</tr>"
            )
            truth = {k: as_printed(t[k], "-") for k in keys}
            truth["recoveries"] = as_printed(-t["recoveries"], "-")
            claims.append(expected(c, printed, **truth))
        sums = "".join(
            f"<td class=n>{signed(-total(term, k) if k == 'recoveries' else total(term, k), negative='trail', zero='-')}</td>"
            for k in keys
        )
        rows.append(f"<tr class=t><td colspan=2>Policy Totals</td>{sums}</tr>")
        body.append(f"<table><thead>{head}</thead><tbody>{''.join(rows)}</tbody></table>")
    css = ("tr.a td { padding-top: 5pt; } tr.b td { border-bottom: 0.4pt solid #bbb; }"
           " tr.t td { font-weight: bold; } th { border-bottom: none; } td, th { width: 16%; }")  # fmt: skip
    html = document("".join(body), css=css, top=f"{report.carrier} loss run")
    return Sample("two_row_records", html, claims, term_truth(report), report)
