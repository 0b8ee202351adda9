"""The vault's first page with 1,000,000 requests on PostgreSQL, 100,000 of them in one agency.

    createdb -h localhost -U lossrun bench_vault          # once
    .venv/bin/python bench/vault_list.py generate         # ~1-2 min: INSERT ... SELECT generate_series
    .venv/bin/python bench/vault_list.py measure [--runs 30]

DATABASE_URL defaults to postgres://lossrun:lossrun@localhost:5432/bench_vault.

`generate` migrates, then fills 100 agencies: agency "bench-big" gets 100,000 requests
(20,000 insureds), the 99 others 909,090 together, 2,000 platform carriers, 1 to 2 policies per
request, and a realistic mix of statuses (most received, some in every open status). Nothing
goes row by row through the ORM.

`measure` signs in as the big agency's owner and calls the real view through Django's test
Client (all middleware, session, template rendering): median and p90 server time of N runs
and the number of queries, for the unfiltered first page, status filters, searches, a
deeper page (keyset: page 20, page 1,000, the last page), the CSV of a filtered set and the Today page.
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
os.environ.setdefault("DATABASE_URL", "postgres://lossrun:lossrun@localhost:5432/bench_vault")
os.environ.setdefault("ACCESS_LOG_LEVEL", "WARNING")
os.environ["CELERY_TASK_ALWAYS_EAGER"] = "false"
os.environ["CELERY_BROKER_URL"] = "memory://"

import django  # noqa: E402

django.setup()

from django.core.management import call_command  # noqa: E402
from django.db import connection  # noqa: E402
from django.test import Client  # noqa: E402
from django.test.utils import CaptureQueriesContext  # noqa: E402

from accounts.models import Agency, User  # noqa: E402

BIG = "bench-big"
BIG_REQUESTS = 100_000
TOTAL_REQUESTS = 1_000_000
AGENCIES = 100
CARRIERS = 2_000
BIG_INSUREDS = 20_000
SMALL_INSUREDS = 2_000
OWNER = "owner@bench-big.test"

# One request row per generate_series value. u picks the status bucket; every tracking date
# lies in the past; the due columns follow the tracker's meaning (approximately: calendar
# days, not business days, which changes nothing for the list's speed).
REQUESTS_SQL = """
INSERT INTO vault_lossrunrequest (
    agency_id, insured_id, carrier_id, years_requested, recipient_name, recipient_email,
    created_by_id, created_at, updated_at, first_request_on, second_request_at, received_on,
    notes, second_request_due_at, helpdesk_due_at, next_due_at)
SELECT %(agency)s, %(ins0)s + (g %% %(nins)s), %(car0)s + ((g * 7919) %% %(ncar)s), 5,
       'Bench Agent', 'agent@bench.test', %(user)s, created, created,
       first_on, second_at, received,
       '',
       CASE WHEN first_on IS NOT NULL AND second_at IS NULL AND received IS NULL
            THEN first_on + 14 + time '13:00' END,
       CASE WHEN second_at IS NOT NULL AND received IS NULL THEN second_at + interval '1 day' END,
       CASE WHEN received IS NOT NULL THEN NULL
            WHEN first_on IS NULL THEN created + interval '2 days'
            WHEN second_at IS NULL THEN first_on + 14 + time '13:00'
            ELSE second_at + interval '1 day' END
