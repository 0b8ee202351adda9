"""Bulk create: many loss-run requests from one CSV, for renewal season.

The uploaded CSV is kept as one of the agency's documents (kind "other", no request)
between the preview and the commit, so nothing the user uploaded is lost and the commit
reads exactly the file the preview showed. The commit re-validates every row and is
all-or-nothing; the CSV document is removed in the same transaction, so a second click
cannot import the file twice.
"""

from __future__ import annotations

import csv
import datetime as dt
import io
from collections import defaultdict
from dataclasses import dataclass, field

from django.core.exceptions import ValidationError
from django.core.files.storage import default_storage
from django.db import transaction
from django.db.models import Q
from django.db.models.functions import Lower
from django.http import Http404

from accounts.models import Agency
from accounts.tenancy import scoped
from vault import rules
from vault.documents import CSV_TYPE, document_create, document_get, inspect_upload
from vault.models import Carrier, Document, Insured, LossRunRequest, Policy
from vault.selectors import carriers_visible
from vault.services import PolicyData, insured_create, request_create

MAX_ROWS = 2000
DEFAULT_YEARS = 5
TEMPLATE_HEADER = [
    "insured",
    "carrier",
    "policy_numbers",
    "line",
    "term_start",
    "term_end",
    "years_requested",
]
REQUIRED = ("insured", "carrier", "policy_numbers", "term_start", "term_end")
HEADER_ALIASES = {
    "insured": "insured",
    "insured_name": "insured",
    "named_insured": "insured",
    "insured_legal_name": "insured",
    "carrier": "carrier",
    "carrier_name": "carrier",
    "carrier_naic": "carrier",
    "naic": "carrier",
    "policy_number": "policy_numbers",
    "policy_numbers": "policy_numbers",
    "policy_no": "policy_numbers",
    "policy": "policy_numbers",
    "policies": "policy_numbers",
    "line": "line",
    "line_of_business": "line",
    "lob": "line",
    "term_start": "term_start",
    "effective": "term_start",
    "effective_date": "term_start",
    "term_end": "term_end",
    "expiration": "term_end",
    "expiration_date": "term_end",
    "years_requested": "years_requested",
    "years": "years_requested",
}
LINE_ALIASES = {
    "general liability": Policy.Line.GL,
    "cgl": Policy.Line.GL,
    "property": Policy.Line.PROPERTY,
    "commercial property": Policy.Line.PROPERTY,
    "auto": Policy.Line.AUTO,
    "commercial auto": Policy.Line.AUTO,
    "ca": Policy.Line.AUTO,
    "workers comp": Policy.Line.WC,
    "workers compensation": Policy.Line.WC,
    "workers' compensation": Policy.Line.WC,
    "umbrella": Policy.Line.UMBRELLA,
    "excess": Policy.Line.UMBRELLA,
    "umbrella / excess": Policy.Line.UMBRELLA,
    "businessowners": Policy.Line.BOP,
    "professional liability": Policy.Line.PROF,
    "e&o": Policy.Line.PROF,
    "other": Policy.Line.OTHER,
    "": Policy.Line.OTHER,
}
DATE_FORMATS = ("%Y-%m-%d", "%m/%d/%Y")
MAX_INSURED = Insured._meta.get_field("legal_name").max_length
MAX_POLICY = Policy._meta.get_field("policy_number").max_length


class BulkInvalid(Exception):
    """The file has errors; nothing was created. `plan` says which rows and why."""

    def __init__(self, plan: BulkPlan):
        super().__init__("; ".join(plan.errors[:5]))
        self.plan = plan


@dataclass
class BulkRow:
    number: int  # the spreadsheet's row number: the header is row 1
    insured_name: str
    carrier_text: str
    policy_numbers: list[str]
    line_text: str
    term_start_text: str
    term_end_text: str
    years_text: str
    line_of_business: str = Policy.Line.OTHER
    term_start: dt.date | None = None
    term_end: dt.date | None = None
    years_requested: int | None = None
    carrier: Carrier | None = None
    insured: Insured | None = None
    errors: list[str] = field(default_factory=list)

    def error(self, message: str) -> None:
        self.errors.append(f"row {self.number}: {message}")


