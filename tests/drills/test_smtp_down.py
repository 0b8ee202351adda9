"""Drill: the SMTP server is down while notices fall due, then comes back.

The notices stay unsent with the error on the row (failed, retried with backoff), and once
the server answers again every one of them is delivered, none twice, even though Celery's
own retries and the sweep's re-enqueue both try to send them.
"""

import re

import pytest

from tests.drills.harness import wait_until
from tests.drills.web import WebSession

pytestmark = pytest.mark.postgres

N = 8
TWO_HOURS = 2 * 3600  # past any backoff (at most an hour): the sweep retries every failed row


def live(notices):
    return [n for n in notices if n["status"] not in ("cancelled", "superseded")]


def tasks_settled(log: str) -> bool:
    """Every delivery task the worker saw has finished after its last scheduled retry.

    A Celery retry keeps the task id; a task is settled when its last line is a result
    (succeeded or raised), not a "retry: Retry in Ns" still waiting for its time.
    """
    last: dict[str, str] = {}
    for task_id, event in re.findall(
        r"Task outbox\.tasks\.email_deliver\[([0-9a-f-]+)\] (received|retry|succeeded|raised)",
        log,
    ):
        if event != "received":
            last[task_id] = event
    return bool(last) and all(event != "retry" for event in last.values())


def test_smtp_down_then_back_every_notice_delivered_once(drill, mail):
    mail.down()
    port = drill.web(wait=False)
    worker = drill.worker("worker")
    seeded = drill.seed(N, sweep=True)
    assert f"Enqueued {N} notice(s)" in seeded["sweep"]

    def all_failed():
        rows = live(drill.db.notices())
        return len(rows) == N and all(r["status"] == "failed" for r in rows) and rows

    failed = wait_until(all_failed, timeout=60, what="every notice to fail on the closed port")
    assert {r["request_id"] for r in failed} == set(seeded["request_ids"])
    for row in failed:
        assert row["attempts"] >= 1
        assert "Connection refused" in row["last_error"], row["last_error"]
    assert mail.count() == 0
    # The agent sees it on the request: the notice and the error, not a silent gap.
    web = WebSession(port)
    wait_until(lambda: web.get("/healthz")[0] == 200, timeout=60, what="the web server")
    web.sign_in(seeded["owner_email"], "correct-horse-battery")
    status, row = web.get(f"/vault/requests/{failed[0]['request_id']}/row/")
    assert status == 200
    assert "Failed (will retry)" in row and "Error: ConnectionRefusedError" in row, row[-2000:]

    mail.up()
    # The outbox sweep, two hours on, re-enqueues every failed row; Celery's retries are in
    # flight too.
    out = drill.manage("outbox_deliver", "--enqueue", clock=TWO_HOURS)
    assert re.search(r"Re-enqueued [1-9]\d* e-mail", out), out

    def all_sent():
        rows = live(drill.db.notices())
        return all(r["status"] == "sent" for r in rows) and rows

    sent = wait_until(all_sent, timeout=60, what="every notice to be sent")
    assert all(r["last_error"] == "" for r in sent)

    # Let every Celery retry scheduled while the server was down fire and find the row sent.
    wait_until(
        lambda: tasks_settled(worker.log()),
        timeout=150,
        interval=1,
        what="the scheduled retries to fire",
    )
    assert "'skipped'" in worker.log()  # a retry or a re-enqueue found its row already sent
    per_notice = mail.per_notice()
    assert per_notice == {r["id"]: 1 for r in sent}, per_notice
    assert mail.count() == N
