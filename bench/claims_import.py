"""Import speed: 100,000 claim rows from one XLSX (< 60 s) and one CSV (< 20 s), memory < 500 MB.

    .venv/bin/python bench/claims_import.py [--rows 100000] [--database-url URL]

Each import runs in a fresh subprocess (its own Django, its own peak RSS measured with
resource.getrusage) through claims.services.loss_run_import, the service the upload page,
the Celery task and the command call. Default database: a new SQLite file under /tmp.
"""

from __future__ import annotations

import argparse
import datetime as dt
import json
import os
import random
import resource
import subprocess
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
HEAD = ["Claim Number", "Policy #", "Policy Period", "DOL", "Date Reported", "Status", "Cause", "Claimant",
        "Description", "Indemnity Paid", "Medical Paid", "Expense Paid", "Recoveries", "Outstanding",
        "Total Incurred", "Premium"]  # fmt: skip
CAUSES = ["Water", "Fire", "Theft", "Slip and fall", "Auto liability", "Wind", "Hail", "Strain"]


def rows(n: int):
    rnd = random.Random(7)
    for i in range(n):
        year = 2020 + i % 5
        start = dt.date(year, 1, 1)
        dol = start + dt.timedelta(days=rnd.randrange(360))
        status = "Open" if i % 4 == 0 else "Closed"
        ind, med, exp = (
            rnd.randrange(0, 500000) / 100,
            rnd.randrange(0, 100000) / 100,
            rnd.randrange(0, 50000) / 100,
        )
        rec = rnd.randrange(0, 1000) / 100 if i % 10 == 0 else 0.0
        res = rnd.randrange(0, 900000) / 100 if status == "Open" else 0.0
        cents = (
            round(ind * 100)
            + round(med * 100)
            + round(exp * 100)
            - round(rec * 100)
            + round(res * 100)
        )
        yield [
            f"CLM-{i:07d}", f"GL-{year}", f"01/01/{year} - 01/01/{year + 1}", dol,
            dol + dt.timedelta(days=rnd.randrange(60)), status, CAUSES[i % len(CAUSES)],
            f"Claimant {i % 997}", "Customer reported damage at the premises", ind, med, exp, rec, res,
            cents / 100, 1_000_000,
        ]  # fmt: skip


def write_csv(path: Path, n: int) -> None:
    import csv

    with path.open("w", newline="", encoding="utf-8") as out:
        writer = csv.writer(out)
        writer.writerow(HEAD)
        for row in rows(n):
            row[3], row[4] = row[3].strftime("%m/%d/%Y"), row[4].strftime("%m/%d/%Y")
            row[9:15] = [f"${v:,.2f}" for v in row[9:15]]
            writer.writerow(row)


def write_xlsx(path: Path, n: int) -> None:
    from openpyxl import Workbook

    book = Workbook(write_only=True)
    sheet = book.create_sheet("Loss Run")
    sheet.append(HEAD)
    for row in rows(n):
        sheet.append(row)
    book.save(path)


_XML = 'xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main"'
_REL = "http://schemas.openxmlformats.org/officeDocument/2006/relationships"
_CT = "application/vnd.openxmlformats-officedocument.spreadsheetml"


def _column(index: int) -> str:
    name, index = "", index + 1
    while index:
        index, rest = divmod(index - 1, 26)
        name = chr(65 + rest) + name
    return name


