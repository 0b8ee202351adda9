"""The spreadsheet import through the path a user meets, beside the raw reading speed.

    .venv/bin/python bench/claims_upload.py [--rows 100000] [--csv-mb 50] [--xlsx-mb 0]
                                            [--excel-mb 0] [--kinds xlsx,csv] [--database-url URL]

For each file, in fresh subprocesses (own Django, own peak RSS from resource.getrusage):
- raw: openpyxl read-only `iter_rows(values_only=True)` over the XLSX, `csv.reader` over the CSV;
- upload path: exactly what the upload page and its Celery tasks run: `import_job_start`
  (store the document, check the file), `import_job_read` (header, samples, row count),
  `import_job_set_mapping`, `import_job_commit` (check every row, insert in batches; a
  CSV of 2 MB or more is read and checked by a forked child while the import inserts,
  claims.importers.forked: its CPU time is counted with the import's, its peak RSS shown).
Goals (issue 14): XLSX within 1.5x raw openpyxl, CSV within 10x csv.reader, peak RSS under
300 MB at any size up to the 50 MB upload limit (`--csv-mb 50`, `--xlsx-mb 50` build files
of about that size; `--excel-mb 50` one as Excel saves it, every text in the shared-string
table). Default database: a new SQLite file under /tmp. The children run with DEBUG off,
as a production worker does.
"""

from __future__ import annotations

import argparse
import csv
import datetime as dt
import importlib.util
import json
import os
import resource
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
_spec = importlib.util.spec_from_file_location("bench_rows", ROOT / "bench" / "claims_import.py")
rows_module = importlib.util.module_from_spec(_spec)
_spec.loader.exec_module(rows_module)
GOALS = {"xlsx": 1.5, "csv": 10.0}
PEAK_MB = 300


def peak_mb(who: int = resource.RUSAGE_SELF) -> float:
    return round(resource.getrusage(who).ru_maxrss / 1024, 1)


def cpu_seconds() -> float:
    """CPU time of this process and of the children it waited for (the forked reader of a
    large file, claims.importers.forked): on a shared machine the wall time also counts
    the time spent waiting for a core, so both are reported."""
    return sum(
        usage.ru_utime + usage.ru_stime
        for usage in map(resource.getrusage, (resource.RUSAGE_SELF, resource.RUSAGE_CHILDREN))
    )


def raw(kind: str, path: str) -> dict:
    started, cpu = time.perf_counter(), cpu_seconds()
    count = 0
    if kind == "xlsx":
        from openpyxl import load_workbook

        book = load_workbook(path, read_only=True, data_only=True)
        for _row in book.worksheets[0].iter_rows(values_only=True):
            count += 1
        book.close()
    else:
        with open(path, newline="", encoding="utf-8-sig") as handle:
            for _row in csv.reader(handle):
                count += 1
    return {
        "rows": count,
        "seconds": round(time.perf_counter() - started, 2),
        "cpu_seconds": round(cpu_seconds() - cpu, 2),
        "peak_rss_mb": peak_mb(),
    }


def upload_path(kind: str, path: str) -> dict:
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings.local")
    sys.path.insert(0, str(ROOT))
    import django

    django.setup()
    from django.core.files.uploadedfile import UploadedFile

    from accounts.models import Agency
    from claims import services
    from claims.importers import TermDefaults
    from claims.models import ImportJob
    from vault.documents import CSV_TYPE, XLSX_TYPE
    from vault.models import Carrier, Insured

    children_before = peak_mb(resource.RUSAGE_CHILDREN)  # what django.setup() ran
    stamp = time.time_ns()
    agency = Agency.objects.create(name=f"Bench {stamp}", slug=f"bench-{stamp}")
    insured = Insured.objects.create(agency=agency, legal_name="Bench Insured")
    carrier = Carrier.objects.create(legal_name=f"Bench Carrier {stamp}")
    phases = {}
    started, cpu = time.perf_counter(), cpu_seconds()
    with open(path, "rb") as handle:
        upload = UploadedFile(handle, name=Path(path).name, size=os.path.getsize(path),
                              content_type=XLSX_TYPE if kind == "xlsx" else CSV_TYPE)  # fmt: skip
        job = services.import_job_start(
            agency=agency, user=None, insured=insured, carrier=carrier, uploaded_file=upload,
            valuation_date=dt.date(2026, 9, 30), defaults=TermDefaults(),
        )  # fmt: skip
    phases["upload request"] = time.perf_counter() - started
    mark = time.perf_counter()
    job = services.import_job_read(job=job)
    phases["header read (task)"] = time.perf_counter() - mark
    mark = time.perf_counter()
    job = services.import_job_set_mapping(
        agency=agency, job=job, fields=job.mapping, valuation_date=job.valuation_date
    )
    job = services.import_job_commit(job=job)
    phases["check + import (task)"] = time.perf_counter() - mark
    assert job.status == ImportJob.Status.DONE, (job.status, job.message, job.errors[:3])
    children_after = peak_mb(resource.RUSAGE_CHILDREN)
    return {
        "rows": job.imported_count,
        "total_rows_shown": job.total_rows,
        "seconds": round(time.perf_counter() - started, 2),
        "cpu_seconds": round(cpu_seconds() - cpu, 2),
        "phases": {k: round(v, 2) for k, v in phases.items()},
        "peak_rss_mb": peak_mb(),
        # The forked reader's peak RSS (ru_maxrss of the largest child waited for); 0 when no
        # child of the import outgrew the ones django.setup() ran: the file was read here.
        "reader_peak_rss_mb": children_after if children_after > children_before else 0,
    }


