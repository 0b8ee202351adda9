"""CSV export of the vault's current filter, safe to open in a spreadsheet."""

from __future__ import annotations

import csv
import datetime as dt
import re
from collections.abc import Iterable, Iterator
from types import SimpleNamespace
from zoneinfo import ZoneInfo

from vault.rules import agent_of
from vault.status import Status, next_action, request_status

FORMULA_PREFIXES = ("=", "+", "-", "@", "\t", "\r")
# List separators of spreadsheet locales: `Acme;=1+1` opens as two cells where ";" separates.
SEPARATORS = re.compile(r"([;,\t])")
HEADER = [
    "Insured",
    "DBA",
    "Carrier",
    "NAIC",
    "Policy numbers",
    "Owner",
    "Created on",
    "1st request sent on",
    "2nd request sent at",
    "Received on",
    "Status",
    "Next action",
    "Due",
]


def _neutralise_part(part: str) -> str:
    stripped = part.lstrip(" ")
    if stripped.startswith(FORMULA_PREFIXES):
        return part[: len(part) - len(stripped)] + "'" + stripped
    return part


def neutralise(value: object) -> str:
    """A cell a spreadsheet will not run as a formula (OWASP "CSV injection").

    Every part that could become a cell of its own, the whole text and each piece after a
    `;`, `,` or tab (list separators in many locales), is prefixed with a single quote when
    it starts, after spaces, with = + - @ tab or CR.
    """
    text = "" if value is None else str(value)
    if text.startswith(FORMULA_PREFIXES):
        text = "'" + text
    pieces = SEPARATORS.split(text)
    return "".join(
        _neutralise_part(piece) if i % 2 == 0 else piece for i, piece in enumerate(pieces)
    )


# ISO in the CSV (a machine context: spreadsheets sort and parse it); pages and e-mails use
# the product's "Dec 1, 2026" (config.dates).
def _date(value: dt.date | None) -> str:
    return value.isoformat() if value else ""


def _local(value: dt.datetime | None, tz: ZoneInfo) -> str:
    return value.astimezone(tz).strftime("%Y-%m-%d %H:%M") if value else ""


def _owner(req: SimpleNamespace) -> str:
    """The request's agent's name (vault.rules.agent_of on the exported values)."""
    owner = (req.owner_full_name or req.owner_email) if req.owner_email else None
    creator = (req.created_by_full_name or req.created_by_email) if req.created_by_email else None
    return agent_of(owner, creator) or ""


def request_csv_rows(
    rows: Iterable[tuple[SimpleNamespace, list[str]]], *, tz: ZoneInfo, now: dt.datetime
) -> Iterator[list[str]]:
    """The header, then one line per request (see vault.selectors.request_export_rows)."""
    yield HEADER
    for req, policy_numbers in rows:
        status = request_status(req, now)
        action = next_action(req, now)
        yield [
            neutralise(v)
            for v in (
                req.insured_legal_name,
                req.insured_dba,
                req.carrier_legal_name,
                req.carrier_naic_code,
                "; ".join(policy_numbers),
                _owner(req),
                _local(req.created_at, tz)[:10],
                _date(req.first_request_on),
                _local(req.second_request_at, tz),
                _date(req.received_on),
                Status.LABELS[status],
                action.label,
                _local(action.due_at, tz),
            )
        ]


class _Echo:
    def write(self, value: str) -> str:
        return value


def stream_csv(rows: Iterable[list[str]]) -> Iterator[str]:
    writer = csv.writer(_Echo())
    yield "\ufeff"  # BOM: Excel opens UTF-8 correctly
    for row in rows:
        yield writer.writerow(row)
