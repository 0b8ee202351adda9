"""The sweep against 1,000,000 requests on PostgreSQL: nothing due, 1,000 due, full scan.

    .venv/bin/python bench/tracker_sweep.py [--requests 1000000] [--due 1000]

Generates the requests once with INSERT ... SELECT generate_series (10 agencies in
different time zones and states); `--due` of them have their day-2 reminder due at the
benchmark's moment, every other one is due later or received. Deliveries go to Celery's
in-memory broker (nothing is sent); the count of enqueued messages is checked.
"""

import argparse
import datetime as dt
import statistics
import time

import tracker_setup  # noqa: F401  (Django on bench_tracker)
from django.db import connection, transaction

from accounts.models import Agency, User
from config.celery_app import app
from outbox.models import Email
from tracker.calendar import calendar_for_agency, closed_days_by_agency
from tracker.models import Notification
from tracker.schedule import request_milestones
from tracker.services import sweep
from vault.models import Carrier, Insured, LossRunRequest

UTC = dt.UTC
NOW = dt.datetime(2026, 3, 4, 16, 1, tzinfo=UTC)  # Wed 08:01 in Los Angeles, later further east
DUE_CREATED = dt.datetime(2026, 3, 2, 15, 0, tzinfo=UTC)  # Mon: day-2 reminder due Wed 08:00 local
ZONES = [
    "America/New_York",
    "America/Chicago",
    "America/Denver",
    "America/Phoenix",
    "America/Los_Angeles",
]


def seed(n_requests: int, force: bool = False) -> None:
    if not force and LossRunRequest.objects.filter(notes="bench").count() == n_requests:
        return
    print(f"Generating {n_requests:,} requests ...", flush=True)
    t0 = time.perf_counter()
    with transaction.atomic():
        with connection.cursor() as cur:  # bench_tracker is the benchmark's own database
            cur.execute(
                "TRUNCATE accounts_agency, accounts_user, vault_carrier RESTART IDENTITY CASCADE"
            )
        carrier = Carrier.objects.create(legal_name="Bench Carrier Mutual")
        agencies = []
        for i in range(10):
            agency = Agency.objects.create(
                name=f"Bench Agency {i}",
                slug=f"bench-{i}",
                state=["NY", "MA", "CA", "TX", "IL"][i % 5],
                time_zone=ZONES[i % len(ZONES)],
                holiday_calendar="federal_state" if i % 2 else "federal",
                copy_addresses=f"copies{i}@bench.test",
            )
            user = User.objects.create_user(f"owner{i}@bench.test", agency=agency, role="owner")
            insured = Insured.objects.create(agency=agency, legal_name=f"Bench Insured {i} LLC")
            agencies.append((agency.pk, user.pk, insured.pk))
    values = ", ".join(f"({k}, {a}, {u}, {i})" for k, (a, u, i) in enumerate(agencies))
    with connection.cursor() as cur:
        # Every 10th request received; 7 in 10 first-requested 0-8 days before NOW (second
        # request due later); 2 in 10 created on Tuesday (day-2 reminder on Thursday).
        cur.execute(
            f"""
            INSERT INTO vault_lossrunrequest (years_requested, recipient_name, recipient_email, notes,
                created_at, updated_at, first_request_on, second_request_at, received_on,
                second_request_due_at, helpdesk_due_at, next_due_at,
                agency_id, created_by_id, insured_id, carrier_id, "authorization", helpdesk_open)
            SELECT 5, '', '', 'bench',
                created, created,
                CASE WHEN g %% 10 < 7 THEN DATE '2026-03-04' - (g %% 9) END,
                NULL,
                CASE WHEN g %% 10 = 9 THEN DATE '2026-03-03' END,
                NULL, NULL,
                CASE WHEN g %% 10 = 9 THEN NULL
                     WHEN g %% 10 < 7 THEN TIMESTAMPTZ '2026-03-09 13:00+00' + (g %% 20) * INTERVAL '1 day'
                     ELSE TIMESTAMPTZ '2026-03-05 13:00+00' END,
                a.agency, a.owner, a.insured, %s, 'signed', false
            FROM generate_series(1, %s) AS g
            CROSS JOIN LATERAL (SELECT TIMESTAMPTZ '2026-03-03 15:00+00' AS created) c
            JOIN (VALUES {values}) AS a(k, agency, owner, insured) ON a.k = (g / 10) %% 10
            """,
            [carrier.pk, n_requests],
        )
        cur.execute("VACUUM ANALYZE vault_lossrunrequest")
    print(f"  done in {time.perf_counter() - t0:.1f} s", flush=True)


