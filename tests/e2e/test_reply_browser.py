"""A carrier's e-mailed reply, the whole loop against the live stack: the agent e-mails the
1st request to the carrier in chromium; the carrier's reply (to the request's Reply-To, the
loss runs attached) comes in through `manage.py ingest_email`; the request shows received
with the reply and its PDF (desktop and phone width); the agent gets "loss runs received"
with links to the request and the claims import; the tracker sends nothing for it after,
at any later time. A second reply without an attachment shows "needs attention" until the
agent marks it handled. A bounce of the e-mail to the carrier shows "Not delivered" on the
request's Signature and sending page."""

from __future__ import annotations

import datetime as dt
import json
import re
import secrets
from email.message import EmailMessage
from email.utils import format_datetime, make_msgid

import pytest

from tests.e2e.helpers import ARTIFACTS, screenshot, small_pdf
from tests.e2e.seed import PHONE, sign_in

pytestmark = pytest.mark.browser

SEED = r"""
import json
from django.core.files.uploadedfile import SimpleUploadedFile
from accounts.services import agency_signup
from vault import services
from vault.documents import document_create
from vault.rules import PolicyData
import datetime as dt

run, password = {run!r}, {password!r}
user = agency_signup(
    agency_name=f"Reply Browser {{run}}", full_name="Lee Ortega",
    email=f"reply-{{run}}@e2e.example.com", password=password, state="NY",
    time_zone="America/New_York",
)
agency = user.agency
carrier = services.carrier_create_private(
    agency=agency, legal_name=f"Summit Casualty {{run}}",
    loss_run_email=f"lossruns-{{run}}@summit.example",
)
insured = services.insured_create(agency=agency, legal_name=f"Birch Cafe {{run}} LLC")
req = services.request_create(
    agency=agency, user=user, insured=insured, carrier=carrier,
    policies=[PolicyData(f"GL-{{run}}", dt.date(2024, 1, 1), dt.date(2025, 1, 1))],
)
document_create(
    agency=agency, uploaded_by=user, kind="auth_signed", request=req,
    uploaded_file=SimpleUploadedFile("signed.pdf", {signed!r}, content_type="application/pdf"),
)
print("SEED " + json.dumps({{"email": user.email, "id": req.pk,
      "carrier_email": carrier.loss_run_email, "insured": insured.legal_name}}))
"""


def _reply(carrier_mail, *, text: str, pdf: bytes | None) -> bytes:
    reply = EmailMessage()
    reply["From"] = f"Summit Loss Runs <{carrier_mail.to}>"
    reply["To"] = str(carrier_mail.message["Reply-To"])
    reply["Subject"] = "RE: " + carrier_mail.subject
    reply["Date"] = format_datetime(dt.datetime.now(dt.UTC))
    reply["Message-ID"] = make_msgid(domain="summit.example")
    reply["In-Reply-To"] = str(carrier_mail.message["Message-ID"])
    reply.set_content(text)
    if pdf is not None:
        reply.add_attachment(pdf, maintype="application", subtype="pdf", filename="loss-runs.pdf")
    return bytes(reply)


def _ingest(live_stack, raw: bytes, name: str) -> str:
    path = live_stack.tmp / name
    path.write_bytes(raw)
    return live_stack.manage("ingest_email", str(path)).stdout


