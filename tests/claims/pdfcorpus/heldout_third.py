"""A third held-out round, measured before any rule changed for it: a fixed-width text report
(columns aligned by spaces, dashed rules under the header) and a table whose cells stack two
fields (Claim Number over Claimant, Loss Date over Report Date, Paid over Reserve)."""

from __future__ import annotations

from decimal import Decimal

from tests.claims.pdfcorpus.heldout_tables import CODES, LEGEND, last_first, spaced_policies, total
from tests.claims.pdfcorpus.html import as_printed, day, document, e, signed
from tests.claims.pdfcorpus.truth import expected, make_report
from tests.claims.pdfcorpus.types import Sample, term_truth

ZERO = Decimal("0.00")
WIDTHS = (15, 22, 10, 10, 3, 13, 13, 13, 13)


def _fixed(cells: tuple[str, ...]) -> str:
    """Cells padded to the report's widths: text left, amounts right, two spaces apart."""
    out = []
    for n, (text, width) in enumerate(zip(cells, WIDTHS, strict=True)):
        out.append(text.rjust(width) if n >= 5 else text.ljust(width))
    return "  ".join(out).rstrip()


def fixed_width_text() -> Sample:
    """A mainframe listing in a monospace font: columns aligned by spaces, a dashed rule under
    the header (on the first page only), 'POLICY: GL 123456  TERM: a TO b' lines, amounts with
    a trailing minus, 'POLICY TOTAL' and 'REPORT TOTAL' lines, a legend of status codes."""
    report = spaced_policies(make_report(seed=83, carrier="CONTINENTAL SHORES INSURANCE COMPANY",
                                         prefix="GL", years=3, per_term=[11, 9, 0]))  # fmt: skip
    report.insured = report.insured.upper()
    printed = {"policy_number", "term_start", "term_end", "claim_number", "claimant",
               "date_of_loss", "date_reported", "status", "status_as_printed", "paid_total",
               "recoveries", "reserves", "total_incurred"}  # fmt: skip
    keys = ("paid_total", "recoveries", "reserves", "total_incurred")

    def money(values: dict[str, Decimal]) -> tuple[str, ...]:
        return tuple(
            signed(-values[k] if k == "recoveries" else values[k], negative="trail") for k in keys
        )

    lines = [report.carrier, f"LOSS RUN FOR: {report.insured}",
             f"VALUED AS OF {day(report.valuation_date.isoformat(), 'us')}", "",
             _fixed(("CLAIM NUMBER", "CLAIMANT", "LOSS DATE", "RPT DATE", "ST", "PAID",
                     "RECOVERY", "RESERVE", "INCURRED")),
             _fixed(tuple("-" * w for w in WIDTHS))]  # fmt: skip
    claims = []
    grand = dict.fromkeys(keys, ZERO)
    for term in report.terms:
        lines += ["", f"POLICY: {term.policy_number}   TERM: {day(term.start.isoformat(), 'us')} TO "
                      f"{day(term.end.isoformat(), 'us')}"]  # fmt: skip
        if not term.claims:
            lines.append("   ** NO LOSSES REPORTED **")
            continue
        for c in term.claims:
            v = c.values
            lines.append(_fixed((v["claim_number"], last_first(c).upper(), day(v["date_of_loss"], "us"),
                                 day(v["date_reported"], "us"), CODES[v["status"]], *money(c.totals))))  # fmt: skip
            truth = {k: as_printed(c.totals[k], "0.00") for k in keys}
            truth["recoveries"] = as_printed(-c.totals["recoveries"], "0.00")
            claims.append(expected(c, printed, claimant=last_first(c).upper(),
                                   status_as_printed=CODES[v["status"]], **truth))  # fmt: skip
        sums = {k: total(term, k) for k in keys}
        for key in keys:
            grand[key] += sums[key]
        lines.append(_fixed(("POLICY TOTAL", "", "", "", "", *money(sums))))
    lines += ["", _fixed(("REPORT TOTAL", "", "", "", "", *money(grand))), "",
              f"STATUS: {LEGEND.upper()}"]  # fmt: skip
    body = f"<pre>{e(chr(10).join(lines))}</pre>"
    css = "pre { font: 7pt 'DejaVu Sans Mono', monospace; margin: 0; }"
    html = document(body, css=css)
    return Sample("fixed_width_text", html, claims, term_truth(report), report)