def make_due(n_due: int) -> list[int]:
    """Reset: no notices; the first `n_due` open, unrequested requests are due at NOW."""
    Notification.objects.all().delete()
    Email.objects.all().delete()
    with connection.cursor() as cur:
        cur.execute(
            "UPDATE vault_lossrunrequest SET next_due_at = TIMESTAMPTZ '2026-03-05 13:00+00', created_at = %s"
            " WHERE next_due_at <= %s",
            [dt.datetime(2026, 3, 3, 15, tzinfo=UTC), NOW],
        )
        cur.execute(
            """UPDATE vault_lossrunrequest SET created_at = %s, next_due_at = %s WHERE id IN (
                 SELECT id FROM vault_lossrunrequest WHERE first_request_on IS NULL AND received_on IS NULL
                 ORDER BY id LIMIT %s) RETURNING id""",
            [DUE_CREATED, DUE_CREATED + dt.timedelta(hours=1), n_due],
        )
        ids = [r[0] for r in cur.fetchall()]
    # next_due_at as the service computes it (the local 08:00 of each agency's zone)
    for req in LossRunRequest.objects.filter(pk__in=ids).select_related("agency"):
        req.next_due_at = min(m.due_at for m in request_milestones(req))
        LossRunRequest.objects.filter(pk=req.pk).update(next_due_at=req.next_due_at)
    return ids


def queued() -> int:
    """Notices enqueued: drains the in-memory queue, counting the ids of fan-out messages."""
    n = 0
    with app.connection_for_write() as conn:
        channel = conn.default_channel
        while (message := channel.basic_get("celery", no_ack=True)) is not None:
            args = message.decode()[0]
            n += len(args[0]) if message.headers["task"].endswith("email_deliver_many") else 1
    return n


def purge() -> None:
    with app.connection_for_write() as conn:
        conn.default_channel.queue_purge("celery")


def timed(fn, repeat: int) -> list[float]:
    out = []
    for _ in range(repeat):
        t0 = time.perf_counter()
        fn()
        out.append((time.perf_counter() - t0) * 1000)
    return out


def report(label: str, ms: list[float]) -> None:
    print(
        f"{label:62s} min {min(ms):8.1f}  median {statistics.median(ms):8.1f}  max {max(ms):8.1f} ms  (n={len(ms)})",
        flush=True,
    )


def next_due_index(present: bool) -> None:
    """Drop (or recreate) the next_due_at index: the sweep's query then scans the table."""
    name = "vault_lossrunrequest_next_due_at_7f932be9"
    with connection.cursor() as cur:
        if present:
            cur.execute(f"CREATE INDEX IF NOT EXISTS {name} ON vault_lossrunrequest (next_due_at)")
        else:
            cur.execute(f"DROP INDEX IF EXISTS {name}")
        cur.execute("ANALYZE vault_lossrunrequest")


def naive_compute_all(now: dt.datetime) -> int:
    """The design the indexed column avoids: compute every open request's milestones."""
    agencies = {a.pk: a for a in Agency.objects.all()}
    closed = closed_days_by_agency(agencies)
    cals = {pk: calendar_for_agency(a, closed[pk]) for pk, a in agencies.items()}
    due = 0
    open_requests = LossRunRequest.objects.filter(received_on__isnull=True).only(
        "id", "agency_id", "created_at", "first_request_on", "second_request_at", "received_on"
    )
    for req in open_requests.iterator(chunk_size=20000):
        req.agency = agencies[req.agency_id]
        due += any(m.due_at <= now for m in request_milestones(req, cals[req.agency_id]))
    return due


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--requests", type=int, default=1_000_000)
    parser.add_argument("--due", type=int, default=1000)
    parser.add_argument(
        "--naive", action="store_true", help="also time computing every open request in Python"
    )
    parser.add_argument("--reseed", action="store_true", help="generate the requests again")
    args = parser.parse_args()
    seed(args.requests, force=args.reseed)
    total = LossRunRequest.objects.count()
    print(f"{total:,} requests, {Agency.objects.count()} agencies; sweep at {NOW.isoformat()}")

    make_due(0)
    sweep(now=NOW)  # warm up: calendars, connection
    report("indexed sweep, nothing due", timed(lambda: sweep(now=NOW), 30))

    def due_run():
        make_due(args.due)
        purge()
        t0 = time.perf_counter()
        result = sweep(now=NOW)
        ms = (time.perf_counter() - t0) * 1000
        assert len(result.created) == args.due, (len(result.created), result.errors[:3])
        n_queued = queued()
        assert n_queued == args.due, n_queued
        assert Notification.objects.filter(status="queued").count() == args.due
        assert Email.objects.filter(status="pending").count() == args.due
        return ms

    due_run()  # warm up the broker connection
    report(
        f"indexed sweep, {args.due:,} due: notices created, e-mails rendered and queued, enqueued",
        [due_run() for _ in range(7)],
    )
    with connection.cursor() as cur:
        cur.execute(
            "EXPLAIN SELECT id FROM vault_lossrunrequest WHERE next_due_at <= %s ORDER BY next_due_at LIMIT 1000",
            [NOW],
        )
        print("  plan:", " / ".join(r[0].strip() for r in cur.fetchall()[:2]))

    make_due(0)
    next_due_index(False)
    try:
        report(
            "full scan (next_due_at index dropped), nothing due", timed(lambda: sweep(now=NOW), 10)
        )
        report(
            f"full scan (next_due_at index dropped), {args.due:,} due",
            [due_run() for _ in range(5)],
        )
    finally:
        next_due_index(True)

    if args.naive:
        make_due(args.due)
        t0 = time.perf_counter()
        n = naive_compute_all(NOW)
        report(
            f"naive: compute milestones of all open requests ({n:,} due)",
            [(time.perf_counter() - t0) * 1000],
        )
    make_due(0)


if __name__ == "__main__":
    main()
