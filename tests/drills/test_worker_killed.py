"""Drill: a worker is killed (SIGKILL) between claiming a notice and sending it.

The SMTP server takes the message's DATA and holds its answer, so the worker is caught
mid-send with the row claimed (`sending`). Its whole process group is killed. The claim
is then left alone until it times out; after that the sweep hands the notice to a new
worker, which sends it: one message, never two.
"""

import pytest

from tests.drills.harness import wait_until

pytestmark = pytest.mark.postgres

# outbox.delivery.CLAIM_TIMEOUT is 10 minutes; the new processes run a minute past it.
PAST_CLAIM_TIMEOUT = 11 * 60


def test_worker_killed_mid_send_notice_delivered_once_after_claim_timeout(drill, mail):
    mail.stall()
    first = drill.worker("worker-1", EMAIL_TIMEOUT=120)
    assert "Enqueued 1 notice(s)" in drill.seed(1, sweep=True)["sweep"]

    assert mail.stalled.wait(30), "the worker never reached the SMTP DATA step"
    [notice] = [n for n in drill.db.notices() if n["status"] not in ("cancelled", "superseded")]
    assert notice["status"] == "sending" and notice["attempts"] == 1

    first.kill_group()  # SIGKILL: main process and pool child, no chance to clean up
    first.popen.wait(10)
    mail.release()  # the held message is refused: nothing was delivered
    assert mail.count() == 0
    [notice] = [n for n in drill.db.notices() if n["id"] == notice["id"]]
    assert notice["status"] == "sending"

    # Before the claim times out, a sweep leaves the row alone (the worker might be alive).
    out = drill.manage("outbox_deliver", "--enqueue")
    assert "Re-enqueued 0 e-mail(s)" in out, out

    second = drill.worker("worker-2", clock=PAST_CLAIM_TIMEOUT)
    out = drill.manage("outbox_deliver", "--enqueue", clock=PAST_CLAIM_TIMEOUT)
    assert f"Re-enqueued 1 e-mail(s): {notice['email_id']}" in out, out

    def sent():
        rows = [n for n in drill.db.notices() if n["id"] == notice["id"]]
        return rows[0]["status"] == "sent" and rows[0]

    done = wait_until(sent, timeout=60, what="the abandoned notice to be sent")
    assert done["attempts"] == 2
    assert "succeeded" in second.log() and "'sent'" in second.log()
    assert mail.per_notice() == {notice["id"]: 1}
