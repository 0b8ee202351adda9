"""What an extraction returns: claims with their source boxes, terms with printed totals, warnings."""

from __future__ import annotations

from dataclasses import dataclass, field

# The claim keys of `extract_loss_run --json`, in this order (the issue fixes them).
CLAIM_KEYS = (
    "policy_number", "term_start", "term_end", "claim_number", "claimant", "date_of_loss",
    "date_reported", "date_closed", "status", "status_as_printed", "cause_of_loss", "description",
    "adjuster", "driver", "paid_indemnity", "paid_medical", "paid_expense", "paid_total",
    "recoveries", "reserves", "total_incurred", "page",
)  # fmt: skip

Box = tuple[int, float, float, float, float]  # page, x0, top, x1, bottom (points)


@dataclass
class ExtractedClaim:
    values: dict[str, str] = field(default_factory=dict)
    page: int = 0
    boxes: list[Box] = field(default_factory=list)
    flags: list[str] = field(default_factory=list)
    doubtful: set[str] = field(default_factory=set)  # fields read with low OCR confidence
    explicit_term: bool = False  # the policy / term came from the claim's own cells
    pending: dict[str, str] = field(default_factory=dict)  # unreadable cell text, may wrap on

    def get(self, key: str) -> str:
        return self.values.get(key, "")

    def as_json(self) -> dict[str, object]:
        out: dict[str, object] = {key: self.values.get(key, "") for key in CLAIM_KEYS}
        out["page"] = self.page
        return out

    @property
    def label(self) -> str:
        return self.get("claim_number") or f"the claim on page {self.page}"


@dataclass
class ExtractedTerm:
    policy_number: str
    term_start: str
    term_end: str
    no_claims: bool = False
    printed: dict[str, str] = field(default_factory=dict)  # totals as the carrier printed them
    extracted: dict[str, str] = field(default_factory=dict)  # the same sums over our claims
    mismatches: list[str] = field(default_factory=list)
    claim_count: int = 0

    @property
    def key(self) -> tuple[str, str, str]:
        return (self.policy_number, self.term_start, self.term_end)

    @property
    def reconciled(self) -> bool | None:
        """True when every printed total matches, None when the carrier printed none."""
        if not self.printed:
            return None
        return not self.mismatches


@dataclass
class Extraction:
    claims: list[ExtractedClaim] = field(default_factory=list)
    terms: list[ExtractedTerm] = field(default_factory=list)
    warnings: list[str] = field(default_factory=list)
    carrier: str = ""
    insured: str = ""
    valuation_date: str = ""
    pages: int = 0
    page_sizes: list[tuple[float, float]] = field(default_factory=list)  # points, per page
    ocr_pages: list[int] = field(default_factory=list)
    grand_totals: dict[str, str] = field(default_factory=dict)
    incurred_convention: str = ""

    def as_json(self) -> dict[str, object]:
        """{"claims", "terms", "warnings"}: report facts ride on each term (one report, one carrier)."""
        return {
            "claims": [claim.as_json() for claim in self.claims],
            "terms": [
                {
                    "policy_number": t.policy_number,
                    "term_start": t.term_start,
                    "term_end": t.term_end,
                    "carrier": self.carrier,
                    "insured": self.insured,
                    "valuation_date": self.valuation_date,
                    "no_claims": t.no_claims,
                    "claim_count": t.claim_count,
                    "printed_totals": dict(t.printed),
                    "extracted_totals": dict(t.extracted),
                    "reconciled": t.reconciled,
                    "mismatches": list(t.mismatches),
                }
                for t in self.terms
            ],
            "warnings": list(self.warnings),
        }
