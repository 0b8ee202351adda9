"""An insured's loss summary, computed in the database with aggregates.

Definitions (shown on the page and in the PDF):
- The *current* version of a term is the one in the newest-valued report that covers it
  (same carrier, policy number and start date); older valuations only feed reserve movement.
- paid = indemnity + medical + expense - recoveries; incurred = paid + reserves.
- loss ratio = incurred / subject premium, "n/a" when the premium is zero or unknown; the
  total's ratio uses only terms with a premium.
- frequency = claims per policy year on file, and claims per $1M of subject premium;
  severity = incurred per claim.
- a large loss is a claim whose incurred is at least the agency's threshold (default 25%)
  of its term's subject premium; report lag = date reported - date of loss, flagged > 30 days.
- reserve movement compares, per carrier, the claims found in both of its two newest
  valuations (same normalised claim number): newer reserves against older reserves.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field
from decimal import ROUND_HALF_UP, Decimal

from django.db.models import (
    Count,
    DecimalField,
    ExpressionWrapper,
    F,
    Q,
    Sum,
    Value,
)
from django.db.models.functions import Abs, Coalesce

from accounts.models import Agency
from accounts.tenancy import scoped
from claims import rules
from claims.charts import BarChart, bar_chart
from claims.models import MONEY, Claim, LossRunReport, ReportTerm
from vault.models import Insured

ZERO = Decimal("0.00")
LATE_REPORT_DAYS = 30
# What the claim lists show (claims/_claim_rows.html): no descriptions, no ids of other rows.
LISTED_FIELDS = (
    "claim_number", "claimant", "term_id", "date_of_loss",
    "date_reported", "status", "cause_of_loss", "paid_indemnity", "paid_medical", "paid_expense",
    "recoveries", "reserves", "total_incurred",
)  # fmt: skip
LIST_LIMIT = 100
MONEY_FIELD = DecimalField(**MONEY)
PAID = ExpressionWrapper(rules.PAID_EXPRESSION, output_field=MONEY_FIELD)
OPEN_Q = Q(status__in=Claim.OPEN_STATUSES)
LATE_Q = Q(report_lag_days__gt=LATE_REPORT_DAYS)


def ratio(numerator: Decimal | None, denominator: Decimal | None) -> Decimal | None:
    """numerator / denominator as a percentage to one decimal, or None (shown 'n/a')."""
    if numerator is None or not denominator:
        return None
    return (numerator * 100 / denominator).quantize(Decimal("0.1"), rounding=ROUND_HALF_UP)


def money(value: Decimal | None) -> str:
    return "n/a" if value is None else f"${value:,.0f}"


def percent(value: Decimal | None) -> str:
    return "n/a" if value is None else f"{value}%"


@dataclass
class TermRow:
    term: ReportTerm
    carrier_name: str
    valuation_date: dt.date | None
    claim_count: int = 0
    open_count: int = 0
    late_count: int = 0
    large_count: int = 0
    paid: Decimal = ZERO
    reserves: Decimal = ZERO
    incurred: Decimal = ZERO

    @property
    def premium(self) -> Decimal | None:
        return self.term.subject_premium

    @property
    def loss_ratio(self) -> Decimal | None:
        return ratio(self.incurred, self.premium)

    @property
    def label(self) -> str:
        return self.term.label


@dataclass
class Totals:
    years: int = 0
    claim_count: int = 0
    open_count: int = 0
    late_count: int = 0
    paid: Decimal = ZERO
    reserves: Decimal = ZERO
    incurred: Decimal = ZERO
    premium: Decimal = ZERO
    incurred_with_premium: Decimal = ZERO
    claims_with_premium: int = 0

    @property
    def loss_ratio(self) -> Decimal | None:
        return ratio(self.incurred_with_premium, self.premium)

    @property
    def claims_per_year(self) -> Decimal | None:
        if not self.years:
            return None
        return (Decimal(self.claim_count) / self.years).quantize(Decimal("0.1"), ROUND_HALF_UP)

    @property
    def claims_per_million(self) -> Decimal | None:
        if not self.premium:
            return None
        per = Decimal(self.claims_with_premium) * 1_000_000 / self.premium
        return per.quantize(Decimal("0.1"), ROUND_HALF_UP)

    @property
    def severity(self) -> Decimal | None:
        if not self.claim_count:
            return None
        return (self.incurred / self.claim_count).quantize(Decimal("0.01"), ROUND_HALF_UP)


@dataclass
class Movement:
    claim_number: str
    carrier_name: str
    status: str
    older_valuation: dt.date
    older_reserves: Decimal
    newer_valuation: dt.date
    newer_reserves: Decimal

    @property
    def change(self) -> Decimal:
        return self.newer_reserves - self.older_reserves

    @property
    def direction(self) -> str:
        if self.change > 0:
            return "rising"
        if self.change < 0:
            return "falling"
        return "unchanged"


@dataclass
class InsuredSummary:
    insured: Insured
    threshold_pct: int
    rows: list[TermRow]
    totals: Totals
    large_losses: list[Claim]
    open_claims: list[Claim]
    late_claims: list[Claim]
    movement: Movements
    carriers: list[str]
    valuations: list[tuple[str, dt.date]] = field(default_factory=list)

    @property
    def movements(self) -> list[Movement]:
        return self.movement.rows

    @property
    def rising(self) -> int:
        return self.movement.rising

    @property
    def falling(self) -> int:
        return self.movement.falling

    @property
    def terms_without_premium(self) -> list[str]:
        """Terms whose subject premium is not entered: their large losses cannot be computed."""
        return [r.label for r in self.rows if not r.term.no_prior_coverage and not r.premium]

    @property
    def large_losses_computable(self) -> bool:
        """A large loss is measured against its term's premium: at least one must be entered."""
        return any(r.premium for r in self.rows if not r.term.no_prior_coverage)

    @property
    def incurred_chart(self) -> BarChart:
        return bar_chart(
            title="Incurred by term",
            items=[(r.label, r.incurred) for r in self.rows if not r.term.no_prior_coverage],
            fmt=money,
        )

    @property
    def loss_ratio_chart(self) -> BarChart:
        return bar_chart(
            title="Loss ratio by term",
            items=[(r.label, r.loss_ratio) for r in self.rows if not r.term.no_prior_coverage],
            fmt=percent,
            reference=Decimal(60),
            reference_text="60%",
        )


