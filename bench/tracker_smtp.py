"""10,000 notices delivered to a local SMTP server (aiosmtpd): no duplicate, no loss.

    .venv/bin/python bench/tracker_smtp.py [--notices 10000] [--workers 8]

Creates the requests of one agency on bench_tracker, sweeps once (10,000 notices, each
with its outbox e-mail), then delivers the e-mails with a thread pool where every one is
handed to TWO workers (a duplicated enqueue). The SMTP server answers "451 try again" to the first attempt of every
50th notice; those rows end up failed, the outbox sweep re-enqueues them after
their backoff and they are delivered. The server counts messages by their X-Tracker-Notice
header. Bounded: it stops by itself (and aborts after 15 minutes).
"""

import argparse
import datetime as dt
import signal
import socket
import threading
import time
from collections import Counter
from concurrent.futures import ThreadPoolExecutor
from email import message_from_bytes

import tracker_setup  # noqa: F401  (Django on bench_tracker)
from aiosmtpd.controller import Controller
from django.conf import settings
from django.db import connection, connections, transaction

from accounts.models import Agency, User
from outbox.delivery import DeliveryError, email_deliver, requeue
from outbox.models import Email
from tracker.models import Notification
from tracker.services import sweep
from vault.models import Carrier, Insured

UTC = dt.UTC
NOW = dt.datetime(2026, 3, 4, 13, 1, tzinfo=UTC)  # day-2 reminders (New York 08:00) are due
SLUG = "smtp-bench"


class Counting:
    def __init__(self) -> None:
        self.lock = threading.Lock()
        self.received: Counter[str] = Counter()
        self.message_ids: Counter[str] = Counter()
        self.refused: Counter[str] = Counter()

    async def handle_DATA(self, server, session, envelope):
        msg = message_from_bytes(envelope.content)
        notice = msg["X-Tracker-Notice"]
        with self.lock:
            if int(notice) % 50 == 0 and not self.refused[notice]:
                self.refused[notice] += 1
                return "451 4.3.0 Try again later"
            self.received[notice] += 1
            self.message_ids[msg["Message-ID"]] += 1
        return "250 OK"


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def cleanup() -> None:
    with connection.cursor() as cur:
        cur.execute(
            "DELETE FROM tracker_notification WHERE agency_id IN (SELECT id FROM accounts_agency WHERE slug = %s)",
            [SLUG],
        )
        cur.execute(
            "DELETE FROM outbox_email WHERE agency_id IN (SELECT id FROM accounts_agency WHERE slug = %s)",
            [SLUG],
        )
        cur.execute(
            "DELETE FROM vault_lossrunrequest WHERE agency_id IN (SELECT id FROM accounts_agency WHERE slug = %s)",
            [SLUG],
        )
        cur.execute(
            "DELETE FROM vault_insured WHERE agency_id IN (SELECT id FROM accounts_agency WHERE slug = %s)",
            [SLUG],
        )
        cur.execute(
            "DELETE FROM accounts_user WHERE agency_id IN (SELECT id FROM accounts_agency WHERE slug = %s)",
            [SLUG],
        )
        cur.execute("DELETE FROM accounts_agency WHERE slug = %s", [SLUG])


def seed(n: int) -> None:
    cleanup()
    with transaction.atomic():
        agency = Agency.objects.create(
            name="SMTP Bench Agency", slug=SLUG, copy_addresses="copies@smtp-bench.test"
        )
        user = User.objects.create_user("owner@smtp-bench.test", agency=agency, role="owner")
        insured = Insured.objects.create(agency=agency, legal_name="SMTP Bench Insured LLC")
        carrier = Carrier.objects.create(legal_name="SMTP Bench Carrier")
    with connection.cursor() as cur:
        cur.execute(
            """
            INSERT INTO vault_lossrunrequest (years_requested, recipient_name, recipient_email, notes,
                created_at, updated_at, agency_id, created_by_id, insured_id, carrier_id, next_due_at,
                "authorization", helpdesk_open)
            SELECT 5, '', '', 'smtp-bench', TIMESTAMPTZ '2026-03-02 15:00+00', TIMESTAMPTZ '2026-03-02 15:00+00',
                %s, %s, %s, %s, TIMESTAMPTZ '2026-03-04 13:00+00', 'signed', false
            FROM generate_series(1, %s)
            """,
            [agency.pk, user.pk, insured.pk, carrier.pk, n],
        )