def run_child(mode: str, kind: str, path: Path, env: dict) -> dict | None:
    """The child's figures; None (its error printed) when it failed, e.g. a refused file."""
    out = subprocess.run([sys.executable, __file__, "--child", mode, kind, str(path)], cwd=ROOT,
                         env=env, check=False, capture_output=True, text=True)  # fmt: skip
    if out.returncode:
        print(
            f"{mode} {kind} {path.name} FAILED:", *out.stderr.strip().splitlines()[-3:], sep="\n  "
        )
        return None
    return json.loads(out.stdout.strip().splitlines()[-1])


WRITERS = {"csv": "write_csv", "xlsx": "write_xlsx", "excel": "write_xlsx_shared"}


def build(kind: str, rows: int) -> Path:
    """A generated file ("excel": an XLSX with a shared-string table), kept under /tmp."""
    suffix = "shared.xlsx" if kind == "excel" else kind
    path = Path(tempfile.gettempdir()) / f"bench_upload_{rows}.{suffix}"
    if not path.exists():
        started = time.perf_counter()
        getattr(rows_module, WRITERS[kind])(path, rows)
        print(f"wrote {path} ({path.stat().st_size / 1e6:.1f} MB, {rows} rows)"
              f" in {time.perf_counter() - started:.0f} s")  # fmt: skip
    return path


def rows_for_mb(kind: str, mb: float) -> int:
    """Rows that make a file of about `mb` megabytes (measured on a 2,000-row sample)."""
    sample = build(kind, 2000)
    return int(2000 * mb * 1e6 / sample.stat().st_size)


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--rows", type=int, default=100_000)
    parser.add_argument("--csv-mb", type=float, default=50, help="0 = skip the large CSV")
    parser.add_argument("--xlsx-mb", type=float, default=0, help="0 = skip the large XLSX")
    parser.add_argument("--excel-mb", type=float, default=0,
                        help="an XLSX with shared strings, as Excel saves it; 0 = skip")  # fmt: skip
    parser.add_argument("--kinds", default="xlsx,csv", help="the --rows files to run: xlsx, csv")
    parser.add_argument("--database-url", default="sqlite:////tmp/bench_upload.sqlite3")
    parser.add_argument("--child", nargs=3)
    args = parser.parse_args()
    if args.child:
        mode, kind, path = args.child
        print(json.dumps((raw if mode == "raw" else upload_path)(kind, path)))
        return
    # DEBUG off as on a production worker: with it on, Django keeps the SQL of the last
    # 9,000 statements (about 25 bytes a row of an import, measured).
    env = {**os.environ, "DATABASE_URL": args.database_url, "LOG_LEVEL": "WARNING",
           "DJANGO_SETTINGS_MODULE": "config.settings.local", "DJANGO_DEBUG": "false",
           "DOCUMENT_ROOT": tempfile.mkdtemp(prefix="bench_upload_docs_")}  # fmt: skip
    if args.database_url.startswith("sqlite:///"):
        Path(args.database_url.removeprefix("sqlite:///")).unlink(missing_ok=True)
    subprocess.run([sys.executable, "manage.py", "migrate", "-v0"], cwd=ROOT, env=env, check=True)
    runs = [(kind, args.rows) for kind in args.kinds.split(",") if kind]
    if args.csv_mb:
        runs.append(("csv", rows_for_mb("csv", args.csv_mb)))
    if args.xlsx_mb:
        runs.append(("xlsx", rows_for_mb("xlsx", args.xlsx_mb)))
    if args.excel_mb:
        runs.append(("excel", rows_for_mb("excel", args.excel_mb)))
    for kind, rows in runs:
        path = build(kind, rows)
        kind = "xlsx" if kind == "excel" else kind
        print(
            f"{kind} {rows} rows: load average before {' '.join(f'{x:.1f}' for x in os.getloadavg())}"
        )
        base = run_child("raw", kind, path, env)
        mine = run_child("upload", kind, path, env)
        if base is None or mine is None:
            continue
        ratio = mine["seconds"] / base["seconds"]
        fast = ratio <= GOALS[kind]
        small = max(mine["peak_rss_mb"], mine["reader_peak_rss_mb"]) < PEAK_MB
        print(
            f"load average {' '.join(f'{x:.1f}' for x in os.getloadavg())} on {os.cpu_count()} CPUs"
        )
        print(f"{kind} {path.stat().st_size / 1e6:.1f} MB, {mine['rows']} rows: upload path"
              f" {mine['seconds']} s {mine['phases']}, raw {base['seconds']} s -> {ratio:.2f}x"
              f" (goal <= {GOALS[kind]}x: {'OK' if fast else 'MISSED'}); CPU {mine['cpu_seconds']} s"
              f" against {base['cpu_seconds']} s -> {mine['cpu_seconds'] / base['cpu_seconds']:.2f}x;"
              f" peak RSS"
              f" {mine['peak_rss_mb']} MB, its reading child {mine['reader_peak_rss_mb']} MB"
              f" (raw {base['peak_rss_mb']} MB; goal < {PEAK_MB} MB each:"
              f" {'OK' if small else 'MISSED'}); progress total shown:"
              f" {mine['total_rows_shown'] or 'indeterminate'}")  # fmt: skip


if __name__ == "__main__":
    main()