def current_terms(
    *, agency: Agency, insured: Insured
) -> list[tuple[ReportTerm, str, dt.date | None]]:
    """(term, carrier name, valuation date) for the newest version of each term, oldest first."""
    terms = (
        scoped(ReportTerm, agency)
        .filter(insured=insured)
        .select_related("report__carrier")
        .order_by("term_start", "policy_number", "-report__valuation_date", "-id")
    )
    chosen: dict[tuple, tuple[ReportTerm, str, dt.date | None]] = {}
    for term in terms:  # terms, not claims: a few dozen rows at most
        if term.no_prior_coverage:
            chosen[("npc", term.pk)] = (term, "No prior coverage", None)
            continue
        key = (term.report.carrier_id, term.policy_number.upper(), term.term_start, term.line)
        if key not in chosen:
            chosen[key] = (term, term.report.carrier.legal_name, term.report.valuation_date)
    return sorted(chosen.values(), key=lambda found: (found[0].term_start, found[1]))


def insured_summary(*, agency: Agency, insured: Insured) -> InsuredSummary:
    threshold = Decimal(agency.large_loss_threshold_pct)
    terms = current_terms(agency=agency, insured=insured)
    rows = [TermRow(term=t, carrier_name=name, valuation_date=val) for t, name, val in terms]
    by_id = {row.term.pk: row for row in rows}
    term_ids = list(by_id)
    claims = scoped(Claim, agency).filter(term_id__in=term_ids)
    # Each term's large-loss threshold is known here, so the test needs no join to the term.
    large_q = Q(pk__in=[])  # matches nothing until a term with a premium is added
    has_premium = False
    for row in rows:
        if row.premium and row.premium > 0:
            limit = (row.premium * threshold / 100).quantize(Decimal("0.01"), ROUND_HALF_UP)
            large_q |= Q(term_id=row.term.pk, total_incurred__gte=limit)
            has_premium = True

    aggregates = claims.values("term_id").annotate(
        n=Count("id"),
        open=Count("id", filter=OPEN_Q),
        late=Count("id", filter=LATE_Q),
        large=Count("id", filter=large_q),
        paid=Coalesce(Sum(PAID), Value(ZERO), output_field=MONEY_FIELD),
        reserves=Coalesce(Sum("reserves"), Value(ZERO), output_field=MONEY_FIELD),
        incurred=Coalesce(Sum("total_incurred"), Value(ZERO), output_field=MONEY_FIELD),
    )
    totals = Totals()
    for agg in aggregates.order_by():
        row = by_id[agg["term_id"]]
        row.claim_count, row.open_count = agg["n"], agg["open"]
        row.late_count, row.large_count = agg["late"], agg["large"]
        row.paid, row.reserves, row.incurred = agg["paid"], agg["reserves"], agg["incurred"]

    years = set()
    for row in rows:
        if not row.term.no_prior_coverage:  # no policy, no exposure: not a year of history
            years.add(row.term.term_start.year)
        totals.claim_count += row.claim_count
        totals.open_count += row.open_count
        totals.late_count += row.late_count
        totals.paid += row.paid
        totals.reserves += row.reserves
        totals.incurred += row.incurred
        if row.premium:
            totals.premium += row.premium
            totals.incurred_with_premium += row.incurred
            totals.claims_with_premium += row.claim_count
    totals.years = len(years)

    listed = claims.only(*LISTED_FIELDS).order_by()

    def top(condition: Q, *order: str) -> list[Claim]:
        found = list(listed.filter(condition).order_by(*order)[:LIST_LIMIT])
        for claim in found:  # the term is already loaded: no join, no query per claim
            claim.term = by_id[claim.term_id].term
        return found

    large_losses = top(large_q, "-total_incurred", "id") if has_premium else []
    open_claims = top(OPEN_Q, "-reserves", "id")
    late_claims = top(LATE_Q, "date_of_loss", "id")

    carriers = sorted({name for _, name, val in terms if val is not None})
    valuations = [
        (r.carrier.legal_name, r.valuation_date)
        for r in scoped(LossRunReport, agency)
        .filter(insured=insured)
        .select_related("carrier")
        .order_by("-valuation_date", "id")
    ]
    return InsuredSummary(
        insured=insured,
        threshold_pct=agency.large_loss_threshold_pct,
        rows=rows,
        totals=totals,
        large_losses=large_losses,
        open_claims=open_claims,
        late_claims=late_claims,
        movement=reserve_movements(agency=agency, insured=insured),
        carriers=carriers,
        valuations=valuations,
    )


