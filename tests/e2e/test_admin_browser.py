"""The admin pages the help desk works in, in chromium at desktop (1366 x 768, the admin's
side navigation open) and phone (390 x 844) width: the accessibility audit (axe-core,
tests/e2e/accessibility.py) finds no serious or critical violation, the CSP holds, no page
scrolls sideways, and the ticket, triage and state-rule lists fit their box beside the
navigation and the filters instead of cutting their right-hand columns off.

The pages: the admin index (the ticket queue), the ticket list and a ticket, the inbound
triage list and a message waiting for triage, the state rules.
"""

from __future__ import annotations

import json
import re
import secrets

import pytest

from tests.e2e.accessibility import audit
from tests.e2e.helpers import ARTIFACTS, BrowserLog, screenshot
from tests.e2e.seed import PHONE, seed_agency

pytestmark = pytest.mark.browser

DESKTOP = {"width": 1366, "height": 768}
LISTS = ("/admin/helpdesk/ticket/", "/admin/inbound/inboundmessage/", "/admin/statutes/staterule/")

# A ticket worked by staff and a carrier's reply waiting for triage, on the seeded agency's
# request past its second request (the factories keep the rows in that agency).
SEED = r"""
import json
from accounts.models import User
from helpdesk import services as helpdesk
from inbound.models import InboundMessage
from tests.helpdesk.factories import TicketFactory
from tests.inbound.factories import InboundMessageFactory
from vault.models import LossRunRequest

req = LossRunRequest.objects.get(pk={request_id})
staff = User.objects.get(email={staff!r})
ticket = TicketFactory(request=req)
helpdesk.ticket_assign(ticket=ticket, assignee=staff, actor=staff)
helpdesk.ticket_add_message(ticket=ticket, author=staff, body="We are calling the carrier today.")
triage = InboundMessageFactory(
    request=None, agency=None, status=InboundMessage.Status.TRIAGE, proposed_request=req,
    message_id="<triage-{run}@carrier.test>", content_sha256="{run}".ljust(64, "0"),
    subject="RE: Loss run request for " + req.insured.legal_name + ", policies on file",
    from_address="Loss Run Department <loss.runs.department@granite-casualty-{run}.example.com>",
)
print("SEED " + json.dumps({{"ticket": ticket.pk, "triage": triage.pk}}))
"""


def staff_pages(live_stack, staff_email: str) -> list[str]:
    agency = seed_agency(live_stack)
    run = secrets.token_hex(3)
    code = SEED.format(request_id=agency["second_due"]["id"], staff=staff_email, run=run)
    ids = json.loads(live_stack.shell(code).split("SEED ", 1)[1])
    return [
        "/admin/",
        "/admin/helpdesk/ticket/",
        f"/admin/helpdesk/ticket/{ids['ticket']}/change/",
        "/admin/inbound/inboundmessage/",
        f"/admin/inbound/inboundmessage/{ids['triage']}/change/",
        "/admin/statutes/staterule/",
    ]


def sign_in_staff(page, staff_credentials) -> None:
    email, password = staff_credentials
    page.goto("/admin/login/")
    page.locator("#id_username").fill(email)
    page.locator("#id_password").fill(password)
    page.get_by_role("button", name="Log in").click()
    page.wait_for_url(re.compile(r"/admin/$"))


def list_overflow(page) -> dict | None:
    """The change list's table wider than its box (its right-hand columns cut off)."""
    widths = page.evaluate(
        """() => {
            const table = document.querySelector('#result_list');
            const box = document.querySelector('#changelist .results');
            return table && box ? {table: table.scrollWidth, box: box.clientWidth} : null;
        }"""
    )
    return widths if widths and widths["table"] > widths["box"] + 1 else None


def page_overflow(page) -> dict | None:
    widths = page.evaluate(
        "({scroll: document.documentElement.scrollWidth, inner: window.innerWidth})"
    )
    return widths if widths["scroll"] > widths["inner"] + 1 else None


def test_staff_admin_pages_pass_the_audit_and_fit_desktop_and_phone(
    new_context, live_stack, staff_credentials
):
    paths = staff_pages(live_stack, staff_credentials[0])
    report: list[str] = []
    for label, options in (
        ("desktop", {"viewport": DESKTOP}),
        ("phone", {"viewport": PHONE, "is_mobile": True, "has_touch": True}),
    ):
        page = new_context(**options).new_page()
        log = BrowserLog()
        log.attach(page)
        sign_in_staff(page, staff_credentials)
        for path in paths:
            response = page.goto(path)
            page.wait_for_load_state("load")
            if response is None or response.status != 200:
                report.append(f"{path} ({label}): HTTP {response.status if response else '?'}")
            report += [f"{path} ({label}): {v}" for v in audit(page)]
            if widths := page_overflow(page):
                report.append(f"{path} ({label}): scrolls sideways {widths}")
            if path in LISTS:
                if label == "desktop":
                    assert page.locator("#nav-sidebar").is_visible(), "the navigation is open"
                if widths := list_overflow(page):
                    report.append(f"{path} ({label}): list wider than its box {widths}")
            name = re.sub(r"[^a-z0-9]+", "-", path.lower()).strip("-")
            screenshot(page, ARTIFACTS / "admin" / f"{label}-{name}.png")
        report += [f"({label}): {p}" for p in log.problems]
    assert not report, f"{len(report)} problems:\n" + "\n".join(report)