def stacked_cells() -> Sample:
    """Cells that stack two fields, under headers that stack their two labels: Claim Number
    over Claimant, Loss Date over Report Date, Status over Date Closed, Paid over Recovery,
    Reserve over Incurred; dates as Jan 5, 2024; zero as '0.00'; term headings and totals."""
    report = make_report(seed=89, carrier="Heartland Farm Mutual Insurance", prefix="FP",
                         years=2, per_term=[9, 10])  # fmt: skip
    printed = {"policy_number", "term_start", "term_end", "claim_number", "claimant",
               "date_of_loss", "date_reported", "date_closed", "status", "status_as_printed",
               "cause_of_loss", "paid_total", "recoveries", "reserves", "total_incurred"}  # fmt: skip
    head = ("<tr><th>Claim Number<br>Claimant</th><th>Loss Date<br>Report Date</th>"
            "<th>Status<br>Date Closed</th><th>Cause of Loss</th><th class=n>Paid<br>Recovery</th>"
            "<th class=n>Reserve<br>Incurred</th></tr>")  # fmt: skip
    body = [f"<h1>{e(report.carrier)}</h1><p>Named Insured: {e(report.insured)}</p>"
            f"<p>Valued as of: {day(report.valuation_date.isoformat(), 'month')}</p>"]  # fmt: skip
    claims = []
    for term in report.terms:
        body.append(f"<h2>Policy Number: {e(term.policy_number)} &nbsp; Policy Period: "
                    f"{day(term.start.isoformat(), 'us')} - {day(term.end.isoformat(), 'us')}</h2>")  # fmt: skip
        rows = []
        for c in term.claims:
            v, t = c.values, c.totals
            rows.append(
                f"<tr><td>{e(v['claim_number'])}<br>{e(v['claimant'])}</td>"
                f"<td>{day(v['date_of_loss'], 'month')}<br>{day(v['date_reported'], 'month')}</td>"
                f"<td>{e(v['status_as_printed'])}<br>{day(v['date_closed'], 'month')}</td>"
                f"<td>{e(v['cause_of_loss'])}</td>"
                f"<td class=n>{signed(t['paid_total'])}<br>{signed(-t['recoveries'], negative='parens')}</td>"
                f"<td class=n>{signed(t['reserves'])}<br>{signed(t['total_incurred'])}</td></tr>"
            )
            claims.append(expected(c, printed, recoveries=as_printed(-t["recoveries"], "0.00")))
        rows.append(
            f"<tr class=t><td colspan=4>Policy Period Total</td>"
            f"<td class=n>{signed(total(term, 'paid_total'))}<br>{signed(-total(term, 'recoveries'), negative='parens')}</td>"
            f"<td class=n>{signed(total(term, 'reserves'))}<br>{signed(total(term, 'total_incurred'))}</td></tr>"
        )
        body.append(f"<table><thead>{head}</thead><tbody>{''.join(rows)}</tbody></table>")
    # A row kept whole on its page: WeasyPrint would otherwise print a status on one page and
    # its claim number on the next, which no carrier's report does.
    css = ("td { border-bottom: 0.4pt solid #ccc; padding: 3pt 6pt; } tr.t td { font-weight: bold; }"
           " tr { break-inside: avoid; }")  # fmt: skip
    html = document("".join(body), css=css, bottom=f"{report.carrier} loss run")
    return Sample("stacked_cells", html, claims, term_truth(report), report)
