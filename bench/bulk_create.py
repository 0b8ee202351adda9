"""Bulk create: 2,000 requests (4,000 policies, 2,000 new insureds) from one CSV.

    .venv/bin/python bench/bulk_create.py [--rows 2000] [--database-url URL]

Runs in a fresh subprocess (its own Django) through vault.bulk, the code the upload page
calls: the preview (bulk_plan) and the commit (bulk_commit), each timed with its query count.
Default database: a new SQLite file under /tmp. Goal: a bounded number of queries (not one
or more per request) and well under a web request's timeout.
"""

from __future__ import annotations

import argparse
import json
import os
import subprocess
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent


def csv_text(rows: int) -> str:
    head = "insured,carrier,policy_numbers,line,term_start,term_end,years_requested\r\n"
    body = "".join(
        f"Bench Insured {n} LLC,99001,GL-{n};UMB-{n},GL,2025-01-01,2026-01-01,5\r\n"
        for n in range(rows)
    )
    return head + body


def child(rows: int) -> None:
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings.local")
    sys.path.insert(0, str(ROOT))
    import django

    django.setup()
    from django.core.files.uploadedfile import SimpleUploadedFile
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    from accounts.models import Agency, User
    from vault import bulk
    from vault.models import Carrier

    stamp = time.time_ns()
    agency = Agency.objects.create(name=f"Bench {stamp}", slug=f"bench-{stamp}")
    user = User.objects.create_user(email=f"bench{stamp}@bench.test", password="x", agency=agency)
    Carrier.objects.get_or_create(naic_code="99001", defaults={"legal_name": "Bench Mutual"})
    upload = SimpleUploadedFile("renewals.csv", csv_text(rows).encode(), content_type="text/csv")
    document = bulk.bulk_file_store(agency=agency, user=user, uploaded_file=upload)
    results = {}
    with CaptureQueriesContext(connection) as queries:
        started = time.perf_counter()
        plan = bulk.bulk_plan(agency=agency, document=document)
        results["preview_seconds"] = round(time.perf_counter() - started, 3)
    results["preview_queries"] = len(queries)
    assert plan.ok, plan.errors[:3]
    with CaptureQueriesContext(connection) as queries:
        started = time.perf_counter()
        created = bulk.bulk_commit(agency=agency, user=user, document=document)
        results["commit_seconds"] = round(time.perf_counter() - started, 3)
    results["commit_queries"] = len(queries)
    results["created"] = len(created)
    print(json.dumps(results))


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--rows", type=int, default=2000)
    parser.add_argument("--database-url", default="sqlite:////tmp/bench_bulk.sqlite3")
    parser.add_argument("--child", action="store_true")
    args = parser.parse_args()
    if args.child:
        child(args.rows)
        return
    env = {**os.environ, "DATABASE_URL": args.database_url, "DJANGO_SETTINGS_MODULE": "config.settings.local",
           "LOG_LEVEL": "WARNING", "DJANGO_DEBUG": "false"}  # fmt: skip
    if args.database_url.startswith("sqlite:///"):
        Path(args.database_url.removeprefix("sqlite:///")).unlink(missing_ok=True)
    subprocess.run([sys.executable, "manage.py", "migrate", "-v0"], cwd=ROOT, env=env, check=True)
    runs = []
    for _ in range(3):
        out = subprocess.run([sys.executable, __file__, "--child", "--rows", str(args.rows)], cwd=ROOT,
                             env=env, check=True, capture_output=True, text=True)  # fmt: skip
        runs.append(json.loads(out.stdout.strip().splitlines()[-1]))
    print(
        f"load average {os.getloadavg()[0]:.1f} on {os.cpu_count()} CPUs; {args.database_url.split(':')[0]}"
    )
    for r in runs:
        print(f"{r['created']} requests: commit {r['commit_seconds']} s in {r['commit_queries']} queries;"
              f" preview {r['preview_seconds']} s in {r['preview_queries']} queries")  # fmt: skip


if __name__ == "__main__":
    main()
