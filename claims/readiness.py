"""Submission readiness: an insured's gaps as specific, fixable sentences.

- Years: the expected policy years are the `N` most recent ones up to the term in force
  today (its anniversary taken from the newest term on file, else January 1), where `N`
  is the largest `years_requested` of the insured's requests (5 when none). A year is on
  file when a report term or a no-prior-coverage attestation starts in it.
- Valuation: per carrier, the newest report's valuation date against the agency's rule
  (90 or 60 days). Stale when older than the rule; fresh until valuation + rule days.
  A carrier requested but with no report on file is missing. Stale or missing gets a
  one-click link to a new request for that insured and carrier.
- Open claims: the terms whose current version (newest valuation) has open or reopened claims.

Computed for many insureds at once with a fixed number of queries (the list page).
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field

from django.db.models import Count, Max
from django.urls import reverse
from django.utils import timezone
from django.utils.http import urlencode

from accounts.models import Agency
from accounts.tenancy import scoped
from claims.models import Claim, LossRunReport, ReportTerm
from vault.models import Insured, LossRunRequest

DEFAULT_YEARS = 5


@dataclass(frozen=True)
class Line:
    level: str  # "ok", "warn" or "gap"
    text: str
    url: str = ""
    url_label: str = ""


@dataclass
class CarrierValuation:
    carrier_id: int
    carrier_name: str
    newest: dt.date | None = None
    age_days: int | None = None
    fresh_until: dt.date | None = None
    stale: bool = False


@dataclass
class Readiness:
    insured_id: int
    years_requested: int
    requested: bool
    expected_years: list[int]
    years_on_file: set[int]
    valuation_limit: int
    carriers: list[CarrierValuation] = field(default_factory=list)
    open_terms: list[tuple[str, int]] = field(default_factory=list)
    lines: list[Line] = field(default_factory=list)

    @property
    def missing_years(self) -> list[int]:
        return [y for y in self.expected_years if y not in self.years_on_file]

    @property
    def on_file_count(self) -> int:
        return len(self.expected_years) - len(self.missing_years)

    @property
    def gaps(self) -> list[Line]:
        return [line for line in self.lines if line.level == "gap"]

    @property
    def is_ready(self) -> bool:
        return not self.gaps

    @property
    def newest_valuation(self) -> dt.date | None:
        dates = [c.newest for c in self.carriers if c.newest]
        return max(dates) if dates else None

    @property
    def open_claims(self) -> int:
        return sum(n for _, n in self.open_terms)


def year_label(year: int) -> str:
    """2020 -> '2020-21'."""
    return f"{year}-{(year + 1) % 100:02d}"


def request_url(insured_id: int, carrier_id: int | None = None) -> str:
    """vault:request_create prefilled for this insured (and carrier)."""
    base = reverse("vault:request_create")
    params = {"insured": insured_id}
    if carrier_id is not None:
        params["carrier"] = carrier_id
    return f"{base}?{urlencode(params)}"


def _policy_year(today: dt.date, anniversary: tuple[int, int]) -> int:
    return today.year if (today.month, today.day) >= anniversary else today.year - 1


def readiness_for(
    *, agency: Agency, insureds: list[Insured], today: dt.date | None = None
) -> dict[int, Readiness]:
    """Readiness of each insured, keyed by id, in four queries whatever the number of insureds."""
    today = today or timezone.localdate(timezone=agency.tz)
    ids = [i.pk for i in insureds]
    limit = agency.valuation_max_age_days

    years_requested: dict[int, int] = {}
    carriers: dict[int, dict[int, CarrierValuation]] = {i: {} for i in ids}
    for row in (
        scoped(LossRunRequest, agency)
        .filter(insured_id__in=ids)
        .values("insured_id", "carrier_id", "carrier__legal_name")
        .annotate(years=Max("years_requested"))
        .order_by()
    ):
        years_requested[row["insured_id"]] = max(
            years_requested.get(row["insured_id"], 0), row["years"]
        )
        carriers[row["insured_id"]][row["carrier_id"]] = CarrierValuation(
            row["carrier_id"], row["carrier__legal_name"]
        )

    newest_by_carrier: dict[tuple[int, int], dt.date] = {}
    for row in (
        scoped(LossRunReport, agency)
        .filter(insured_id__in=ids)
        .values("insured_id", "carrier_id", "carrier__legal_name")
        .annotate(newest=Max("valuation_date"))
        .order_by()
    ):
        found = carriers[row["insured_id"]].setdefault(
            row["carrier_id"], CarrierValuation(row["carrier_id"], row["carrier__legal_name"])
        )
        found.newest = row["newest"]
        newest_by_carrier[(row["insured_id"], row["carrier_id"])] = row["newest"]

    # Terms (a few per insured): years on file, and which version of each term is newest.
    starts: dict[int, set[dt.date]] = {i: set() for i in ids}
    term_info: dict[int, tuple] = {}
    newest_version: dict[tuple, dt.date] = {}
    for term_id, insured_id, policy, start, end, carrier_id, valued in (
        scoped(ReportTerm, agency)
        .filter(insured_id__in=ids)
        .values_list(
            "id", "insured_id", "policy_number", "term_start", "term_end",
            "report__carrier_id", "report__valuation_date",
        )
        .order_by()
    ):  # fmt: skip
        starts[insured_id].add(start)
        key = (insured_id, carrier_id, policy, start)
        term_info[term_id] = (key, valued, f"{start.year}-{str(end.year)[-2:]}")
        if valued is not None and (key not in newest_version or newest_version[key] < valued):
            newest_version[key] = valued

    # Open claims per term, counted only for the newest version of each term.
    opens: dict[int, dict[str, int]] = {i: {} for i in ids}
    for term_id, n in (
        scoped(Claim, agency)
        .filter(insured_id__in=ids, status__in=Claim.OPEN_STATUSES)
        .values_list("term_id")
        .annotate(n=Count("id"))
        .order_by()
    ):
        key, valued, label = term_info[term_id]
        if valued is not None and newest_version.get(key) == valued:
            opens[key[0]][label] = opens[key[0]].get(label, 0) + n

    result: dict[int, Readiness] = {}
    for insured in insureds:
        iid = insured.pk
        n_years = years_requested.get(iid) or DEFAULT_YEARS
        on_file = starts[iid]
        anniversary = (1, 1)
        if on_file:
            newest_start = max(on_file)
            anniversary = (newest_start.month, newest_start.day)
        current = _policy_year(today, anniversary)
        ready = Readiness(
            insured_id=iid,
            years_requested=n_years,
            requested=iid in years_requested,
            expected_years=list(range(current - n_years + 1, current + 1)),
            years_on_file={d.year for d in on_file},
            valuation_limit=limit,
        )
        for valuation in sorted(carriers[iid].values(), key=lambda c: c.carrier_name):
            if valuation.newest:
                valuation.age_days = (today - valuation.newest).days
                valuation.fresh_until = valuation.newest + dt.timedelta(days=limit)
                valuation.stale = valuation.age_days > limit
            ready.carriers.append(valuation)
        ready.open_terms = sorted(opens[iid].items())
        ready.lines = _sentences(ready)
        result[iid] = ready
    return result


def _sentences(ready: Readiness) -> list[Line]:
    lines: list[Line] = []
    iid = ready.insured_id
    missing = ready.missing_years
    asked = "requested" if ready.requested else "expected (no request yet)"
    text = f"{ready.years_requested} years {asked}, {ready.on_file_count} on file"
    if missing:
        text += ": missing " + ", ".join(year_label(y) for y in missing)
        lines.append(Line("gap", text, request_url(iid), "Request loss runs"))
    else:
        lines.append(Line("ok", text))

    if not ready.carriers:
        lines.append(Line("gap", "No loss runs on file", request_url(iid), "Request loss runs"))
    for c in ready.carriers:
        if c.newest is None:
            lines.append(
                Line("gap", f"{c.carrier_name}: no loss run on file", request_url(iid, c.carrier_id),
                     "Request new loss runs")
            )  # fmt: skip
        elif c.stale:
            lines.append(
                Line(
                    "gap",
                    f"{c.carrier_name}: newest valuation is {c.age_days} days old"
                    f" (limit {ready.valuation_limit})",
                    request_url(iid, c.carrier_id),
                    "Request new loss runs",
                )
            )
        else:
            lines.append(
                Line("ok", f"{c.carrier_name}: valuation fresh until {c.fresh_until.isoformat()}")
            )
    if ready.open_terms:
        terms = ", ".join(f"{label} ({n})" for label, n in ready.open_terms)
        lines.append(Line("warn", f"Open claims in {terms}"))
    else:
        lines.append(Line("ok", "No open claims"))
    return lines


def insured_readiness(
    *, agency: Agency, insured: Insured, today: dt.date | None = None
) -> Readiness:
    return readiness_for(agency=agency, insureds=[insured], today=today)[insured.pk]
