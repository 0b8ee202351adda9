"""Ground truth for the synthetic loss-run PDFs: seeded, invented claims (no real insured).

A `Report` holds terms, a term holds `TrueClaim`s. Each layout prints a subset of the
fields; `expected()` masks the rest to "" so the truth is exactly what the page shows.
"""

from __future__ import annotations

import datetime as dt
import random
from dataclasses import dataclass, field
from decimal import Decimal

KEYS = (
    "policy_number", "term_start", "term_end", "claim_number", "claimant", "date_of_loss",
    "date_reported", "date_closed", "status", "status_as_printed", "cause_of_loss", "description",
    "adjuster", "driver", "paid_indemnity", "paid_medical", "paid_expense", "paid_total",
    "recoveries", "reserves", "total_incurred", "page",
)  # fmt: skip

FIRST = ["Maria", "James", "Aisha", "Tomas", "Wei", "Olga", "Kwame", "Priya", "Liam", "Sofia"]
LAST = ["Alvarez", "Okafor", "Nguyen", "Schmidt", "Patel", "Kowalski", "Haddad", "Brennan"]
ADJUSTERS = ["R. Castillo", "D. Whitfield", "M. Osei", "K. Lindqvist"]
CAUSES = {
    "WD": "Water Damage", "FI": "Fire", "TH": "Theft", "WH": "Wind/Hail",
    "SF": "Slip and Fall", "AL": "Auto Liability", "ST": "Strain", "PD": "Property Damage",
}  # fmt: skip
SENTENCES = [
    "Customer slipped on a wet floor near the entrance and injured a wrist",
    "Pipe burst above the storage room overnight and soaked inventory on two shelves",
    "Insured vehicle rear-ended a stopped car at a traffic light; other driver complained of neck pain",
    "Employee strained lower back lifting boxes from a delivery pallet",
    "Break-in through the rear door; tools and a laptop were taken",
    "Hail dented the roof and broke two skylights",
    "Small kitchen fire spread to the hood and ceiling before it was put out",
    "Delivery van backed into a loading dock post",
]
STATUSES = ["open", "closed", "closed", "closed", "reopened", "denied", "subrogated"]


@dataclass
class TrueClaim:
    values: dict[str, str]
    totals: dict[str, Decimal]  # the amounts as numbers, for term totals


@dataclass
class Term:
    policy_number: str
    start: dt.date
    end: dt.date
    premium: Decimal
    claims: list[TrueClaim] = field(default_factory=list)


@dataclass
class Report:
    carrier: str
    insured: str
    valuation_date: dt.date
    terms: list[Term]


def money(amount: Decimal) -> str:
    return f"{amount:.2f}"


def make_report(*, seed: int, carrier: str, prefix: str, years: int, per_term: list[int],
                net_incurred: bool = True, driver: bool = False) -> Report:  # fmt: skip
    """Invented claims; `per_term[i]` claims in term i (0 gives a "no claims" term)."""
    rnd = random.Random(seed)
    terms = []
    first_year = 2026 - years
    for i in range(years):
        start = dt.date(first_year + i, 1 + (seed % 6), 1)
        end = start.replace(year=start.year + 1)
        policy = f"{prefix}-{rnd.randrange(100000, 999999)}"
        term = Term(
            policy, start, end, Decimal(rnd.randrange(40_000, 250_000)).quantize(Decimal("1.00"))
        )
        for n in range(per_term[i]):
            term.claims.append(_claim(rnd, term, n, prefix, net_incurred, driver))
        terms.append(term)
    return Report(carrier, "Harbor Lane Bakery LLC", dt.date(2026, 10, 30), terms)


def _cents(rnd: random.Random, high: int) -> Decimal:
    return Decimal(rnd.randrange(0, high * 100)) / 100 if rnd.random() < 0.8 else Decimal("0.00")


def _claim(rnd, term: Term, n: int, prefix: str, net: bool, driver: bool) -> TrueClaim:
    status = rnd.choice(STATUSES)
    dol = term.start + dt.timedelta(days=rnd.randrange(0, 360))
    reported = dol + dt.timedelta(days=rnd.randrange(0, 40))
    closed = (
        reported + dt.timedelta(days=rnd.randrange(20, 200))
        if status in ("closed", "denied")
        else None
    )
    ind = _cents(rnd, 40_000)
    med = _cents(rnd, 8_000)
    exp = _cents(rnd, 6_000)
    rec = Decimal(rnd.randrange(100, 300_000)) / 100 if status == "subrogated" else Decimal("0.00")
    reserves = (
        Decimal("0.00")
        if status in ("closed", "denied")
        else Decimal(rnd.randrange(1_000, 2_000_000)) / 100
    )
    if status == "denied":
        ind = med = Decimal("0.00")
    paid_total = ind + med + exp
    incurred = paid_total + reserves - (rec if net else Decimal("0.00"))
    code = rnd.choice(list(CAUSES))
    values = dict.fromkeys(KEYS, "")
    values.update(
        policy_number=term.policy_number,
        term_start=term.start.isoformat(),
        term_end=term.end.isoformat(),
        claim_number=f"{prefix}{term.start.year % 100:02d}-{rnd.randrange(10000, 99999)}-{n + 1:02d}",
        claimant=f"{rnd.choice(FIRST)} {rnd.choice(LAST)}",
        date_of_loss=dol.isoformat(),
        date_reported=reported.isoformat(),
        date_closed=closed.isoformat() if closed else "",
        status=status,
        status_as_printed=status.title(),
        cause_of_loss=CAUSES[code],
        description=rnd.choice(SENTENCES),
        adjuster=rnd.choice(ADJUSTERS),
        driver=f"{rnd.choice(FIRST)} {rnd.choice(LAST)}" if driver else "",
        paid_indemnity=money(ind),
        paid_medical=money(med),
        paid_expense=money(exp),
        paid_total=money(paid_total),
        recoveries=money(rec),
        reserves=money(reserves),
        total_incurred=money(incurred),
    )
    values["_cause_code"] = code
    amounts = {
        "paid_indemnity": ind, "paid_medical": med, "paid_expense": exp, "paid_total": paid_total,
        "recoveries": rec, "reserves": reserves, "total_incurred": incurred,
    }  # fmt: skip
    return TrueClaim(values, amounts)


def expected(claim: TrueClaim, printed: set[str], **overrides: str) -> dict[str, str]:
    """The claim as the layout prints it: fields not printed are ""; `page` is filled later."""
    out = {key: (claim.values[key] if key in printed else "") for key in KEYS}
    out.update(overrides)
    return out
