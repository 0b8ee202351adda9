"""Carrier figures (median / p90 business days, 2nd-request and Help Desk shares) for 1,000
carriers over 1,000,000 requests on PostgreSQL.

    createdb -h localhost -U lossrun bench_carriers         # once
    .venv/bin/python bench/carrier_stats.py generate        # ~3 min here: INSERT ... SELECT
    .venv/bin/python bench/carrier_stats.py measure [--runs 20] [--explain]

DATABASE_URL defaults to postgres://lossrun:lossrun@localhost:5432/bench_carriers. Data
generated before a later migration: `manage.py migrate` with the same DATABASE_URL first.

`generate` migrates, then fills 100 agencies with 10,000 requests each spread over 1,000
platform carriers: 95% sent (a 1st-request date), of those 85% received with a stored
turnaround (each carrier its own pace), 20% with a 2nd request and 3% with a Help Desk
ticket. Nothing goes row by row through the ORM.

`measure` times the real selectors (escalation.performance): the platform-wide figures of
every carrier (the heavy case: all 1,000,000 rows), one agency's figures of every carrier,
and one page of the Carriers page's figures (50 carriers, agency + platform), beside a bare
grouped count of the same rows (the floor of any per-carrier figure on this machine).
PostgreSQL picks the covering index over a sequential scan only with an SSD-like
random_page_cost: run with PGOPTIONS="-c random_page_cost=1.1" to measure that plan.
"""

from __future__ import annotations

import argparse
import os
import statistics
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings.test")
os.environ.setdefault("DATABASE_URL", "postgres://lossrun:lossrun@localhost:5432/bench_carriers")
os.environ["CELERY_TASK_ALWAYS_EAGER"] = "false"
os.environ["CELERY_BROKER_URL"] = "memory://"

import django  # noqa: E402

django.setup()

from django.core.management import call_command  # noqa: E402
from django.db import connection  # noqa: E402
from django.test.utils import CaptureQueriesContext  # noqa: E402

from accounts.models import Agency  # noqa: E402
from escalation.performance import (  # noqa: E402
    agency_carrier_figures,
    platform_carrier_figures,
)

AGENCIES = 100
PER_AGENCY = 10_000
CARRIERS = 1_000
INSUREDS = 1_000

REQUESTS_SQL = """
INSERT INTO vault_lossrunrequest (
    agency_id, insured_id, carrier_id, years_requested, recipient_name, recipient_email,
    created_at, updated_at, first_request_on, second_request_at, received_on, notes,
    governing_state, statute_condition_met, statutory_due_on, turnaround_business_days,
    "authorization", helpdesk_open)
SELECT %(agency)s, %(ins0)s + (g %% %(nins)s), carrier, 5, 'Bench', 'agent@bench.test',
       first_on - 1 + time '10:00', first_on - 1 + time '10:00',
       CASE WHEN sent THEN first_on END,
       CASE WHEN sent AND u2 < 0.20 THEN first_on + 14 + time '11:00' END,
       CASE WHEN sent AND u3 < 0.85 THEN first_on + (days * 7) / 5 END,
       '', 'FL', false,
       CASE WHEN sent THEN first_on + 15 END,
       CASE WHEN sent AND u3 < 0.85 THEN days END,
       'signed', false
FROM (
    SELECT g, %(car0)s + ((g * 7919 + %(agency)s) %% %(ncar)s) AS carrier,
           date '2024-01-01' + (g %% 600) AS first_on,
           random() < 0.95 AS sent, random() AS u2, random() AS u3,
           3 + ((g * 7919 + %(agency)s) %% %(ncar)s) %% 12 + floor(random() * 8)::int AS days
    FROM generate_series(1, %(n)s) AS g
) s
"""


