"""Checking an extraction: each term's claims summed against the carrier's printed totals, and
each claim's missing or doubtful fields. Every problem becomes a flag and a warning sentence.

Carriers print incurred net of recoveries or gross, with or without expense; the document's
own convention is the one most of its claims fit, and only claims that fit no known
convention are flagged.
"""

from __future__ import annotations

from collections import Counter
from decimal import Decimal

from claims import rules
from claims.extract.result import ExtractedClaim, Extraction

ZERO = Decimal("0")
REQUIRED = {"claim_number": "claim number", "date_of_loss": "date of loss", "status": "status"}


def _d(claim: ExtractedClaim, key: str) -> Decimal:
    value = claim.get(key)
    return Decimal(value) if value else ZERO


def conventions_of(claim: ExtractedClaim) -> frozenset[str] | None:
    """The incurred conventions this claim's amounts fit; None when it prints no incurred."""
    if not claim.get("total_incurred"):
        return None
    return rules.incurred_conventions(
        printed=_d(claim, "total_incurred"),
        indemnity=_d(claim, "paid_indemnity"),
        medical=_d(claim, "paid_medical"),
        expense=_d(claim, "paid_expense"),
        recoveries=abs(_d(claim, "recoveries")),
        reserves=_d(claim, "reserves"),
        paid_total=_d(claim, "paid_total") if claim.get("paid_total") else None,
    )


def check(result: Extraction) -> None:
    fits = {id(c): conventions_of(c) for c in result.claims}
    tally: Counter[str] = Counter()
    for found in fits.values():
        if found:
            tally.update(found)
    result.incurred_convention = rules.document_convention(tally)
    for claim in result.claims:
        for key, label in REQUIRED.items():
            if not claim.get(key):
                claim.flags.append(f"no {label} found")
        if not claim.get("term_start"):
            claim.flags.append("no policy term found")
        for key in sorted(claim.doubtful):
            claim.flags.append(f"{key.replace('_', ' ')} read by OCR with low confidence")
        found = fits[id(claim)]
        if found is not None and not found:
            claim.flags.append("total incurred is not paid + reserves under any known convention")
        dol, start, end = claim.get("date_of_loss"), claim.get("term_start"), claim.get("term_end")
        if dol and start and end and not start <= dol <= end:
            claim.flags.append("date of loss is outside the policy term")
        reported = claim.get("date_reported")
        if dol and reported and reported < dol:
            claim.flags.append("date reported is before the date of loss")
        if claim.get("status") in ("closed", "denied") and _d(claim, "reserves") != 0:
            claim.flags.append("closed claim still carries reserves")
        for flag in dict.fromkeys(claim.flags):
            result.warnings.append(f"Claim {claim.label} (page {claim.page}): {flag}.")
    _terms(result)


def _terms(result: Extraction) -> None:
    by_term: dict[tuple[str, str, str], list[ExtractedClaim]] = {}
    for claim in result.claims:
        key = (claim.get("policy_number"), claim.get("term_start"), claim.get("term_end"))
        by_term.setdefault(key, []).append(claim)
    for term in result.terms:
        claims = by_term.get(term.key, [])
        _compare(term.printed, claims, term.extracted, term.mismatches)
        if term.no_claims and claims:
            term.mismatches.append(f"printed as having no claims, but {len(claims)} were found")
        where = (
            f"{term.policy_number or 'policy ?'} {term.term_start or '?'} to {term.term_end or '?'}"
        )
        for mismatch in term.mismatches:
            result.warnings.append(f"Term {where}: {mismatch}.")
    if result.grand_totals:
        extracted: dict[str, str] = {}
        mismatches: list[str] = []
        _compare(result.grand_totals, result.claims, extracted, mismatches)
        result.warnings.extend(f"Report totals: {m}." for m in mismatches)


def _compare(printed: dict[str, str], claims: list[ExtractedClaim], extracted: dict[str, str],
             mismatches: list[str]) -> None:  # fmt: skip
    for key, value in printed.items():
        if key == "claim_count":
            extracted[key] = str(len(claims))
            if int(value) != len(claims):
                mismatches.append(f"{value} claims printed, {len(claims)} extracted")
            continue
        if key == "premium":
            continue
        total = sum((_d(c, key) for c in claims), ZERO)
        if key == "paid_total" and any(not c.get("paid_total") for c in claims):
            total = _paid_sum(claims, Decimal(value))
        if key == "recoveries" and Decimal(value) * total < 0:
            total = -total  # printed positive in the total, negative per claim (or the reverse)
        extracted[key] = f"{total:.2f}"
        if total != Decimal(value):
            mismatches.append(
                f"{key.replace('_', ' ')} printed {Decimal(value):,.2f}, extracted claims sum to {total:,.2f}"
            )


def _paid_sum(claims: list[ExtractedClaim], printed: Decimal) -> Decimal:
    """Total paid of claims printed without one: their split, gross or net of recoveries,
    whichever the carrier's total shows (gross when neither matches)."""
    gross = net = ZERO
    for c in claims:
        if c.get("paid_total"):
            gross += _d(c, "paid_total")
            net += _d(c, "paid_total")
            continue
        split = _d(c, "paid_indemnity") + _d(c, "paid_medical") + _d(c, "paid_expense")
        gross += split
        net += split - abs(_d(c, "recoveries"))
    return net if net == printed else gross
