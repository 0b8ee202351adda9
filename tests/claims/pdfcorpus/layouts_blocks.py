"""Block layouts: claim cards of label/value pairs, labels above values, per-claim ledgers."""

from __future__ import annotations

from decimal import Decimal

from tests.claims.pdfcorpus.html import amount, document, e, us
from tests.claims.pdfcorpus.layouts_tables import _sum, _title
from tests.claims.pdfcorpus.truth import expected, make_report
from tests.claims.pdfcorpus.types import Sample, term_truth

CARD_CSS = """
.card { border: 0.6pt solid #888; padding: 4pt 6pt; margin: 0 0 6pt 0; }
.card table td { padding: 1pt 6pt 1pt 0; width: 25%; }
.card td.l { width: 12%; color: #333; }
.wrap { width: 55%; }
"""


def cards() -> Sample:
    """Auto: one card per claim, label: value pairs two per line, a description wrapped under
    its label's value, driver and adjuster, a section per term, "No claims" and summary lines."""
    report = make_report(seed=5, carrier="Ironbridge Casualty Company", prefix="CA",
                         years=4, per_term=[5, 7, 0, 6], driver=True)  # fmt: skip
    printed = {"policy_number", "term_start", "term_end", "claim_number", "claimant",
               "date_of_loss", "date_reported", "status", "status_as_printed", "cause_of_loss",
               "description", "adjuster", "driver", "paid_indemnity", "paid_medical",
               "paid_expense", "recoveries", "reserves", "total_incurred"}  # fmt: skip
    body = [_title(report, "Commercial Auto Loss Run", valued="Valuation Date")]
    claims = []
    for term in report.terms:
        body.append(f"<h2>Policy Number: {e(term.policy_number)} | Term: {us(term.start)} - "
                    f"{us(term.end)}</h2>")  # fmt: skip
        if not term.claims:
            body.append("<p>No losses reported during this term.</p>")
            continue
        for c in term.claims:
            v = c.values
            pairs = [
                ("Claim Number", v["claim_number"], "Status", v["status_as_printed"]),
                ("Date of Loss", us(v["date_of_loss"]), "Date Reported", us(v["date_reported"])),
                ("Driver", v["driver"], "Claimant", v["claimant"]),
                ("Cause of Loss", v["cause_of_loss"], "Adjuster", v["adjuster"]),
                ("Paid Indemnity", amount(v["paid_indemnity"], dollar=True),
                 "Paid Medical", amount(v["paid_medical"], dollar=True)),
                ("Paid Expense", amount(v["paid_expense"], dollar=True),
                 "Recoveries", amount(v["recoveries"], dollar=True)),
                ("Reserves", amount(v["reserves"], dollar=True),
                 "Total Incurred", amount(v["total_incurred"], dollar=True)),
            ]  # fmt: skip
            rows = "".join(
                f"<tr><td class=l>{a}:</td><td>{e(b)}</td><td class=l>{c_}:</td><td>{e(d)}</td></tr>"
                for a, b, c_, d in pairs
            )
            text = f"{v['description']}. Insured notified; investigation continues with the other party's carrier"
            rows += f"<tr><td class=l>Description:</td><td colspan=3 class=wrap>{e(text)}</td></tr>"
            body.append(f"<div class=card><table>{rows}</table></div>")
            claims.append(expected(c, printed, description=text))
        body.append(
            f"<p>Total claims: {len(term.claims)} &nbsp; Total Paid: "
            f"{amount(_sum(term, 'paid_total'), dollar=True)} &nbsp; Total Incurred: "
            f"{amount(_sum(term, 'total_incurred'), dollar=True)}</p>"
        )
    html = document("".join(body), css=CARD_CSS, bottom=f"{report.carrier} - auto loss run")
    return Sample("cards", html, claims, term_truth(report), report)


def stacked() -> Sample:
    """GL: labels printed above their values, two label rows per claim, a free-text
    description below, status "Pending" meaning open, header block per page."""
    report = make_report(seed=21, carrier="Meridian General Insurance", prefix="BOP",
                         years=3, per_term=[8, 6, 7])  # fmt: skip
    printed = {"policy_number", "term_start", "term_end", "claim_number", "claimant",
               "date_of_loss", "date_reported", "date_closed", "status", "status_as_printed",
               "cause_of_loss", "description", "paid_indemnity", "paid_expense", "paid_total",
               "recoveries", "reserves", "total_incurred"}  # fmt: skip
    body = [_title(report, "Loss Experience by Claim")]
    claims = []
    for term in report.terms:
        body.append(
            f"<h2>Policy {e(term.policy_number)} &nbsp; {us(term.start)} - {us(term.end)}</h2>"
        )
        for c in term.claims:
            v = c.values
            shown = "Pending" if v["status"] == "open" else v["status_as_printed"]
            one = [("Claim No.", v["claim_number"]), ("Claimant", v["claimant"]),
                   ("Loss Date", us(v["date_of_loss"])), ("Report Date", us(v["date_reported"])),
                   ("Closed Date", us(v["date_closed"])), ("Status", shown),
                   ("Cause", v["cause_of_loss"])]  # fmt: skip
            two = [("Indemnity Paid", amount(v["paid_indemnity"] if True else "")),
                   ("Expense Paid", amount(v["paid_expense"])),
                   ("Total Paid", amount(c.totals["paid_indemnity"] + c.totals["paid_expense"])),
                   ("Recovery", amount(v["recoveries"])), ("Reserve", amount(v["reserves"])),
                   ("Incurred", amount(c.totals["paid_indemnity"] + c.totals["paid_expense"]
                                       + c.totals["reserves"] - c.totals["recoveries"]))]  # fmt: skip
            block = "".join(
                "<table class=st><tr>"
                + "".join(f"<th>{a}</th>" for a, _ in part)
                + "</tr><tr>"
                + "".join(f"<td>{e(b)}</td>" for _, b in part)
                + "</tr></table>"
                for part in (one, two)
            )
            body.append(f"<div class=blk>{block}<p class=d>{e(v['description'])}</p></div>")
            paid = c.totals["paid_indemnity"] + c.totals["paid_expense"]
            inc = paid + c.totals["reserves"] - c.totals["recoveries"]
            claims.append(expected(c, printed, status_as_printed=shown, paid_total=f"{paid:.2f}",
                                   total_incurred=f"{inc:.2f}"))  # fmt: skip
    css = (".st th { border-bottom: none; font-weight: bold; font-size: 7pt; } .st td, .st th { width: 14%; }"
           ".blk { border-top: 0.6pt solid #999; padding-top: 3pt; margin-bottom: 4pt; }"
           ".d { margin: 2pt 0 0 5pt; }")  # fmt: skip
    html = document("".join(body), css=css, top=f"{report.carrier} | {report.insured}",
                    bottom="Loss experience by claim")  # fmt: skip
    return Sample("stacked", html, claims, term_truth(report), report)