def generate() -> None:
    if connection.vendor != "postgresql":
        sys.exit("The carrier benchmark runs on PostgreSQL: set DATABASE_URL.")
    call_command("migrate", verbosity=0)
    with connection.cursor() as cur:
        cur.execute("SELECT count(*) FROM vault_lossrunrequest")
        if cur.fetchone()[0]:
            sys.exit("bench_carriers already has requests; drop and recreate it to regenerate.")
    t0 = time.perf_counter()
    agencies = Agency.objects.bulk_create(
        Agency(name=f"Bench Agency {i}", slug=f"bench-{i}", state="FL") for i in range(AGENCIES)
    )
    with connection.cursor() as cur:
        cur.execute(
            """INSERT INTO vault_carrier (legal_name, naic_code, group_name, states, loss_run_email,
                   fax, phone, mailing_address, notes, portal_url, requirements, created_at)
               SELECT 'Carrier ' || g || ' Mutual', (10000 + g)::text, '', '', '', '', '', '', '',
                      '', '', now()
               FROM generate_series(1, %s) AS g""",
            [CARRIERS],
        )
        cur.execute("SELECT min(id) FROM vault_carrier")
        car0 = cur.fetchone()[0]
        for agency in agencies:
            cur.execute(
                """INSERT INTO vault_insured (agency_id, legal_name, dba, mailing_address, state,
                       fein, contact_name, contact_email, contact_phone, signer_name,
                       signer_title, signer_email, created_at)
                   SELECT %s, 'Insured ' || g, '', '', 'FL', '', '', '', '', '', '', '', now()
                   FROM generate_series(1, %s) AS g RETURNING id""",
                [agency.pk, INSUREDS],
            )
            ins0 = min(row[0] for row in cur.fetchall())
            cur.execute(
                REQUESTS_SQL,
                {"agency": agency.pk, "ins0": ins0, "nins": INSUREDS, "car0": car0,
                 "ncar": CARRIERS, "n": PER_AGENCY},
            )  # fmt: skip
            cur.execute(
                """INSERT INTO vault_document (agency_id, kind, file, original_name, content_type,
                       size, sha256, uploaded_at)
                   VALUES (%s, 'auth_signed', 'bench.pdf', 'bench.pdf', 'application/pdf', 1, '',
                           now()) RETURNING id""",
                [agency.pk],
            )
            doc = cur.fetchone()[0]
            cur.execute(
                """INSERT INTO helpdesk_ticket (agency_id, request_id, status, priority,
                       submitted_at, first_response_due_at, updated_at,
                       confirmed_common_mistakes_at, waiting_for, signed_first_request_id)
                   SELECT agency_id, id, 'resolved_received', 'normal', now(), now(), now(),
                          now(), '', %s
                   FROM vault_lossrunrequest
                   WHERE agency_id = %s AND second_request_at IS NOT NULL AND random() < 0.15""",
                [doc, agency.pk],
            )
            cur.execute(  # what ticket_submit does to the request
                """UPDATE vault_lossrunrequest SET went_to_helpdesk = true
                   WHERE id IN (SELECT request_id FROM helpdesk_ticket WHERE agency_id = %s)""",
                [agency.pk],
            )
        cur.execute("VACUUM ANALYZE")
    print(f"generated in {time.perf_counter() - t0:.1f} s")
    with connection.cursor() as cur:
        for table in ("vault_lossrunrequest", "helpdesk_ticket", "vault_carrier"):
            cur.execute(f"SELECT count(*) FROM {table}")  # noqa: S608 - fixed table names
            print(f"  {table}: {cur.fetchone()[0]:,}")


def _time(fn, runs: int) -> tuple[float, float, int, int]:
    fn()  # warm
    times = []
    for _ in range(runs):
        with CaptureQueriesContext(connection) as ctx:
            t0 = time.perf_counter()
            result = fn()
            times.append((time.perf_counter() - t0) * 1000)
    times.sort()
    p90 = times[max(0, int(len(times) * 0.9) - 1)]
    return statistics.median(times), p90, len(ctx.captured_queries), len(result)


def measure(runs: int, explain: bool) -> None:
    agency = Agency.objects.order_by("pk").first()
    page = list(range(*_carrier_range(50)))

    def scan_floor():
        # The least any per-carrier figure over every row costs: one grouped count.
        with connection.cursor() as cur:
            cur.execute(
                "SELECT carrier_id, count(*) FROM vault_lossrunrequest"
                " WHERE first_request_on IS NOT NULL GROUP BY carrier_id"
            )
            return cur.fetchall()

    cases = [
        ("floor: a bare grouped count of the same rows", scan_floor),
        ("platform, every carrier (1,000,000 rows)", platform_carrier_figures),
        ("one agency, every carrier (10,000 rows)", lambda: agency_carrier_figures(agency=agency)),
        (
            "Carriers page: 50 carriers, agency + platform",
            lambda: {
                **agency_carrier_figures(agency=agency, carrier_ids=page),
                **platform_carrier_figures(carrier_ids=page),
            },
        ),
    ]
    print(f"{'case':48} {'median':>9} {'p90':>9} {'queries':>8} {'carriers':>9}")
    for label, fn in cases:
        median, p90, queries, n = _time(fn, runs)
        print(f"{label:48} {median:7.0f}ms {p90:7.0f}ms {queries:8} {n:9}")
    if explain:
        with CaptureQueriesContext(connection) as ctx:
            platform_carrier_figures()
        with connection.cursor() as cur:
            for q in ctx.captured_queries:
                cur.execute("EXPLAIN (ANALYZE, BUFFERS) " + q["sql"])
                print("\n".join(row[0] for row in cur.fetchall()), "\n")


def _carrier_range(n: int) -> tuple[int, int]:
    with connection.cursor() as cur:
        cur.execute("SELECT min(id) FROM vault_carrier")
        first = cur.fetchone()[0]
    return first, first + n


if __name__ == "__main__":
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    sub = parser.add_subparsers(dest="cmd", required=True)
    sub.add_parser("generate")
    m = sub.add_parser("measure")
    m.add_argument("--runs", type=int, default=20)
    m.add_argument("--explain", action="store_true")
    args = parser.parse_args()
    if args.cmd == "generate":
        generate()
    else:
        measure(args.runs, args.explain)
