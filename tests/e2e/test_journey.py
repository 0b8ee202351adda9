"""The whole journey of one loss-run request, in a real browser against the live stack.

An agent signs up, builds a request, prints and files the authorization, enters the 1st
request; the tracker (its sweep, replayed at past moments with --now, delivered by the real
Celery worker) e-mails the 2nd-request notice, then the help-desk notice; the agent follows
each e-mail's link (the first one signed out: sign-in, then the form; for another agency's
user the same link is a 404), hands the request to the help desk (first without proof of
carrier), staff follow their e-mail into the admin and resolve the ticket as received, the
agent sees it received, and nothing is sent any more, at any later time.

The clock: `tracker_sweep --now` only replays moments that have passed (a future moment
only with --dry-run), so the 1st request is dated about five weeks back; its 10th business
day and the 24 hours after the 2nd request then fall in the past, where the
sweep can be replayed, and the real-time rules of the forms (no date in the future) hold.
"""

from __future__ import annotations

import datetime as dt
import json
import re
import secrets
import zoneinfo
from pathlib import Path

import pytest

from tests.e2e.accessibility import audit
from tests.e2e.helpers import ARTIFACTS, pdf_text, screenshot, small_pdf, wait_until
from tracker.calendar import BusinessCalendar, get_calendar
from tracker.models import MilestoneKind
from tracker.timeline import AgencyClock, helpdesk_due_at, notice_moment

pytestmark = pytest.mark.browser

TZ = zoneinfo.ZoneInfo("America/New_York")  # the time zone chosen at sign-up
SECOND_REQUEST_AT = dt.time(10, 30)
AGENCY_CLOCK = """
import json
from accounts.models import User
a = User.objects.get(email={email!r}).agency
print("CLOCK " + json.dumps({{
    "tz": a.time_zone, "state": a.calendar_state, "notify": a.notify_time.isoformat(),
    "closed": [d.isoformat() for d in a.closed_days.values_list("date", flat=True)],
}}))
"""


def agency_clock(live_stack, email: str) -> tuple[dt.time, BusinessCalendar]:
    """The new agency's notify time and business calendar, as the tracker will use them."""
    data = json.loads(live_stack.shell(AGENCY_CLOCK.format(email=email)).split("CLOCK ", 1)[1])
    assert data["tz"] == TZ.key
    closed = tuple(sorted(dt.date.fromisoformat(d) for d in data["closed"]))
    return dt.time.fromisoformat(data["notify"]), get_calendar(data["state"], closed)


OTHER_AGENCY = """
from accounts.services import agency_signup
agency_signup(agency_name="Elsewhere Insurance", full_name="Pat Other", email={email!r},
              password={password!r}, state="NJ", time_zone="America/New_York")
"""


def sign_in(page, email: str, password: str) -> None:
    """Fill and send the sign-in form the page shows."""
    page.locator("#id_username").fill(email)
    page.locator("#id_password").fill(password)
    page.get_by_role("button", name="Sign in").click()


def local(day: dt.date, at: dt.time) -> dt.datetime:
    return dt.datetime.combine(day, at, TZ)


def iso(moment: dt.datetime) -> str:
    return moment.astimezone(dt.UTC).isoformat()


class Steps:
    """A screenshot of every step of the journey, kept whether the test passes or not."""

    def __init__(self, folder: Path) -> None:
        self.folder = folder
        self.n = 0
        folder.mkdir(parents=True, exist_ok=True)
        for old in folder.glob("*.png"):
            old.unlink()

    def shot(self, page, name: str) -> None:
        self.n += 1
        screenshot(page, self.folder / f"{self.n:02d}-{name}.png")


def sweep(live_stack, at: dt.datetime | None = None, *args: str) -> str:
    """`manage.py tracker_sweep [--now AT]` with the stack's environment; its output."""
    now = ["--now", iso(at)] if at else []
    done = live_stack.manage("tracker_sweep", *now, *args)
    return done.stdout + done.stderr


def notices_for(live_stack, request_id: int):
    """The tracker's e-mails about one request (their links name it)."""
    marker = f"/vault/requests/{request_id}/"
    return [m for m in live_stack.outbox.messages() if m.tracker_notice and marker in m.text]


