"""What a synthetic sample carries: its HTML, the claims and terms it prints, and its report."""

from __future__ import annotations

from dataclasses import dataclass

from tests.claims.pdfcorpus.truth import Report


@dataclass
class Sample:
    name: str
    html: str
    claims: list[dict[str, str]]
    terms: list[dict[str, object]]
    report: Report


def term_truth(report: Report) -> list[dict[str, object]]:
    return [
        {
            "policy_number": t.policy_number,
            "term_start": t.start.isoformat(),
            "term_end": t.end.isoformat(),
            "claim_count": len(t.claims),
        }
        for t in report.terms
    ]