FROM (
    SELECT g, created,
           CASE WHEN u < 0.05 THEN NULL ELSE (created + interval '1 day')::date END AS first_on,
           CASE WHEN u >= 0.28 AND u < 0.40 THEN created + interval '20 days' END AS second_at,
           CASE WHEN u >= 0.40 THEN (created + interval '9 days')::date END AS received
    FROM (
        SELECT g, u,
               CASE WHEN u < 0.05 THEN now() - (random() * interval '10 days')
                    WHEN u < 0.15 THEN now() - interval '3 days' - (random() * interval '8 days')
                    ELSE now() - interval '30 days' - (random() * interval '700 days') END AS created
        FROM (SELECT g, random() AS u FROM generate_series(1, %(n)s) AS g) s0
    ) s1
) s2
"""


def generate() -> None:
    if connection.vendor != "postgresql":
        sys.exit("The vault benchmark runs on PostgreSQL: set DATABASE_URL.")
    call_command("migrate", verbosity=0)
    with connection.cursor() as cur:
        cur.execute("SELECT count(*) FROM vault_lossrunrequest")
        if cur.fetchone()[0]:
            sys.exit(
                "bench_vault already has requests; drop and recreate the database to regenerate."
            )
    t0 = time.perf_counter()
    agencies = [Agency.objects.create(name="Bench Big Agency", slug=BIG, state="NY")]
    agencies += Agency.objects.bulk_create(
        Agency(name=f"Bench Agency {i}", slug=f"bench-{i}", state="NJ") for i in range(1, AGENCIES)
    )
    owner = User.objects.create_user(
        OWNER,
        "bench-password-123",
        agency=agencies[0],
        role=User.Role.OWNER,
        full_name="Bench Owner",
    )
    small_total = TOTAL_REQUESTS - BIG_REQUESTS
    per_small = small_total // (AGENCIES - 1)
    with connection.cursor() as cur:
        cur.execute(
            """INSERT INTO vault_carrier (legal_name, naic_code, group_name, states, loss_run_email,
                   fax, phone, mailing_address, notes, created_at)
               SELECT 'Carrier ' || md5(g::text) || ' Mutual Insurance Company', (10000 + g)::text,
                      '', '', 'lossruns' || g || '@carrier.test', '', '', '', '', now()
               FROM generate_series(1, %s) AS g""",
            [CARRIERS],
        )
        cur.execute("SELECT min(id) FROM vault_carrier")
        car0 = cur.fetchone()[0]
        for i, agency in enumerate(agencies):
            n_ins = BIG_INSUREDS if i == 0 else SMALL_INSUREDS
            n_req = (
                BIG_REQUESTS
                if i == 0
                else per_small + (1 if i <= small_total % (AGENCIES - 1) else 0)
            )
            cur.execute(
                """INSERT INTO vault_insured (agency_id, legal_name, dba, mailing_address, state, fein,
                       contact_name, contact_email, contact_phone, signer_name, signer_title,
                       signer_email, created_at)
                   SELECT %s, initcap(substr(md5(g::text || %s), 1, 8)) || ' Holdings ' || g || ' LLC',
                          CASE WHEN g %% 5 = 0 THEN 'Shop ' || g ELSE '' END,
                          '', 'NY', '', '', '', '', 'Pat Signer', 'President', '', now()
                   FROM generate_series(1, %s) AS g
                   RETURNING id""",
                [agency.pk, agency.pk, n_ins],
            )
            ins0 = min(row[0] for row in cur.fetchall())
            cur.execute(
                REQUESTS_SQL,
                {
                    "agency": agency.pk,
                    "ins0": ins0,
                    "nins": n_ins,
                    "car0": car0,
                    "ncar": CARRIERS,
                    "user": owner.pk if i == 0 else None,
                    "n": n_req,
                },
            )
        cur.execute(
            """INSERT INTO vault_policy (agency_id, request_id, policy_number, line_of_business,
                   term_start, term_end)
               SELECT agency_id, id, 'GL-' || lpad(id::text, 8, '0'), 'GL', date '2024-01-01', date '2025-01-01'
               FROM vault_lossrunrequest"""
        )
        cur.execute(
            """INSERT INTO vault_policy (agency_id, request_id, policy_number, line_of_business,
                   term_start, term_end)
               SELECT agency_id, id, 'AU-' || lpad(id::text, 8, '0'), 'AUTO', date '2023-01-01', date '2024-01-01'
               FROM vault_lossrunrequest WHERE id % 3 = 0"""
        )
    with connection.cursor() as cur:
        cur.execute("VACUUM ANALYZE")
    print(f"generated in {time.perf_counter() - t0:.1f} s")
    with connection.cursor() as cur:
        for table in ("vault_lossrunrequest", "vault_policy", "vault_insured", "vault_carrier"):
            cur.execute(f"SELECT count(*) FROM {table}")  # noqa: S608 - fixed table names
            print(f"  {table}: {cur.fetchone()[0]:,}")


def _measure(client: Client, url: str, runs: int) -> tuple[float, float, int, int]:
    client.get(url)  # warm the caches (template loader, plans)
    times = []
    for _ in range(runs):
        with CaptureQueriesContext(connection) as ctx:
            t0 = time.perf_counter()
            response = client.get(url)
            if hasattr(response, "streaming_content"):
                b"".join(response.streaming_content)
            times.append((time.perf_counter() - t0) * 1000)
        assert response.status_code == 200, (url, response.status_code)
    times.sort()
    p90 = times[max(0, int(len(times) * 0.9) - 1)]
    return (
        statistics.median(times),
        p90,
        len(ctx.captured_queries),
        len(response.content) if not hasattr(response, "streaming_content") else 0,
    )


def measure(runs: int, explain: bool) -> None:
    from django.urls import reverse

    from vault.keyset import Cursor

    owner = User.objects.get(email=OWNER)
    client = Client()
    client.force_login(owner)
    with connection.cursor() as cur:
        cur.execute("SELECT count(*) FROM vault_lossrunrequest")
        total = cur.fetchone()[0]
        cur.execute(
            "SELECT count(*) FROM vault_lossrunrequest WHERE agency_id = %s", [owner.agency_id]
        )
        mine = cur.fetchone()[0]
        cur.execute(
            "SELECT legal_name FROM vault_insured WHERE agency_id = %s ORDER BY id LIMIT 1 OFFSET 777",
            [owner.agency_id],
        )
        insured_name = cur.fetchone()[0]
        cur.execute(
            """SELECT p.policy_number FROM vault_policy p WHERE p.agency_id = %s
               ORDER BY p.id LIMIT 1 OFFSET 4321""",
            [owner.agency_id],
        )
        policy_number = cur.fetchone()[0]
        # Page N starts after the last row of page N-1 (keyset): find that row once.
        cursors = {}
        for label, where in (("", ""), ("received", "AND received_on IS NOT NULL")):
            for n in (20, 1000):
                cur.execute(
                    f"""SELECT created_at, id FROM vault_lossrunrequest
                        WHERE agency_id = %s {where} ORDER BY created_at DESC, id DESC
                        LIMIT 1 OFFSET %s""",
                    [owner.agency_id, (n - 1) * 50 - 1],
                )
                row = cur.fetchone()
                cursors[label, n] = Cursor(*row).encode() if row else ""
    print(
        f"{total:,} requests in the database, {mine:,} in the measured agency; {runs} runs each\n"
    )
    vault = reverse("vault:list")
    cases = [
        ("vault, first page, no filter", vault),
        ("vault, status = 2nd request due", vault + "?status=second_due"),
        ("vault, status = help desk", vault + "?status=help_desk"),
        ("vault, status = draft", vault + "?status=draft"),
        ("vault, status = received", vault + "?status=received"),
        (f"vault, search insured '{insured_name[:8]}'", vault + "?q=" + insured_name[:8]),
        ("vault, search 'holdings 1234 '", vault + "?q=Holdings+1234+"),
        (f"vault, search policy '{policy_number}'", vault + "?q=" + policy_number),
        ("vault, search with no match", vault + "?q=zzzz-nothing"),
        ("vault, search + status", vault + "?q=holdings&status=waiting"),
        ("vault, page 20", vault + "?after=" + cursors["", 20]),
        ("vault, page 1,000", vault + "?after=" + cursors["", 1000]),
        ("vault, last page", vault + "?last=1"),
        (
            "vault, received, page 1,000",
            vault + "?status=received&after=" + cursors["received", 1000],
        ),
        ("vault, received, last page", vault + "?status=received&last=1"),
        ("vault, search 'holdings', last page", vault + "?q=holdings&last=1"),
        ("today", reverse("vault:today")),
        ("CSV export, status = help desk", reverse("vault:export_csv") + "?status=help_desk"),
    ]
    print(f"{'case':52} {'median ms':>10} {'p90 ms':>8} {'queries':>8}")
    for label, url in cases:
        median, p90, queries, _size = _measure(client, url, runs)
        print(f"{label:52} {median:10.1f} {p90:8.1f} {queries:8d}")
    if explain:
        from django.utils import timezone

        from vault.selectors import request_list

        agency = owner.agency
        for q, status in (
            ("", ""),
            ("", "second_due"),
            (insured_name[:8], ""),
            ("zzzz-nothing", ""),
        ):
            qs = request_list(agency=agency, now=timezone.now(), q=q, status=status)[:51]
            print(f"\nEXPLAIN ANALYZE q={q!r} status={status!r}")
            print(qs.explain(analyze=True))


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    sub = parser.add_subparsers(dest="command", required=True)
    sub.add_parser("generate")
    m = sub.add_parser("measure")
    m.add_argument("--runs", type=int, default=30)
    m.add_argument("--explain", action="store_true")
    args = parser.parse_args()
    if args.command == "generate":
        generate()
    else:
        measure(args.runs, args.explain)


if __name__ == "__main__":
    main()
