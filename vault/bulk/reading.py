"""Reading a bulk CSV: the columns it may name, the values it may hold, its rows."""

from __future__ import annotations

import csv
import datetime as dt
import io
import itertools
from typing import IO

from vault.bulk.plan import MAX_ROWS, BulkPlan, BulkRow
from vault.models import Policy

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


def read_rows(handle: IO[bytes], plan: BulkPlan) -> list[BulkRow]:
    """The file's rows, read as a stream: at most MAX_ROWS rows and the line after them are
    decoded, however large the file (UTF-8, else Windows-1252)."""
    for encoding in ("utf-8-sig", "cp1252"):
        handle.seek(0)
        text = io.TextIOWrapper(handle, encoding=encoding, newline="")
        try:
            return _read_rows(text, plan)
        except UnicodeDecodeError:
            plan.file_errors.clear()
            continue
        finally:
            text.detach()  # the caller closes the file
    plan.file_errors.append("The file is not UTF-8 or Windows text; save it as CSV UTF-8.")
    return []


def _read_rows(text: io.TextIOWrapper, plan: BulkPlan) -> list[BulkRow]:
    first = text.readline()
    try:
        dialect = csv.Sniffer().sniff(first.splitlines()[0] if first else "", delimiters=",;\t")
    except (csv.Error, IndexError):
        dialect = csv.excel
    reader = csv.reader(itertools.chain([first] if first else [], text), dialect)
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