def write_xlsx_shared(path: Path, n: int) -> None:
    """The same rows as Excel saves them: every text in the shared-string table (here each
    claimant is different too, so the table grows with the rows), amounts as numbers, dates
    as text. Streamed into the zip (openpyxl writes inline strings, never this table)."""
    import zipfile
    from xml.sax.saxutils import escape

    table: dict[str, int] = {}

    def row_xml(number: int, cells: list) -> bytes:
        out = [f'<row r="{number}">']
        for index, value in enumerate(cells):
            ref = f"{_column(index)}{number}"
            if isinstance(value, int | float):
                out.append(f'<c r="{ref}"><v>{value!r}</v></c>')
                continue
            text = value.strftime("%m/%d/%Y") if isinstance(value, dt.date) else value
            out.append(f'<c r="{ref}" t="s"><v>{table.setdefault(text, len(table))}</v></c>')
        out.append("</row>")
        return "".join(out).encode()

    with zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED) as archive:
        with archive.open("xl/worksheets/sheet1.xml", "w", force_zip64=True) as sheet:
            sheet.write(f'<?xml version="1.0"?><worksheet {_XML}><sheetData>'.encode())
            sheet.write(row_xml(1, HEAD))
            for number, cells in enumerate(rows(n), start=2):
                cells[7] = f"Claimant {number}"
                sheet.write(row_xml(number, cells))
            sheet.write(b"</sheetData></worksheet>")
        with archive.open("xl/sharedStrings.xml", "w", force_zip64=True) as strings:
            strings.write(f'<?xml version="1.0"?><sst {_XML} uniqueCount="{len(table)}">'.encode())
            for text in table:
                strings.write(f"<si><t>{escape(text)}</t></si>".encode())
            strings.write(b"</sst>")
        package = "http://schemas.openxmlformats.org/package/2006"
        archive.writestr("[Content_Types].xml", f'<?xml version="1.0"?><Types xmlns="{package}/content-types">'
            f'<Default Extension="rels" ContentType="application/vnd.openxmlformats-package.relationships+xml"/>'
            '<Default Extension="xml" ContentType="application/xml"/>'
            f'<Override PartName="/xl/workbook.xml" ContentType="{_CT}.sheet.main+xml"/>'
            f'<Override PartName="/xl/worksheets/sheet1.xml" ContentType="{_CT}.worksheet+xml"/>'
            f'<Override PartName="/xl/sharedStrings.xml" ContentType="{_CT}.sharedStrings+xml"/></Types>')  # fmt: skip
        archive.writestr("_rels/.rels", f'<?xml version="1.0"?><Relationships xmlns="{package}/relationships">'
            f'<Relationship Id="rId1" Type="{_REL}/officeDocument" Target="xl/workbook.xml"/></Relationships>')  # fmt: skip
        archive.writestr("xl/workbook.xml", f'<?xml version="1.0"?><workbook {_XML} xmlns:r="{_REL}">'
            '<sheets><sheet name="Loss Run" sheetId="1" r:id="rId1"/></sheets></workbook>')  # fmt: skip
        archive.writestr("xl/_rels/workbook.xml.rels", f'<?xml version="1.0"?><Relationships xmlns="{package}/relationships">'
            f'<Relationship Id="rId1" Type="{_REL}/worksheet" Target="worksheets/sheet1.xml"/>'
            f'<Relationship Id="rId2" Type="{_REL}/sharedStrings" Target="sharedStrings.xml"/></Relationships>')  # fmt: skip


def child(path: str) -> None:
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings.local")
    sys.path.insert(0, str(ROOT))
    import django

    django.setup()
    from accounts.models import Agency
    from claims.services import loss_run_import
    from vault.models import Carrier, Insured

    stamp = time.time_ns()
    agency = Agency.objects.create(name=f"Bench {stamp}", slug=f"bench-{stamp}")
    insured = Insured.objects.create(agency=agency, legal_name="Bench Insured")
    carrier = Carrier.objects.create(legal_name=f"Bench Carrier {stamp}")
    started, cpu = time.perf_counter(), time.process_time()
    with open(path, "rb") as handle:
        outcome = loss_run_import(
            agency=agency, user=None, insured=insured, carrier=carrier, fileobj=handle,
            valuation_date=dt.date(2026, 9, 30),
        )  # fmt: skip
    seconds, cpu_seconds = time.perf_counter() - started, time.process_time() - cpu
    peak_mb = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    print(
        json.dumps(
            {
                "imported": outcome.imported,
                "seconds": round(seconds, 2),
                "cpu_seconds": round(cpu_seconds, 2),
                "peak_rss_mb": round(peak_mb, 1),
            }
        )
    )


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--rows", type=int, default=100_000)
    parser.add_argument("--database-url", default="sqlite:////tmp/bench_claims.sqlite3")
    parser.add_argument("--child")
    args = parser.parse_args()
    if args.child:
        child(args.child)
        return
    env = {**os.environ, "DATABASE_URL": args.database_url, "DJANGO_SETTINGS_MODULE": "config.settings.local",
           "LOG_LEVEL": "WARNING"}  # fmt: skip
    if args.database_url.startswith("sqlite:///"):
        Path(args.database_url.removeprefix("sqlite:///")).unlink(missing_ok=True)
    subprocess.run([sys.executable, "manage.py", "migrate", "-v0"], cwd=ROOT, env=env, check=True)
    results = {}
    for kind, writer, limit in (("csv", write_csv, 20), ("xlsx", write_xlsx, 60)):
        path = Path(f"/tmp/bench_claims_{args.rows}.{kind}")
        if not path.exists():
            t = time.perf_counter()
            writer(path, args.rows)
            print(
                f"wrote {path} ({path.stat().st_size / 1e6:.1f} MB) in {time.perf_counter() - t:.1f} s"
            )
        out = subprocess.run([sys.executable, __file__, "--child", str(path)], cwd=ROOT, env=env,
                             check=True, capture_output=True, text=True)  # fmt: skip
        result = json.loads(out.stdout.strip().splitlines()[-1])
        results[kind] = result
        verdict = (
            "OK" if result["seconds"] < limit and result["peak_rss_mb"] < 500 else "TOO SLOW/BIG"
        )
        print(f"load average {os.getloadavg()[0]:.1f} on {os.cpu_count()} CPUs")
        print(f"{kind}: {result['imported']} rows in {result['seconds']} s (limit {limit} s),"
              f" peak RSS {result['peak_rss_mb']} MB (limit 500) -> {verdict};"
              f" CPU of the importing process {result['cpu_seconds']} s")  # fmt: skip


if __name__ == "__main__":
    main()