@dataclass
class Movements:
    rows: list[Movement]
    total: int = 0
    rising: int = 0
    falling: int = 0


def reserve_movements(*, agency: Agency, insured: Insured, limit: int = LIST_LIMIT) -> Movements:
    """Claims in both of a carrier's two newest valuations: newer reserves vs older reserves.

    Counts come from one aggregate; the listed rows (largest change first) from one query.
    A claim is the same claim when carrier and normalised claim number match.
    """
    newest: dict[int, list[tuple[int, dt.date]]] = {}
    names: dict[int, str] = {}
    for report_id, carrier_id, valued, name in (
        scoped(LossRunReport, agency)
        .filter(insured=insured)
        .order_by("carrier_id", "-valuation_date", "-id")
        .values_list("id", "carrier_id", "valuation_date", "carrier__legal_name")
    ):  # reports, not claims: a handful of rows
        names[report_id] = name
        if len(newest.setdefault(carrier_id, [])) < 2:
            newest[carrier_id].append((report_id, valued))
    pairs = {
        found[0][0]: (found[1][0], found[1][1], found[0][1])
        for found in newest.values()
        if len(found) == 2
    }
    if not pairs:
        return Movements(rows=[])
    # prior_reserves is set on the newest report's claims only (services.movement_refresh).
    qs = scoped(Claim, agency).filter(
        insured=insured, report_id__in=list(pairs), prior_reserves__isnull=False
    )
    counts = qs.aggregate(
        total=Count("id"),
        rising=Count("id", filter=Q(reserves__gt=F("prior_reserves"))),
        falling=Count("id", filter=Q(reserves__lt=F("prior_reserves"))),
    )
    listed = (
        qs.exclude(reserves=F("prior_reserves"))
        .annotate(change=Abs(F("reserves") - F("prior_reserves"), output_field=MONEY_FIELD))
        .order_by("-change", "claim_number")
        .values_list(
            "claim_number",
            "report_id",
            "status",
            "prior_reserves",
            "reserves",
        )
    )
    rows = [
        Movement(
            claim_number=number,
            carrier_name=names[report_id],
            status=status,
            older_valuation=pairs[report_id][1],
            older_reserves=old_res,
            newer_valuation=pairs[report_id][2],
            newer_reserves=new_res,
        )
        for number, report_id, status, old_res, new_res in listed[:limit]
    ]
    return Movements(
        rows=rows, total=counts["total"], rising=counts["rising"], falling=counts["falling"]
    )