@dataclass
class BulkGroup:
    """One request to create: one insured and one carrier, the policies of all its rows."""

    insured_name: str
    insured: Insured | None
    carrier: Carrier
    years_requested: int
    policies: list[PolicyData]
    row_numbers: list[int]


@dataclass
class BulkPlan:
    rows: list[BulkRow] = field(default_factory=list)
    file_errors: list[str] = field(default_factory=list)
    groups: list[BulkGroup] = field(default_factory=list)

    @property
    def errors(self) -> list[str]:
        return self.file_errors + [e for row in self.rows for e in row.errors]

    @property
    def ok(self) -> bool:
        return not self.errors and bool(self.groups)

    @property
    def new_insured_names(self) -> list[str]:
        return sorted({g.insured_name for g in self.groups if g.insured is None}, key=str.lower)

    @property
    def policy_count(self) -> int:
        return sum(len(g.policies) for g in self.groups)


# Reading ------------------------------------------------------------------------------


def template_csv() -> str:
    out = io.StringIO()
    writer = csv.writer(out, lineterminator="\r\n")
    writer.writerow(TEMPLATE_HEADER)
    writer.writerow(
        ["Example Bakery LLC", "Example Mutual Insurance Company", "GL-1234567;UMB-7654321",
         "GL", "2025-01-01", "2026-01-01", "5"]
    )  # fmt: skip
    writer.writerow(
        ["Example Bakery LLC", "12345", "WC-555001", "WC", "01/01/2025", "01/01/2026", "5"]
    )
    return out.getvalue()


def _decode(data: bytes) -> str | None:
    for encoding in ("utf-8-sig", "cp1252"):
        try:
            return data.decode(encoding)
        except UnicodeDecodeError:
            continue
    return None


def _header_key(name: str) -> str:
    key = name.strip().lower().replace("(s)", "s").replace("-", "_").replace(" ", "_")
    return HEADER_ALIASES.get(key, key)


def _parse_date(text: str) -> dt.date | None:
    for fmt in DATE_FORMATS:
        try:
            return dt.datetime.strptime(text, fmt).date()  # noqa: DTZ007 - a calendar date
        except ValueError:
            continue
    return None


def _line_code(text: str) -> str | None:
    key = " ".join(text.lower().split())
    if key.upper() in Policy.Line.values:
        return key.upper()
    for value, label in Policy.Line.choices:
        if key == label.lower():
            return value
    return LINE_ALIASES.get(key)


def _read_rows(text: str, plan: BulkPlan) -> list[BulkRow]:
    sample = text[:4096]
    try:
        dialect = csv.Sniffer().sniff(sample.splitlines()[0] if sample else "", delimiters=",;\t")
    except (csv.Error, IndexError):
        dialect = csv.excel
    reader = csv.reader(io.StringIO(text), dialect)
    try:
        header = next(reader)
    except (StopIteration, csv.Error):
        plan.file_errors.append("The file is empty: the first row must name the columns.")
        return []
    keys = [_header_key(h) for h in header]
    missing = [name for name in REQUIRED if name not in keys]
    if missing:
        plan.file_errors.append(
            f"The file has no {', '.join(repr(m) for m in missing)} column"
            f"{'s' if len(missing) > 1 else ''}. The first row must name the columns: "
            f"{', '.join(TEMPLATE_HEADER)} (years_requested is optional)."
        )
        return []
    index = {key: keys.index(key) for key in set(keys)}
    rows: list[BulkRow] = []
    try:
        for cells in reader:
            if not any(cell.strip() for cell in cells):
                continue
            if len(rows) >= MAX_ROWS:
                plan.file_errors.append(
                    f"The file has more than {MAX_ROWS:,} rows. Split it into files of at "
                    f"most {MAX_ROWS:,} rows and import them one by one."
                )
                return rows

            def cell(name: str, cells=cells) -> str:
                i = index.get(name)
                return cells[i].strip() if i is not None and i < len(cells) else ""

            numbers = [n.strip() for n in cell("policy_numbers").replace(",", ";").split(";")]
            rows.append(
                BulkRow(
                    number=reader.line_num,
                    insured_name=" ".join(cell("insured").split()),
                    carrier_text=cell("carrier"),
                    policy_numbers=[n for n in numbers if n],
                    line_text=cell("line"),
                    term_start_text=cell("term_start"),
                    term_end_text=cell("term_end"),
                    years_text=cell("years_requested"),
                )
            )
    except csv.Error as exc:
        plan.file_errors.append(f"row {reader.line_num}: the CSV cannot be read ({exc}).")
    return rows


