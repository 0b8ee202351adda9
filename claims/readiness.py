"""Submission readiness: an insured's gaps as specific, fixable sentences.

- Years: the expected policy years are the terms of the insured's requests' policies
  (`claims.rules.expected_terms`); an insured with no request yet is expected to hold the
  5 most recent policy years. A year is on file when a report term or a no-prior-coverage
  attestation starts in it.
- Valuation: per carrier, the newest report's valuation date against the agency's rule
  (90 or 60 days, `claims.rules.valuation_is_stale`); fresh until valuation + rule days.
  A carrier requested but with no report on file is missing. Stale or missing offers a
  new request for that insured and carrier only when none is open
  (`claims.rules.new_request_offered`); otherwise it links to the open request.
- Open claims: the terms whose current version (newest valuation) has open or reopened claims.
- Gaps are counted as they are shown: each missing year counts once, each carrier gap once.

Computed for many insureds at once with a fixed number of queries (the list page).
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field

from django.db.models import Count, Max, Q
from django.urls import reverse
from django.utils import timezone
from django.utils.http import urlencode

from accounts.models import Agency
from accounts.tenancy import scoped
from claims import rules
from claims.models import Claim, LossRunReport, ReportTerm
from vault.models import Insured, LossRunRequest, Policy

DEFAULT_YEARS = 5
NEW_REQUEST = "Request new loss runs"
SEE_OPEN = "See the open request"


@dataclass(frozen=True)
class Line:
    level: str  # "ok", "warn" or "gap"
    text: str
    url: str = ""
    url_label: str = ""
    count: int = 1  # how many gaps the line stands for (the missing years line: one per year)


@dataclass
class CarrierValuation:
    carrier_id: int
    carrier_name: str
    newest: dt.date | None = None
    age_days: int | None = None
    fresh_until: dt.date | None = None
    stale: bool = False
    open_request_id: int | None = None


@dataclass
class Readiness:
    insured_id: int
    requested: bool
    expected: dict[int, str]  # policy year -> its label ("2021-22")
    years_on_file: set[int]
    valuation_limit: int
    carriers: list[CarrierValuation] = field(default_factory=list)
    open_terms: list[tuple[str, int]] = field(default_factory=list)
    lines: list[Line] = field(default_factory=list)

    @property
    def expected_years(self) -> list[int]:
        return list(self.expected)

    @property
    def years_requested(self) -> int:
        return len(self.expected)

    @property
    def missing_years(self) -> list[int]:
        return [y for y in self.expected if y not in self.years_on_file]

    @property
    def on_file_count(self) -> int:
        return len(self.expected) - len(self.missing_years)

    @property
    def open_request_ids(self) -> list[int]:
        return sorted(c.open_request_id for c in self.carriers if c.open_request_id)

    @property
    def gaps(self) -> list[Line]:
        return [line for line in self.lines if line.level == "gap"]

    @property
    def gap_count(self) -> int:
        """The gaps as the lines show them: five missing years are five gaps."""
        return sum(line.count for line in self.gaps)

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
    """2020 -> '2020-21' (an annual term starting in that year)."""
    return rules.term_label(dt.date(year, 1, 1), dt.date(year + 1, 1, 1))


def request_url(insured_id: int, carrier_id: int | None = None) -> str:
    """vault:request_create prefilled for this insured (and carrier)."""
    base = reverse("vault:request_create")
    params = {"insured": insured_id}
    if carrier_id is not None:
        params["carrier"] = carrier_id
    return f"{base}?{urlencode(params)}"


def open_request_url(request_id: int) -> str:
    return reverse("vault:request_edit", args=[request_id])


def readiness_for(
    *, agency: Agency, insureds: list[Insured], today: dt.date | None = None
) -> dict[int, Readiness]:
    """Readiness of each insured, keyed by id, in five queries whatever the number of insureds."""
    today = today or timezone.localdate(timezone=agency.tz)
    ids = [i.pk for i in insureds]
    limit = agency.valuation_max_age_days

    requested: set[int] = set()
    carriers: dict[int, dict[int, CarrierValuation]] = {i: {} for i in ids}
    for row in (
        scoped(LossRunRequest, agency)
        .filter(insured_id__in=ids)
        .values("insured_id", "carrier_id", "carrier__legal_name")
        .annotate(open_id=Max("id", filter=Q(received_on__isnull=True)))
        .order_by()
    ):
        requested.add(row["insured_id"])
        carriers[row["insured_id"]][row["carrier_id"]] = CarrierValuation(
            row["carrier_id"], row["carrier__legal_name"], open_request_id=row["open_id"]
        )

    requested_terms: dict[int, list[tuple[dt.date, dt.date]]] = {i: [] for i in ids}
    for insured_id, start, end in (
        scoped(Policy, agency)
        .filter(request__insured_id__in=ids)
        .values_list("request__insured_id", "term_start", "term_end")
        .order_by()
    ):
        requested_terms[insured_id].append((start, end))

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
        term_info[term_id] = (key, valued, rules.term_label(start, end))
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
        on_file = starts[iid]
        anniversary = (1, 1)
        if on_file:
            newest_start = max(on_file)
            anniversary = (newest_start.month, newest_start.day)
        ready = Readiness(
            insured_id=iid,
            requested=iid in requested,
            expected=rules.expected_terms(
                requested=requested_terms[iid],
                today=today,
                anniversary=anniversary,
                default_years=DEFAULT_YEARS,
            ),
            years_on_file={d.year for d in on_file},
            valuation_limit=limit,
        )
        for valuation in sorted(carriers[iid].values(), key=lambda c: c.carrier_name):
            if valuation.newest:
                valuation.age_days = (today - valuation.newest).days
                valuation.fresh_until = valuation.newest + dt.timedelta(days=limit)
                valuation.stale = rules.valuation_is_stale(
                    valued=valuation.newest, today=today, limit_days=limit
                )
            ready.carriers.append(valuation)
        ready.open_terms = sorted(opens[iid].items())
        ready.lines = _sentences(ready)
        result[iid] = ready
    return result


def _carrier_gap(ready: Readiness, c: CarrierValuation, text: str) -> Line:
    """A carrier's gap, with a new request offered only when none is open for it."""
    if rules.new_request_offered(open_request_id=c.open_request_id):
        return Line("gap", text, request_url(ready.insured_id, c.carrier_id), NEW_REQUEST)
    assert c.open_request_id is not None
    return Line(
        "gap",
        f"{text}; request #{c.open_request_id} is open",
        open_request_url(c.open_request_id),
        SEE_OPEN,
    )


