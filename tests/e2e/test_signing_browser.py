"""E-signature in chromium: the agent sends for signature, the signer signs at phone width
by drawing with the mouse, then the agent e-mails the 1st request to the carrier."""

from __future__ import annotations

import json
import re
import secrets

import pytest

from tests.e2e.helpers import ARTIFACTS, screenshot
from tests.e2e.seed import PHONE, sign_in

pytestmark = pytest.mark.browser

SEED = r"""
import datetime as dt, json
from accounts.services import agency_signup
from vault import services
from vault.rules import PolicyData

run, password = {run!r}, {password!r}
user = agency_signup(
    agency_name=f"Signing Browser {{run}}", full_name="Sam Okafor",
    email=f"sign-{{run}}@e2e.example.com", password=password, state="NY",
    time_zone="America/New_York",
)
agency = user.agency
carrier = services.carrier_create_private(
    agency=agency, legal_name=f"Granite Casualty {{run}}",
    loss_run_email=f"lossruns-{{run}}@granite.example",
)
insured = services.insured_create(
    agency=agency, legal_name=f"Aster Florist {{run}} LLC", signer_name="Pat Rivera",
    signer_title="President", signer_email=f"pat-{{run}}@aster.example",
)
req = services.request_create(
    agency=agency, user=user, insured=insured, carrier=carrier,
    policies=[PolicyData(f"GL-{{run}}", dt.date(2024, 1, 1), dt.date(2025, 1, 1))],
    recipient_name="Sam Okafor", recipient_email=user.email,
)
print("SEED " + json.dumps({{"email": user.email, "id": req.pk, "signer": insured.signer_email,
      "carrier_email": carrier.loss_run_email, "insured": insured.legal_name}}))
"""


def test_sign_at_phone_width_then_send_to_carrier(live_stack, new_context, browser_log):
    run = secrets.token_hex(3)
    password = f"Sign-{secrets.token_urlsafe(10)}"
    out = live_stack.shell(SEED.format(run=run, password=password))
    seeded = json.loads(out.split("SEED ", 1)[1])
    seeded["password"] = password
    folder = ARTIFACTS / "signing"

    agent = new_context().new_page()
    sign_in(agent, seeded)
    agent.goto(f"/vault/requests/{seeded['id']}/send/")
    agent.get_by_role("button", name="Send for signature").click()
    agent.get_by_text(f"Sent for signature to {seeded['signer']}").wait_for()

    link_mail = live_stack.outbox.wait_for(
        lambda m: seeded["signer"] in m.to and "Please sign" in m.subject,
        what="the signing e-mail",
    )
    link = re.search(r"http://\S+/sign/\S+/", link_mail.text).group(0)

    signer = new_context(viewport=PHONE, is_mobile=True, has_touch=False).new_page()
    signer.goto(link)
    assert seeded["insured"] in signer.locator(".letter-preview").inner_text()
    assert signer.evaluate("document.documentElement.scrollWidth") <= PHONE["width"]
    signer.get_by_label("I agree to sign this authorization electronically.").check()
    canvas = signer.locator("#signature-canvas")
    canvas.scroll_into_view_if_needed()
    box = canvas.bounding_box()
    signer.mouse.move(box["x"] + 20, box["y"] + box["height"] / 2)
    signer.mouse.down()
    for i in range(1, 12):
        signer.mouse.move(box["x"] + 20 + i * 25, box["y"] + box["height"] / 2 + (-1) ** i * 25)
    signer.mouse.up()
    screenshot(signer, folder / "signing-phone.png")
    signer.get_by_role("button", name="Sign", exact=True).click()
    signer.get_by_text("Signed. Thank you.").wait_for()
    screenshot(signer, folder / "signed-phone.png")

    live_stack.outbox.wait_for(
        lambda m: seeded["signer"] in m.to and "signed copy" in m.subject,
        what="the signer's copy",
    )
    agent.reload()
    agent.get_by_role("button", name="Send 1st request").click()
    agent.get_by_text(f"1st request e-mailed to {seeded['carrier_email']}").wait_for()
    carrier_mail = live_stack.outbox.wait_for(
        lambda m: seeded["carrier_email"] in m.to, what="the carrier's e-mail"
    )
    names = [part.get_filename() for part in carrier_mail.message.iter_attachments()]
    assert len(names) == 2 and all(n.endswith(".pdf") for n in names)
    assert any(n.startswith("authorization-signed") for n in names)
    assert re.match(r"lossruns\+r[0-9a-z]+\.[0-9a-f]{24}@", str(carrier_mail.message["Reply-To"]))
    assert not browser_log.problems, browser_log.problems
