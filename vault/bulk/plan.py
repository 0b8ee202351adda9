"""What a bulk file says: its rows, the requests they group into, and their errors."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field

from vault.models import Carrier, Insured, Policy
from vault.services import PolicyData

MAX_ROWS = 2000

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
    years_requested: int | None = None  # as typed (None: left empty)
    years_planned: int | None = None  # what its request will ask for (None: not planned)
    years_from_terms: bool = False
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
    years_requested: int | None  # None until settled: then typed, or from the terms
    policies: list[PolicyData]
    row_numbers: list[int]
    years_from_terms: bool = False


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