def ledger() -> Sample:
    """Workers comp: a claim line, then a ledger of indemnity / medical / expense / recovery
    rows against paid, reserve and incurred, a claim total, term totals with premium."""
    report = make_report(seed=13, carrier="Cobalt Workers Compensation Fund", prefix="WC",
                         years=3, per_term=[7, 0, 9])  # fmt: skip
    printed = {"policy_number", "term_start", "term_end", "claim_number", "claimant",
               "date_of_loss", "date_reported", "date_closed", "status", "status_as_printed",
               "cause_of_loss", "adjuster", "paid_indemnity", "paid_medical", "paid_expense",
               "paid_total", "recoveries", "reserves", "total_incurred"}  # fmt: skip
    body = [_title(report, "Workers Compensation Loss Run")]
    claims = []
    zero = Decimal("0.00")
    for term in report.terms:
        body.append(
            f"<h2>Policy Period {us(term.start)} - {us(term.end)} &nbsp; Policy # {e(term.policy_number)}</h2>"
        )
        if not term.claims:
            body.append("<p>No claims for this policy period.</p>")
            continue
        for c in term.claims:
            v, t = c.values, c.totals
            split = {"paid_indemnity": zero, "paid_medical": zero}
            res_ind = t["reserves"]
            rows = [
                ("Indemnity", t["paid_indemnity"], res_ind),
                ("Medical", t["paid_medical"], zero),
                ("Expense", t["paid_expense"], zero),
                ("Recovery", -t["recoveries"], zero),
            ]
            del split
            ledger_rows = "".join(
                f"<tr><td style='padding-left:18pt'>{name}</td><td class=n>{amount(p, parens=True)}</td>"
                f"<td class=n>{amount(r)}</td><td class=n>{amount(p + r, parens=True)}</td></tr>"
                for name, p, r in rows
            )
            paid = t["paid_total"] - t["recoveries"]
            ledger_rows += (
                f"<tr><td style='padding-left:18pt'><b>Claim Total</b></td><td class=n>{amount(paid)}</td>"
                f"<td class=n>{amount(t['reserves'])}</td><td class=n>{amount(t['total_incurred'])}</td></tr>"
            )
            head = (f"<p class=c><b>Claim {e(v['claim_number'])}</b> &nbsp; Employee: {e(v['claimant'])}"
                    f" &nbsp; Injury Date: {us(v['date_of_loss'])} &nbsp; Reported: {us(v['date_reported'])}"
                    f" &nbsp; Status: {e(v['status_as_printed'])}"
                    + (f" &nbsp; Closed: {us(v['date_closed'])}" if v["date_closed"] else "")
                    + f"<br>Nature: {e(v['cause_of_loss'])} &nbsp; Examiner: {e(v['adjuster'])}</p>")  # fmt: skip
            body.append(head + "<table class=lg><tr><th>Category</th><th class=n>Paid</th>"
                        f"<th class=n>Reserve</th><th class=n>Incurred</th></tr>{ledger_rows}</table>")  # fmt: skip
            claims.append(expected(c, printed, recoveries=f"{-t['recoveries']:.2f}" if t["recoveries"] else "0.00",
                                   paid_total=f"{paid:.2f}"))  # fmt: skip
        body.append(
            f"<p><b>Policy Period Totals:</b> Claims: {len(term.claims)} &nbsp; Paid: "
            f"{amount(_sum(term, 'paid_total') - _sum(term, 'recoveries'))} &nbsp; Incurred: "
            f"{amount(_sum(term, 'total_incurred'))} &nbsp; Subject Premium: {amount(term.premium)}</p>"
        )
    css = ".lg { width: 55%; margin-bottom: 6pt; } .c { margin: 6pt 0 2pt 0; }"
    html = document("".join(body), css=css, top=f"{report.carrier} - {report.insured}",
                    bottom="Workers compensation loss run")  # fmt: skip
    return Sample("ledger", html, claims, term_truth(report), report)
