"""Summary speed: an insured with 10,000 claims summarised in < 100 ms.

    .venv/bin/python bench/claims_summary.py [--claims 10000] [--database-url URL]

Builds one insured whose current valuation (five terms) holds 10,000 claims, plus an older
valuation repeating 4,000 of them so reserve movement has work to do, then times claims.summaries.insured_summary
plus claims.readiness.insured_readiness: what the summary page computes. Reports the
median and worst of 15 runs after one warm-up.
"""

from __future__ import annotations

import argparse
import datetime as dt
import os
import random
import statistics
import subprocess
import sys
import time
from decimal import Decimal
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--claims", type=int, default=10_000)
    parser.add_argument("--database-url", default="sqlite:////tmp/bench_claims_summary.sqlite3")
    args = parser.parse_args()
    os.environ["DATABASE_URL"] = args.database_url
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings.local")
    os.environ["LOG_LEVEL"] = "WARNING"
    if args.database_url.startswith("sqlite:///"):
        Path(args.database_url.removeprefix("sqlite:///")).unlink(missing_ok=True)
    subprocess.run([sys.executable, "manage.py", "migrate", "-v0"], cwd=ROOT, check=True)
    sys.path.insert(0, str(ROOT))
    import django

    django.setup()
    from django.db import transaction

    from accounts.models import Agency
    from claims.models import LossRunReport, ReportTerm
    from claims.readiness import insured_readiness
    from claims.services import claims_insert, movement_refresh
    from claims.summaries import insured_summary
    from vault.models import Carrier, Insured, LossRunRequest

    rnd = random.Random(3)
    stamp = time.time_ns()
    agency = Agency.objects.create(name=f"Bench {stamp}", slug=f"bench-{stamp}")
    insured = Insured.objects.create(agency=agency, legal_name="Bench Insured")
    carrier = Carrier.objects.create(legal_name="Bench Carrier")
    LossRunRequest.objects.create(
        agency=agency, insured=insured, carrier=carrier, years_requested=5
    )
    newer_n = args.claims  # the current valuation holds all of them ...
    older_n = int(args.claims * 0.4)  # ... and an older one repeats 40% (reserve movement)
    t0 = time.perf_counter()
    with transaction.atomic():
        for valued, count in ((dt.date(2025, 9, 1), older_n), (dt.date(2026, 9, 1), newer_n)):
            report = LossRunReport.objects.create(
                agency=agency, insured=insured, carrier=carrier, valuation_date=valued
            )
            terms = [
                ReportTerm.objects.create(
                    agency=agency, insured=insured, report=report, policy_number=f"GL-{y}",
                    term_start=dt.date(y, 1, 1), term_end=dt.date(y + 1, 1, 1),
                    subject_premium=Decimal("2500000.00"),
                )
                for y in range(2021, 2026)
            ]  # fmt: skip

            def rows(report=report, terms=terms, count=count):
                for i in range(count):
                    term = terms[i % 5]
                    dol = term.term_start + dt.timedelta(days=rnd.randrange(360))
                    open_ = i % 3 == 0
                    paid = Decimal(rnd.randrange(0, 2_000_000)) / 100
                    reserves = (
                        Decimal(rnd.randrange(0, 5_000_000)) / 100 if open_ else Decimal("0.00")
                    )
                    lag = rnd.randrange(90)
                    yield (
                        agency.pk, insured.pk, report.pk, term.pk, carrier.pk, f"C{i:06d}", lag,
                        f"C-{i:06d}", dol, dol + dt.timedelta(days=lag), "open" if open_ else "closed",
                        "Water", "", "", paid, Decimal("0.00"), Decimal("0.00"), Decimal("0.00"),
                        reserves, paid + reserves,
                    )  # fmt: skip

            claims_insert(rows())
        movement_refresh(agency=agency, insured=insured, carrier=carrier)
    print(
        f"built {args.claims} claims in {time.perf_counter() - t0:.1f} s ({args.database_url.split(':')[0]})"
    )

    def once() -> tuple[float, float]:
        started, cpu = time.perf_counter(), time.process_time()
        summary = insured_summary(agency=agency, insured=insured)
        insured_readiness(agency=agency, insured=insured)
        elapsed, cpu_used = time.perf_counter() - started, time.process_time() - cpu
        assert summary.totals.claim_count == newer_n, summary.totals.claim_count
        return elapsed * 1000, cpu_used * 1000

    once()
    runs = [once() for _ in range(15)]
    summary = insured_summary(agency=agency, insured=insured)
    print(
        f"terms {len(summary.rows)}, claims counted {summary.totals.claim_count},"
        f" claims in two valuations {summary.movement.total} (largest {len(summary.movements)} listed)"
    )
    wall = [w for w, _ in runs]
    median, worst = statistics.median(wall), max(wall)
    cpu = statistics.median(c for _, c in runs)
    print(f"load average {os.getloadavg()[0]:.1f} on {os.cpu_count()} CPUs")
    verdict = "OK" if median < 100 else "TOO SLOW"
    print(
        f"summary + readiness: median {median:.1f} ms, worst {worst:.1f} ms (limit 100 ms) -> {verdict};"
        f" this process's CPU median {cpu:.1f} ms (SQLite runs in-process, so it includes the queries)"
    )


if __name__ == "__main__":
    main()
