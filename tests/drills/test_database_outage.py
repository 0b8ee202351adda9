"""Drill: the database goes away and comes back.

The web app (gunicorn, as deployed) and a Celery worker reach PostgreSQL through a TCP
proxy in the test. Cutting the proxy drops their connections and refuses new ones:
/healthz answers 503 naming the database, and a delivery that runs meanwhile fails
without losing its notice. Restoring the proxy: /healthz is 200 again and the same worker
process (no restart) delivers both the notice that failed and a new one, each once.
"""

import json
import urllib.error
import urllib.request

import pytest

from tests.drills.harness import TcpProxy, free_port, wait_until

pytestmark = pytest.mark.postgres

PAST_ENQUEUE_GRACE = 6 * 60  # outbox.delivery.ENQUEUE_GRACE is 5 minutes


def healthz(port: int) -> tuple[int, dict]:
    try:
        with urllib.request.urlopen(f"http://127.0.0.1:{port}/healthz", timeout=10) as r:  # noqa: S310
            return r.status, json.loads(r.read())
    except urllib.error.HTTPError as exc:
        return exc.code, json.loads(exc.read())
    except OSError:
        return 0, {}


def live(drill):
    return [n for n in drill.db.notices() if n["status"] not in ("cancelled", "superseded")]


def test_database_goes_away_and_returns(drill, mail):
    proxy = TcpProxy(drill.db.host, drill.db.port, free_port())
    proxy.restore()
    try:
        via_proxy = drill.db.url(host="127.0.0.1", port=proxy.port)
        port = drill.web(wait=False, database_url=via_proxy)
        worker = drill.worker("worker", database_url=via_proxy)
        status, _ = wait_until(
            lambda: healthz(port)[0] == 200 and healthz(port), timeout=60, what="web to start"
        )

        # Working normally: a notice goes out through the proxied connection.
        drill.seed(1, sweep=True)
        wait_until(lambda: mail.count() == 1, timeout=30, what="the first notice")

        proxy.cut()
        status, body = healthz(port)
        assert status == 503, body
        assert body["status"] == "unavailable"
        assert any(p.startswith("database: OperationalError") for p in body["problems"]), body

        # A notice falls due during the outage: the worker cannot claim it; the row waits.
        drill.seed(1, sweep=True)  # the sweep itself reaches the database directly
        worker.wait_for_log(
            r"email_deliver\[[^\]]+\] raised unexpected: OperationalError", timeout=30
        )
        [waiting] = [n for n in live(drill) if n["status"] != "sent"]
        assert waiting["status"] == "pending" and waiting["attempts"] == 0

        proxy.restore()
        wait_until(lambda: healthz(port)[0] == 200, timeout=30, what="/healthz to be 200 again")

        # Same worker process, no restart: the waiting notice (re-enqueued once its grace has
        # passed) and a brand-new one are both delivered.
        drill.seed(1, sweep=True, clock=PAST_ENQUEUE_GRACE)
        out = drill.manage("outbox_deliver", "--enqueue", clock=PAST_ENQUEUE_GRACE)
        assert f"Re-enqueued 1 e-mail(s): {waiting['email_id']}" in out, out
        wait_until(
            lambda: len(live(drill)) == 3 and all(n["status"] == "sent" for n in live(drill)),
            timeout=60,
            what="both notices after the outage",
        )
        assert worker.popen.poll() is None
        assert worker.log().count("ready.") == 1
        assert mail.per_notice() == {n["id"]: 1 for n in live(drill)}
    finally:
        proxy.close()