# Checking -----------------------------------------------------------------------------


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
                years_requested=row.years_requested or DEFAULT_YEARS,
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


def bulk_parse(*, agency: Agency, data: bytes) -> BulkPlan:
    """Read and check every row; group valid rows into requests (nothing is written)."""
    plan = BulkPlan()
    text = _decode(data)
    if text is None:
        plan.file_errors.append("The file is not UTF-8 or Windows text; save it as CSV UTF-8.")
        return plan
    plan.rows = _read_rows(text, plan)
    for row in plan.rows:
        _check_fields(row)
    _resolve_carriers(agency, plan.rows)
    _resolve_insureds(agency, plan.rows)
    _group(plan)
    if not plan.rows and not plan.file_errors:
        plan.file_errors.append("The file has no rows below the column names.")
    return plan


# The kept file ------------------------------------------------------------------------


def bulk_file_store(*, agency: Agency, user, uploaded_file) -> Document:
    """Keep the uploaded CSV (as an agency document) until the preview is committed."""
    detected, _ = inspect_upload(uploaded_file)
    if detected.content_type != CSV_TYPE:
        raise ValidationError(
            f"This is a {detected.extension.upper()} file, not a CSV. In Excel use "
            "File › Save As › CSV UTF-8, then upload that file.",
            code="not_csv",
        )
    return document_create(
        agency=agency, uploaded_by=user, uploaded_file=uploaded_file, kind=Document.Kind.OTHER
    )


def bulk_file_get(*, agency: Agency, document_id: int) -> Document:
    document = document_get(agency=agency, document_id=document_id)
    if (
        document.kind != Document.Kind.OTHER
        or document.request_id is not None
        or document.content_type != CSV_TYPE
    ):
        raise Http404("No such import.")
    return document


def _read(document: Document) -> bytes:
    with document.file.open("rb") as handle:
        return handle.read()


def bulk_plan(*, agency: Agency, document: Document) -> BulkPlan:
    return bulk_parse(agency=agency, data=_read(document))


@transaction.atomic
def bulk_commit(*, agency: Agency, user, document: Document) -> list[LossRunRequest]:
    """Create every request of the file, or none. Raises BulkInvalid when any row is wrong,
    Document.DoesNotExist when the file was already imported."""
    locked = scoped(Document, agency).select_for_update().get(pk=document.pk)
    plan = bulk_plan(agency=agency, document=locked)
    if not plan.ok:
        raise BulkInvalid(plan)
    created: list[LossRunRequest] = []
    new_insureds: dict[str, Insured] = {}
    recipient_name = user.get_full_name() if user else ""
    recipient_email = user.email if user else ""
    for group in plan.groups:
        insured = group.insured
        if insured is None:
            key = group.insured_name.lower()
            insured = new_insureds.get(key)
            if insured is None:
                insured = new_insureds[key] = insured_create(
                    agency=agency, legal_name=group.insured_name
                )
        try:
            created.append(
                request_create(
                    agency=agency,
                    user=user,
                    insured=insured,
                    carrier=group.carrier,
                    policies=group.policies,
                    years_requested=group.years_requested,
                    recipient_name=recipient_name,
                    recipient_email=recipient_email,
                )
            )
        except ValidationError as exc:
            rows = ", ".join(str(n) for n in group.row_numbers)
            where = f"row{'s' if len(group.row_numbers) > 1 else ''} {rows}"
            plan.file_errors.extend(f"{where}: {message}" for message in exc.messages)
            raise BulkInvalid(plan) from exc
    stored_path = locked.file.name
    locked.delete()
    transaction.on_commit(lambda: default_storage.delete(stored_path))
    return created
