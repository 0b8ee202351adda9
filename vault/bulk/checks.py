"""Checking a bulk file's rows and grouping them into requests (nothing is written)."""

from __future__ import annotations

import io
from collections import defaultdict
from typing import IO

from django.db.models import Q
from django.db.models.functions import Lower

from accounts.models import Agency
from accounts.tenancy import scoped
from vault import rules
from vault.bulk.plan import MAX_INSURED, MAX_POLICY, BulkGroup, BulkPlan, BulkRow
from vault.bulk.reading import _line_code, _parse_date, read_rows
from vault.models import Carrier, Insured, Policy
from vault.selectors import carriers_visible
from vault.services import PolicyData


def _check_fields(row: BulkRow) -> None:
    if not row.insured_name:
        row.error("insured is missing")
    elif len(row.insured_name) > MAX_INSURED:
        row.error(f"insured is longer than {MAX_INSURED} characters")
    if not row.carrier_text:
        row.error("carrier is missing (its name or NAIC code)")
    if not row.policy_numbers:
        row.error("policy_number is missing")
    for number in row.policy_numbers:
        if len(number) > MAX_POLICY:
            row.error(f"policy number {number[:20]}… is longer than {MAX_POLICY} characters")
    line = _line_code(row.line_text)
    if line is None:
        row.error(
            f"line '{row.line_text}' is not a line of business "
            f"(use one of {', '.join(Policy.Line.values)})"
        )
    else:
        row.line_of_business = line
    for name in ("term_start", "term_end"):
        text = getattr(row, f"{name}_text")
        if not text:
            row.error(f"{name} is missing (use YYYY-MM-DD or MM/DD/YYYY)")
            continue
        value = _parse_date(text)
        if value is None:
            row.error(f"{name} {text} is not a date (use YYYY-MM-DD or MM/DD/YYYY)")
        setattr(row, name, value)
    if (
        row.term_start
        and row.term_end
        and not rules.term_ends_after_start(row.term_start, row.term_end)
    ):
        row.error(f"term_end {row.term_end_text} is not after term_start {row.term_start_text}")
    if row.years_text:
        try:
            years = int(row.years_text)
        except ValueError:
            years = 0
        if not 1 <= years <= 20:
            row.error(f"years_requested {row.years_text} is not a whole number from 1 to 20")
        else:
            row.years_requested = years


def _resolve_carriers(agency: Agency, rows: list[BulkRow]) -> None:
    """Match by NAIC code first, then by exact name (any case), among carriers the agency
    may use. A platform carrier wins over a private one with the same NAIC code."""
    texts = {row.carrier_text for row in rows if row.carrier_text}
    if not texts:
        return
    lowered = {t.lower() for t in texts}
    found = (
        carriers_visible(agency=agency)
        .annotate(lname=Lower("legal_name"))
        .filter(Q(naic_code__in=texts) | Q(lname__in=lowered))
    )
    by_naic: dict[str, Carrier] = {}
    by_name: dict[str, list[Carrier]] = defaultdict(list)
    for carrier in sorted(found, key=lambda c: (c.agency_id is not None, c.pk)):
        if carrier.naic_code:
            by_naic.setdefault(carrier.naic_code, carrier)
        by_name[carrier.legal_name.lower()].append(carrier)
    for row in rows:
        if not row.carrier_text:
            continue
        carrier = by_naic.get(row.carrier_text)
        if carrier is None:
            matches = by_name.get(row.carrier_text.lower(), [])
            if len(matches) > 1:
                row.error(
                    f"carrier '{row.carrier_text}' matches {len(matches)} carriers — "
                    "use its NAIC code"
                )
                continue
            carrier = matches[0] if matches else None
        if carrier is None:
            row.error(f"carrier '{row.carrier_text}' not found — add it first or use its NAIC code")
        row.carrier = carrier


def _resolve_insureds(agency: Agency, rows: list[BulkRow]) -> None:
    names = {row.insured_name.lower() for row in rows if row.insured_name}
    if not names:
        return
    existing: dict[str, Insured] = {}
    for insured in (
        scoped(Insured, agency).annotate(lname=Lower("legal_name")).filter(lname__in=names)
    ).order_by("pk"):
        existing.setdefault(insured.legal_name.lower(), insured)
    for row in rows:
        row.insured = existing.get(row.insured_name.lower())


def _group(plan: BulkPlan) -> None:
    groups: dict[tuple[str, int], BulkGroup] = {}
    seen: dict[tuple[str, int], dict[tuple, int]] = defaultdict(dict)
    years_row: dict[tuple[str, int], int] = {}
    for row in plan.rows:
        if row.errors or row.carrier is None:
            continue
        key = (row.insured_name.lower(), row.carrier.pk)
        group = groups.get(key)
        if group is None:
            group = groups[key] = BulkGroup(
                insured_name=row.insured_name,
                insured=row.insured,
                carrier=row.carrier,
                years_requested=row.years_requested,
                policies=[],
                row_numbers=[],
            )
            if row.years_requested:
                years_row[key] = row.number
        elif row.years_requested:
            if key in years_row and row.years_requested != group.years_requested:
                row.error(
                    f"years_requested {row.years_requested} differs from "
                    f"{group.years_requested} on row {years_row[key]} for the same insured "
                    "and carrier"
                )
                continue
            group.years_requested = row.years_requested
            years_row.setdefault(key, row.number)
        policies = []
        for number in row.policy_numbers:
            policy_key = (number.lower(), row.term_start, row.term_end)
            if policy_key in seen[key]:
                row.error(
                    f"policy {number} with the same term is already on row {seen[key][policy_key]}"
                )
                continue
            seen[key][policy_key] = row.number
            policies.append(
                PolicyData(
                    policy_number=number,
                    line_of_business=row.line_of_business,
                    term_start=row.term_start,
                    term_end=row.term_end,
                )
            )
        if not row.errors:
            group.policies.extend(policies)
            group.row_numbers.append(row.number)
    plan.groups = [g for g in groups.values() if g.policies]
    _settle_years(plan)


def _settle_years(plan: BulkPlan) -> None:
    """A request whose rows leave years_requested empty asks for the years its policy terms
    cover, as the Request Builder does (a one-policy request asks for 1 year, not 5); every
    row shows the years its request will ask for."""
    by_row: dict[int, BulkGroup] = {}
    for group in plan.groups:
        if group.years_requested is None:
            group.years_requested = rules.years_covered(
                [(p.term_start, p.term_end) for p in group.policies]
            )
            group.years_from_terms = True
        by_row.update(dict.fromkeys(group.row_numbers, group))
    for row in plan.rows:
        group = by_row.get(row.number)
        if group is not None:
            row.years_planned = group.years_requested
            row.years_from_terms = group.years_from_terms


def bulk_parse(*, agency: Agency, data: bytes | IO[bytes]) -> BulkPlan:
    """Read and check every row; group valid rows into requests (nothing is written).

    `data` is the file's bytes or a binary file open for reading (read as a stream).
    """
    plan = BulkPlan()
    handle = io.BytesIO(data) if isinstance(data, bytes) else data
    plan.rows = read_rows(handle, plan)
    if plan.file_errors and not plan.rows:
        return plan
    for row in plan.rows:
        _check_fields(row)
    _resolve_carriers(agency, plan.rows)
    _resolve_insureds(agency, plan.rows)
    _group(plan)
    if not plan.rows and not plan.file_errors:
        plan.file_errors.append("The file has no rows below the column names.")
    return plan