def test_the_carriers_reply_lands_on_its_request(live_stack, new_context, browser_log):
    run = secrets.token_hex(3)
    password = f"Reply-{secrets.token_urlsafe(10)}"
    signed = small_pdf("Signed authorization")
    out = live_stack.shell(SEED.format(run=run, password=password, signed=signed))
    seeded = json.loads(out.split("SEED ", 1)[1])
    seeded["password"] = password
    request_id = seeded["id"]
    folder = ARTIFACTS / "reply"

    # 1. The agent e-mails the 1st request to the carrier.
    agent = new_context().new_page()
    sign_in(agent, seeded)
    agent.goto(f"/vault/requests/{request_id}/send/")
    agent.get_by_role("button", name="Send 1st request").click()
    agent.get_by_text(f"1st request e-mailed to {seeded['carrier_email']}").wait_for()
    carrier_mail = live_stack.outbox.wait_for(
        lambda m: seeded["carrier_email"] in m.to, what="the carrier's e-mail"
    )

    # 2. The carrier replies with the loss runs: ingested as a raw message.
    report = _ingest(
        live_stack,
        _reply(carrier_mail, text="The loss runs are attached.", pdf=small_pdf("Loss runs")),
        "reply.eml",
    )
    assert f"Request {request_id} " in report and "matched by Reply-To token" in report, report
    assert "Filed loss-runs.pdf as Loss run" in report and "Marked the request received" in report

    # 3. The request shows received, the reply and its PDF (desktop, then phone width).
    agent.goto(f"/vault/requests/{request_id}/edit/")
    replies = agent.locator("#replies")
    replies.get_by_text("Marked the request received on").wait_for()
    assert agent.locator(".page-head .badge").inner_text() == "Received"
    assert replies.get_by_role("link", name="loss-runs.pdf").is_visible()
    assert replies.get_by_role("button", name=re.compile("Undo")).is_visible()
    replies.scroll_into_view_if_needed()
    screenshot(agent, folder / "request-received-desktop.png")
    phone = new_context(viewport=PHONE, is_mobile=True, has_touch=False).new_page()
    sign_in(phone, seeded)
    phone.goto(f"/vault/requests/{request_id}/edit/")
    phone.locator("#replies").get_by_text("Marked the request received on").wait_for()
    assert phone.evaluate("document.documentElement.scrollWidth") <= PHONE["width"]
    phone.locator("#replies").scroll_into_view_if_needed()
    screenshot(phone, folder / "request-received-phone.png")

    # 4. The agent was told, with links to the request and to the claims import.
    told = live_stack.outbox.wait_for(
        lambda m: m.subject.startswith("Loss runs received:") and seeded["insured"] in m.subject,
        what="the agent's 'loss runs received' e-mail",
    )
    assert seeded["email"] in told.to
    told.link_to(f"/vault/requests/{request_id}/edit/")
    told.link_to("/import/")

    # 5. The tracker sends nothing for the request, now or at any later time.
    now = live_stack.manage("tracker_sweep").stdout
    later = live_stack.manage(
        "tracker_sweep",
        "--now",
        (dt.datetime.now(dt.UTC) + dt.timedelta(days=60)).isoformat(),
        "--dry-run",
    ).stdout
    assert f"request {request_id} " not in now + later, now + later
    assert not [
        m
        for m in live_stack.outbox.messages()
        if m.tracker_notice and f"/vault/requests/{request_id}/" in m.text
    ]

    # 6. A question without an attachment: "needs attention" until marked handled.
    _ingest(
        live_stack,
        _reply(carrier_mail, text="Please also send the FEIN.", pdf=None),
        "question.eml",
    )
    agent.reload()
    alert = agent.get_by_text("Carrier replied: needs attention.")
    alert.wait_for()
    screenshot(agent, folder / "needs-attention-desktop.png")
    agent.get_by_role("button", name="Mark as handled").click()
    agent.get_by_text("Marked as handled.").wait_for()
    assert agent.get_by_text("Carrier replied: needs attention.").count() == 0

    # 7. The carrier's server returns the e-mail: the send shows "Not delivered".
    bounce = EmailMessage()
    bounce["From"] = "Mail Delivery System <MAILER-DAEMON@mx.summit.example>"
    bounce["To"] = str(carrier_mail.message["From"])
    bounce["Subject"] = "Undelivered Mail Returned to Sender"
    bounce["Date"] = format_datetime(dt.datetime.now(dt.UTC))
    bounce["Message-ID"] = make_msgid(domain="mx.summit.example")
    bounce.set_content(
        "Your message could not be delivered: 550 5.1.1 User unknown.\n\n"
        f"Message-ID: {carrier_mail.message['Message-ID']}\n"
    )
    report = _ingest(live_stack, bytes(bounce), "bounce.eml")
    assert "Marked the 1st request to" in report and "not delivered" in report, report
    agent.goto(f"/vault/requests/{request_id}/send/")
    agent.get_by_text("Not delivered").first.wait_for()
    screenshot(agent, folder / "send-not-delivered-desktop.png")
    phone.goto(f"/vault/requests/{request_id}/edit/")
    phone.get_by_text("Not delivered:").wait_for()
    assert phone.evaluate("document.documentElement.scrollWidth") <= PHONE["width"]
    screenshot(phone, folder / "request-not-delivered-phone.png")
    assert not browser_log.problems, browser_log.problems