def assert_plain_link(live_stack, url: str) -> None:
    """An e-mail link: absolute on SITE_URL, no token or other credential in it."""
    assert url.startswith(live_stack.base_url + "/"), url
    assert "token" not in url.lower() and "@" not in url, url
    # The only query a link carries: the date field to focus on the request's next-step card.
    query = url.split("#", 1)[0].partition("?")[2]
    assert query == "" or re.fullmatch(r"focus=[a-z_]+", query), url


def test_whole_journey(live_stack, new_context, browser_log, staff_credentials):
    steps = Steps(ARTIFACTS / "journey")
    run = secrets.token_hex(3)
    insured = f"Harbor Bakery {run} LLC"
    carrier = f"Keystone Mutual {run}"
    policies = [f"GL-{run}-01", f"CP-{run}-02"]
    message = f"Called the carrier twice ({run}); their loss-run desk never answered."
    owner_email = f"owner-{run}@e2e.example.com"
    password = f"Vault-{secrets.token_urlsafe(10)}"

    agent = new_context()
    page = agent.new_page()

    # 1. Sign up a new agency -----------------------------------------------------------
    page.goto("/signup/")
    agency_name = f"Lakeside Insurance {run}"
    page.get_by_label("Agency name").fill(agency_name)
    page.get_by_label("State").select_option("NY")
    page.get_by_label("Time zone").select_option("America/New_York")
    page.get_by_label("Your name").fill("Dana Whitfield")
    page.get_by_label("Your e-mail address").fill(owner_email)
    steps.shot(page, "signup")
    page.get_by_role("button", name="Continue").click()
    page.get_by_role("heading", name="Check your e-mail").wait_for()
    welcome = live_stack.outbox.wait_for(
        lambda m: owner_email in m.to and "/signup/finish/" in m.text, what="the sign-up link"
    )
    page.goto(welcome.link_to("/signup/finish/"))
    page.get_by_label("Password", exact=True).fill(password)
    page.get_by_label("Password again").fill(password)
    steps.shot(page, "signup-finish")
    page.get_by_role("button", name="Create my agency").click()
    page.wait_for_url(live_stack.url("/"))
    assert page.get_by_role("heading", name=re.compile("^Today")).is_visible()
    steps.shot(page, "today-after-signup")

    # The dates of the journey, on the agency's own calendar (weekends, federal holidays and
    # its state's when chosen): the 1st request about five weeks back, so its 10th business
    # day and the 24 hours after the 2nd request are past moments the sweep replays.
    notify_at, calendar = agency_clock(live_stack, owner_email)
    today = dt.datetime.now(TZ).date()
    first_request_on = calendar.next_business_day_on_or_after(today - dt.timedelta(days=35))
    ninth_day = calendar.add_business_days(first_request_on, 9)
    tenth_day = calendar.add_business_days(first_request_on, 10)
    second_request_at = local(tenth_day, SECOND_REQUEST_AT)
    # 24 clock hours, then moved into working hours (a weekend or holiday: the notify time
    # of the next business day).
    clock = AgencyClock(cal=calendar, tz=TZ, notify_time=notify_at)
    helpdesk_due = notice_moment(helpdesk_due_at(second_request_at), clock)
    assert helpdesk_due + dt.timedelta(hours=1) < dt.datetime.now(TZ)

    # 2. The Request Builder: insured and carrier added inline, two policies --------------
    page.get_by_role("navigation", name="Main").get_by_role("link", name="New request").click()
    page.wait_for_url("**/vault/requests/new/")
    page.get_by_text("Not in the list? Add a new insured").click()
    page.get_by_label("Legal name", exact=True).fill(insured)
    page.locator("#id_ni-signer_name").fill("Robin Harbor")
    page.locator("#id_ni-signer_title").fill("President")
    page.get_by_role("button", name="Add this insured").click()
    page.get_by_text(f"Added {insured} and chose it for this request.").wait_for()
    assert page.locator("input[type=hidden][name=insured]").input_value()
    assert page.locator("#id_insured_q").input_value() == insured

    page.get_by_text("Not in the directory? Add a private carrier").click()
    page.get_by_label("Carrier legal name").fill(carrier)
    page.locator("#id_nc-loss_run_email").fill(f"lossruns-{run}@carrier.example.com")
    page.get_by_role("button", name="Add this carrier").click()
    page.get_by_text(f"Added {carrier} (private to your agency)").wait_for()
    assert page.locator("input[type=hidden][name=carrier]").input_value()

    terms = [("2023-07-01", "2024-07-01"), ("2024-07-01", "2025-07-01")]
    page.locator("#id_policies-0-policy_number").fill(policies[0])
    page.locator("#id_policies-0-term_start").fill(terms[0][0])
    page.locator("#id_policies-0-term_end").fill(terms[0][1])
    page.get_by_role("button", name="+ Add another policy").click()
    page.locator("#id_policies-1-policy_number").fill(policies[1])
    page.locator("#id_policies-1-line_of_business").select_option(index=1)
    page.locator("#id_policies-1-term_start").fill(terms[1][0])
    page.locator("#id_policies-1-term_end").fill(terms[1][1])
    steps.shot(page, "request-builder")
    page.get_by_role("button", name="Create request").click()
    page.wait_for_url(re.compile(r"/vault/requests/\d+/edit/$"))
    request_id = int(re.search(r"/vault/requests/(\d+)/edit/", page.url).group(1))
    assert page.get_by_role("heading", name="Update the Loss Run Retrieval Request").is_visible()
    steps.shot(page, "request-created")

    # 3. The authorization letter (PDF) ---------------------------------------------------
    letter_link = page.get_by_role("link", name="Authorization letter (PDF)").first
    response = agent.request.get(letter_link.get_attribute("href"))
    assert response.status == 200
    assert response.headers["content-type"] == "application/pdf"
    letter = response.body()
    assert letter.startswith(b"%PDF")
    (steps.folder / "authorization-letter.pdf").write_bytes(letter)
    text = " ".join(pdf_text(letter).split())
    assert insured in text
    assert all(number in text for number in policies), text[:2000]

    # 4. Upload the signed copy --------------------------------------------------------
    upload = page.locator("form.docs-upload")
    upload.get_by_label("What is it?").select_option(label="Authorization letter (signed)")
    upload.locator("input[type=file]").set_input_files(
        files={
            "name": "signed-authorization.pdf",
            "mimeType": "application/pdf",
            "buffer": small_pdf(f"Signed by Robin Harbor for {insured}"),
        }
    )
    upload.get_by_role("button", name="Upload").click()
    docs = page.locator(f"#docs-{request_id}")
    docs.get_by_text("Uploaded signed-authorization.pdf.").wait_for()
    assert docs.get_by_role("link", name="signed-authorization.pdf").is_visible()
    steps.shot(page, "signed-copy-uploaded")

    # 5. The 1st request's date ----------------------------------------------------------
    # The next-step card, at the top of the page, saves the date on its own (htmx).
    card = page.locator("#next-step")
    card.get_by_label("Date the 1st request was sent").fill(first_request_on.isoformat())
    card.get_by_role("button", name="Save the date").click()
    page.locator("#next-step").get_by_text("Dates saved").wait_for()
    steps.shot(page, "first-request-entered")
    # Ten business days are long gone in real time: Today lists it as a 2nd request due.
    page.get_by_role("navigation", name="Main").get_by_role("link", name="Today").click()
    due_today = page.locator("#today-second_due").locator("xpath=ancestor::section[1]")
    due_today.get_by_text(insured).wait_for()
    steps.shot(page, "today-second-request-due")

    # 6. The 10th business day: the sweep, the worker, the e-mail, its link ---------------
    early = sweep(live_stack, local(ninth_day, notify_at) + dt.timedelta(minutes=5))
    assert f"request {request_id} " not in early, early
    out = sweep(live_stack, local(tenth_day, notify_at) + dt.timedelta(minutes=5))
    assert f"due: request {request_id} {MilestoneKind.SECOND_REQUEST_DUE.label}" in out, out
    notice = live_stack.outbox.wait_for(
        lambda m: m.tracker_notice and f"/vault/requests/{request_id}/edit/" in m.text,
        timeout=45,
        what="the 2nd-request notice, delivered by the Celery worker",
    )
    assert insured in notice.subject and "2nd request" in notice.subject, notice.subject
    assert owner_email in notice.to
    edit_link = notice.link_to(f"/vault/requests/{request_id}/edit/")
    letter2_link = notice.link_to(f"/vault/requests/{request_id}/second-request-letter.pdf")
    for link in notice.links():
        assert_plain_link(live_stack, link)
    second_letter = agent.request.get(letter2_link)
    assert second_letter.status == 200 and second_letter.body().startswith(b"%PDF")

    # The agent opens the e-mail in a browser that is not signed in: the link asks for the
    # sign-in and then opens the form (the link itself carries no credential).
    agent = new_context()
    page = agent.new_page()
    page.goto(edit_link)
    page.wait_for_url(re.compile(r"/accounts/login/\?next="))
    steps.shot(page, "email-link-asks-sign-in")
    sign_in(page, owner_email, password)
    # The sign-in's redirect keeps the query (?focus=), not the #fragment: the field is
    # focused all the same (autofocus).
    page.wait_for_url(edit_link.split("#", 1)[0])
    assert page.get_by_role("heading", name="Update the Loss Run Retrieval Request").is_visible()
    steps.shot(page, "edit-form-from-email")

    # Someone of another agency who gets hold of the link: 404 after sign-in, like a typo.
    other_email, other_password = (
        f"other-{run}@e2e.example.com",
        f"Other-{secrets.token_urlsafe(9)}",
    )
    live_stack.shell(OTHER_AGENCY.format(email=other_email, password=other_password))
    stranger = new_context().new_page()
    stranger.goto("/accounts/login/")
    sign_in(stranger, other_email, other_password)
    stranger.wait_for_url(live_stack.url("/"))
    for link in (edit_link, letter2_link):
        assert stranger.goto(link).status == 404, link
    stranger.close()

    # 7. Record the 2nd request (date and time, in the agency's time) ---------------------
    # The e-mail's link landed on the card with the 2nd request's field focused.
    assert page.evaluate("document.activeElement.id") == "id_dates-second_request_at"
    page.locator("#id_dates-second_request_at").fill(second_request_at.strftime("%Y-%m-%dT%H:%M"))
    page.locator("#next-step").get_by_role("button", name="Save the date").click()
    page.locator("#next-step").get_by_text("Dates saved").wait_for()
    steps.shot(page, "second-request-recorded")

    # 8. Past the 24 hours: the help-desk notice --------------------------------
    early = sweep(live_stack, helpdesk_due - dt.timedelta(minutes=10))
    assert f"request {request_id} " not in early, early
    out = sweep(live_stack, helpdesk_due + dt.timedelta(minutes=5))
    assert f"due: request {request_id} {MilestoneKind.HELPDESK_DUE.label}" in out, out
    notice = live_stack.outbox.wait_for(
        lambda m: m.tracker_notice and f"/helpdesk/submit/{request_id}/" in m.text,
        timeout=45,
        what="the help-desk notice, delivered by the Celery worker",
    )
    assert insured in notice.subject, notice.subject
    helpdesk_link = notice.link_to(f"/helpdesk/submit/{request_id}/")
    for link in notice.links():
        assert_plain_link(live_stack, link)
    assert len(notices_for(live_stack, request_id)) == 2

    page.goto(helpdesk_link)
    assert page.get_by_role("heading", name="Hand over to the Help Desk").is_visible()
    steps.shot(page, "helpdesk-form-from-email")

    # 9. Submit without proof of carrier: a clear error, nothing typed is lost -------------
    signed_choice = page.get_by_label(re.compile(r"signed-authorization\.pdf"))
    assert signed_choice.is_checked()
    page.get_by_label("Message to the help desk").fill(message)
    page.get_by_label("I reviewed the Common Mistakes list").check()
    page.get_by_role("button", name="Submit to the Help Desk").click()
    page.get_by_text("Add the most current proof of carrier").wait_for()
    assert page.url == helpdesk_link
    assert page.get_by_label("Message to the help desk").input_value() == message
    assert page.get_by_label("I reviewed the Common Mistakes list").is_checked()
    assert page.get_by_label(re.compile(r"signed-authorization\.pdf")).is_checked()
    steps.shot(page, "helpdesk-without-proof")

    # ... then with a declarations page covering every policy number.
    page.locator("#id_new0_file").set_input_files(
        files={
            "name": "declarations-page.pdf",
            "mimeType": "application/pdf",
            "buffer": small_pdf(f"Declarations {carrier}: {', '.join(policies)}"),
        }
    )
    page.locator("#id_new0_kind").select_option(label="Proof of carrier: declarations page")
    boxes = page.locator("input[name=new0_policies]")
    assert boxes.count() == len(policies)
    for i in range(boxes.count()):
        boxes.nth(i).check()
    page.get_by_role("button", name="Submit to the Help Desk").click()
    page.wait_for_url(re.compile(r"/helpdesk/tickets/\d+/$"))
    ticket_id = int(re.search(r"/helpdesk/tickets/(\d+)/", page.url).group(1))
    page.get_by_text(f"Ticket #{ticket_id} is with the help desk.").wait_for()
    steps.shot(page, "ticket-submitted")
    confirmation = live_stack.outbox.wait_for(
        lambda m: (
            m.subject == f"[{agency_name}] Help desk ticket #{ticket_id}: Submitted ({insured})"
        ),
        what="the agency's confirmation of the ticket",
    )
    assert owner_email in confirmation.to
    to_staff = live_stack.outbox.wait_for(
        lambda m: m.subject.startswith(f"[{agency_name}] New help desk ticket #{ticket_id}:"),
        what="the help desk's e-mail about the new ticket",
    )
    assert message in to_staff.text and all(n in to_staff.text for n in policies)
    admin_link = to_staff.link_to(f"/admin/helpdesk/ticket/{ticket_id}/change/")

    # 10. Staff follow their e-mail's link and resolve the ticket as received -------------
    staff = new_context().new_page()
    staff_email, staff_password = staff_credentials
    staff.goto(admin_link)
    staff.wait_for_url(re.compile(r"/admin/login/\?next="))
    staff.locator("#id_username").fill(staff_email)
    staff.locator("#id_password").fill(staff_password)
    staff.get_by_role("button", name="Log in").click()
    staff.wait_for_url(f"**/admin/helpdesk/ticket/{ticket_id}/change/")
    assert audit(staff) == []  # the ticket page passes the accessibility audit
    staff.locator("#id_status").select_option(label="Resolved: received")
    staff.locator("#id_received_on").fill(today.isoformat())
    steps.shot(staff, "admin-resolve")
    staff.locator("input[name=_save]").first.click()
    staff.locator(".messagelist .success").wait_for()
    assert staff.locator(".errornote").count() == 0
    steps.shot(staff, "admin-resolved")
    resolved = live_stack.outbox.wait_for(
        lambda m: (
            m.subject
            == f"[{agency_name}] Help desk ticket #{ticket_id}: Resolved: received ({insured})"
        ),
        what="the agency's e-mail that the ticket is resolved",
    )
    assert owner_email in resolved.to
    page.goto(resolved.link_to(f"/helpdesk/tickets/{ticket_id}/"))
    assert page.locator("h1 .badge").inner_text() == "Resolved: received"

    # 11. The agent sees the request received in the vault --------------------------------
    page.goto(f"/vault/?q={policies[0]}")
    row = page.locator(f"#req-{request_id}")
    assert row.locator(".badge").inner_text() == "Received"
    assert row.locator('td[data-label="Received"]').inner_text() == (
        f"{today:%b} {today.day}, {today.year}"
    )
    row.locator(".expand-toggle").click()
    detail = page.locator(f"#detail-{request_id}")
    detail.wait_for()
    assert detail.locator(".badge-sent").count() == 2, detail.inner_text()
    steps.shot(page, "vault-received")

    # 12. No further e-mail at any later time ---------------------------------------------
    seen = live_stack.outbox.keys()
    done_before = live_stack.worker.log_text().count(" succeeded in ")
    out = sweep(live_stack)
    assert f"request {request_id} " not in out, out
    later = sweep(live_stack, dt.datetime.now(TZ) + dt.timedelta(days=60), "--dry-run")
    assert f"request {request_id} " not in later, later
    enqueued = int(re.search(r"Enqueued (\d+) notice", out).group(1))
    if enqueued:  # other agencies' notices: let the worker finish them before looking
        wait_until(
            lambda: live_stack.worker.log_text().count(" succeeded in ") >= done_before + enqueued,
            timeout=30,
            what="the worker to finish the notices just enqueued",
        )
    new = [
        m
        for m in live_stack.outbox.new_since(seen)
        if insured in m.subject or f"/vault/requests/{request_id}/" in m.text
    ]
    assert new == [], [m.subject for m in new]
    assert len(notices_for(live_stack, request_id)) == 2

    browser_log.assert_clean()