def _years_line(ready: Readiness) -> Line:
    missing = ready.missing_years
    asked = "requested" if ready.requested else "expected (no request yet)"
    n = ready.years_requested
    text = f"{n} year{'s' if n != 1 else ''} {asked}, {ready.on_file_count} on file"
    if not missing:
        return Line("ok", text)
    text += ": missing " + ", ".join(ready.expected[y] for y in missing)
    open_ids = ready.open_request_ids
    if open_ids:
        return Line(
            "gap",
            f"{text} (awaiting {len(open_ids)} open request{'s' if len(open_ids) > 1 else ''})",
            open_request_url(open_ids[-1]),
            SEE_OPEN,
            count=len(missing),
        )
    return Line("gap", text, request_url(ready.insured_id), "Request loss runs", count=len(missing))


def _sentences(ready: Readiness) -> list[Line]:
    lines: list[Line] = [_years_line(ready)]
    if not ready.carriers:
        lines.append(
            Line("gap", "No loss runs on file", request_url(ready.insured_id), "Request loss runs")
        )
    for c in ready.carriers:
        if c.newest is None:
            lines.append(_carrier_gap(ready, c, f"{c.carrier_name}: no loss run on file"))
        elif c.stale:
            lines.append(
                _carrier_gap(
                    ready,
                    c,
                    f"{c.carrier_name}: newest valuation is {c.age_days} days old"
                    f" (limit {ready.valuation_limit})",
                )
            )
        else:
            assert c.fresh_until is not None
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