def deliver_all(ids: list[int], workers: int, now: dt.datetime) -> Counter:
    outcomes: Counter[str] = Counter()
    lock = threading.Lock()

    def one(pk: int) -> None:
        try:
            outcome = email_deliver(email_id=pk, now=now)
        except DeliveryError:
            outcome = "failed"
        with lock:
            outcomes[outcome] += 1

    def run(chunk: list[int]) -> None:
        try:
            for pk in chunk:
                one(pk)
        finally:
            connections.close_all()

    doubled = [pk for pk in ids for _ in range(2)]  # every notice enqueued twice
    chunks = [doubled[i::workers] for i in range(workers)]
    with ThreadPoolExecutor(workers) as pool:
        list(pool.map(run, chunks))
    return outcomes


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--notices", type=int, default=10_000)
    parser.add_argument("--workers", type=int, default=8)
    args = parser.parse_args()
    signal.alarm(900)

    handler = Counting()
    port = free_port()
    controller = Controller(handler, hostname="127.0.0.1", port=port)
    controller.start()
    settings.EMAIL_BACKEND = "django.core.mail.backends.smtp.EmailBackend"
    settings.EMAIL_HOST, settings.EMAIL_PORT, settings.EMAIL_TIMEOUT = "127.0.0.1", port, 10
    settings.EMAIL_USE_TLS = False
    settings.EMAIL_HOST_USER = settings.EMAIL_HOST_PASSWORD = ""
    try:
        seed(args.notices)
        t0 = time.perf_counter()
        result = sweep(now=NOW, batch_size=1000)
        t_sweep = time.perf_counter() - t0
        notice_ids = list(result.enqueued)
        ids = list(
            Notification.objects.filter(pk__in=notice_ids).values_list("email_id", flat=True)
        )
        assert len(ids) == args.notices, len(ids)
        print(f"sweep: {len(ids):,} notices created, e-mails queued in {t_sweep:.2f} s", flush=True)

        t0 = time.perf_counter()
        first = deliver_all(ids, args.workers, NOW)
        t_first = time.perf_counter() - t0
        print(
            f"pass 1 ({args.workers} workers, each notice handed out twice): {dict(first)} in {t_first:.1f} s"
        )

        later = NOW + dt.timedelta(minutes=3)  # after the first backoff (2 minutes)
        retry = requeue(now=later, enqueue=False)
        print(f"outbox sweep at +3 min re-enqueues {len(retry.requeued)} failed e-mail(s)")
        t0 = time.perf_counter()
        second = deliver_all(retry.requeued, args.workers, later)
        print(f"pass 2: {dict(second)} in {time.perf_counter() - t0:.1f} s")
    finally:
        controller.stop()

    statuses = Counter(Email.objects.filter(pk__in=ids).values_list("status", flat=True))
    dupes = {k: v for k, v in handler.received.items() if v > 1}
    missing = {str(pk) for pk in notice_ids} - set(handler.received)
    print(
        f"server received {sum(handler.received.values()):,} messages, {len(handler.received):,} distinct notices;"
    )
    print(
        f"  refused once (451): {len(handler.refused)}; duplicates: {len(dupes)}; missing: {len(missing)}"
    )
    print(f"  distinct Message-IDs: {len(handler.message_ids):,}; rows by status: {dict(statuses)}")
    print(
        f"  throughput pass 1: {sum(first.values()) / t_first:,.0f} deliveries/s (incl. duplicate hand-outs)"
    )
    assert not dupes and not missing and statuses == {"sent": args.notices}
    cleanup()
    print("OK: no duplicate, no loss")


if __name__ == "__main__":
    main()
