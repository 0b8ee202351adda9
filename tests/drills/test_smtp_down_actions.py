"""Drill: the SMTP server is down while an agency hands a request to the Help Desk and
while an owner invites a colleague.

Both actions succeed for the person (no error page: nothing talks to the mail server in
the request); their e-mails wait in the outbox as failed with the error; once the server
answers again each is delivered exactly once, although Celery's own retries and the
outbox sweep's re-enqueue both try to send them.
"""

import json
import re

import pytest

from tests.drills.harness import WebSession, wait_until

pytestmark = pytest.mark.postgres

TWO_HOURS = 2 * 3600  # past any backoff (at most an hour): the sweep retries every failed row
KINDS = {"helpdesk.staff_new_ticket", "helpdesk.agency_status", "accounts.invitation"}


def tasks_settled(log: str) -> bool:
    """Every delivery task has finished after its last scheduled retry (see test_smtp_down)."""
    last: dict[str, str] = {}
    for task_id, event in re.findall(
        r"Task outbox\.tasks\.email_deliver\[([0-9a-f-]+)\] (received|retry|succeeded|raised)",
        log,
    ):
        if event != "received":
            last[task_id] = event
    return bool(last) and all(event != "retry" for event in last.values())


def test_smtp_down_while_submitting_to_the_help_desk_and_inviting(drill, mail):
    mail.down()
    port = drill.web()
    worker = drill.worker("worker")
    seeded = json.loads(drill.run(["-m", "tests.drills.seed_actions"]))
    web = WebSession(port)
    wait_until(lambda: web.get("/healthz")[0] == 200, timeout=60, what="the web server")
    web.sign_in(seeded["owner_email"], "correct-horse-battery")

    status, url, page = web.post_form(
        f"/helpdesk/submit/{seeded['request_id']}/",
        {
            "signed_first_request": str(seeded["signed_id"]),
            f"proof_{seeded['proof_id']}": ["GL-123"],
            "message": "Carrier never answered.",
            "confirm_common_mistakes": "on",
        },
    )
    assert status == 200 and re.search(r"/helpdesk/tickets/\d+/$", url), (url, page[-2000:])
    status, url, page = web.post_form("/agency/team/invite/", {"email": "new@colleague.test"})
    assert status == 200 and url.endswith("/agency/team/"), (url, page[-2000:])
    assert "new@colleague.test" in page and "could not be sent" not in page

    def all_failed():
        rows = drill.db.emails()
        return (
            {r["kind"] for r in rows} == KINDS
            and all(r["status"] == "failed" for r in rows)
            and rows
        )

    failed = wait_until(all_failed, timeout=60, what="every e-mail to fail on the closed port")
    assert len(failed) == 3
    for row in failed:
        assert row["attempts"] >= 1
        assert "Connection refused" in row["last_error"], row["last_error"]
    assert mail.count() == 0

    mail.up()
    # The outbox sweep, two hours on, re-enqueues what is still unsent (how many depends on
    # which Celery retries already fired): both paths race for the same rows.
    out = drill.manage("outbox_deliver", "--enqueue", clock=TWO_HOURS)
    assert re.search(r"Re-enqueued \d e-mail\(s\)", out), out

    def all_sent():
        rows = drill.db.emails()
        return all(r["status"] == "sent" for r in rows) and rows

    sent = wait_until(all_sent, timeout=60, what="every e-mail to be sent")
    assert all(r["last_error"] == "" for r in sent)
    wait_until(
        lambda: tasks_settled(worker.log()),
        timeout=150,
        interval=1,
        what="the scheduled retries to fire",
    )
    assert mail.per_message_id() == {r["message_id"]: 1 for r in sent}
    assert mail.count() == 3
