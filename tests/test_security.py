"""Security hardening that holds across the apps: headers, CSP-clean pages and templates,
deploy checks, e-mail links without credentials, throttled sign-in, uploads never run.
"""

from __future__ import annotations

import datetime as dt
import os
import re
import subprocess
import sys
from pathlib import Path
from urllib.parse import urlsplit

import pytest
from django.conf import settings
from django.core import mail
from django.core.files.storage import default_storage
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client
from django.test.signals import template_rendered
from django.urls import resolve, reverse
from django.utils import timezone

from accounts.services import invitation_accept_url
from tests.accounts.factories import InvitationFactory
from tests.factories import AgencyFactory, LossRunRequestFactory, OwnerFactory, StaffFactory
from tests.helpdesk.factories import TicketFactory
from tests.s3 import is_s3
from tests.test_fuzz_forms import agency_urls
from tests.test_fuzz_forms import world as world  # noqa: F401,PLC0414 - the shared fixture

ROOT = Path(settings.BASE_DIR)

# --- response headers ------------------------------------------------------------------------


def csp_directives(header: str) -> dict[str, list[str]]:
    out = {}
    for part in header.split(";"):
        words = part.split()
        if words:
            out[words[0]] = words[1:]
    return out


@pytest.mark.django_db
def test_agency_page_sends_the_security_headers(owner_client):
    response = owner_client.get(reverse("vault:list"))
    assert response.status_code == 200
    csp = csp_directives(response["Content-Security-Policy"])
    for directive in ("script-src", "style-src"):
        sources = csp.get(directive) or csp["default-src"]
        assert "'unsafe-inline'" not in sources and "'unsafe-eval'" not in sources
        assert "*" not in sources and "data:" not in sources
    assert csp["default-src"] == ["'self'"]
    assert csp["object-src"] == ["'none'"]
    assert csp["frame-ancestors"] == ["'none'"]
    assert csp["base-uri"] == ["'self'"] and csp["form-action"] == ["'self'"]
    assert response["X-Frame-Options"] == "DENY"
    assert response["X-Content-Type-Options"] == "nosniff"
    assert response["Referrer-Policy"] == "same-origin"


def test_sign_in_page_sends_the_security_headers(client):
    response = client.get(reverse("login"))
    assert "'unsafe-inline'" not in response["Content-Security-Policy"]
    assert response["X-Frame-Options"] == "DENY"


# --- CSP-clean templates and pages -------------------------------------------------------------

# Never served to a browser, so never under the CSP; they need inline styles instead:
# e-mails (mail clients drop <link> and <style>) and the PDFs WeasyPrint renders server-side.
NOT_SERVED_TO_BROWSERS = {
    "templates/vault/letters/_base.html": "PDF letters (WeasyPrint)",
    "templates/claims/summary_pdf.html": "PDF claims summary (WeasyPrint)",
    "templates/esign/certificate.html": "PDF signature certificate (WeasyPrint)",
    "templates/helpdesk/letters/escalation.html": "PDF escalation letter (WeasyPrint)",
}
NOT_SERVED_DIRS = ("templates/emails/",)

INLINE_SCRIPT = re.compile(r"<script\b(?![^>]*\bsrc=)[^>]*>", re.IGNORECASE)
INLINE_STYLE_ATTR = re.compile(r"\sstyle\s*=", re.IGNORECASE)
STYLE_BLOCK = re.compile(r"<style\b", re.IGNORECASE)
EVENT_HANDLER = re.compile(r"<[a-z][^>]*\son[a-z]+\s*=", re.IGNORECASE | re.DOTALL)
JS_URL = re.compile(r"""(href|src|action)\s*=\s*["']?\s*javascript:""", re.IGNORECASE)


def project_templates() -> list[Path]:
    dirs = [ROOT / "templates", *ROOT.glob("*/templates")]
    return sorted(p for d in dirs for p in d.rglob("*") if p.is_file() and ".venv" not in p.parts)


def is_browser_template(path: Path) -> bool:
    rel = path.relative_to(ROOT).as_posix()
    return rel not in NOT_SERVED_TO_BROWSERS and not rel.startswith(NOT_SERVED_DIRS)


def csp_violations(html: str) -> list[str]:
    found = []
    for name, pattern in [
        ("inline <script>", INLINE_SCRIPT),
        ("style= attribute", INLINE_STYLE_ATTR),
        ("<style> block", STYLE_BLOCK),
        ("on*= event handler", EVENT_HANDLER),
        ("javascript: URL", JS_URL),
    ]:
        for match in pattern.finditer(html):
            line = html.count("\n", 0, match.start()) + 1
            found.append(f"line {line}: {name}: {html[match.start() : match.start() + 80]!r}")
    return found


def test_exceptions_are_real_and_the_scan_finds_templates():
    templates = project_templates()
    assert len(templates) > 50
    for rel in NOT_SERVED_TO_BROWSERS:
        assert (ROOT / rel).exists(), f"stale exception: {rel}"
    # The exceptions really do use what the CSP forbids (else they need not be listed).
    assert any(csp_violations((ROOT / rel).read_text()) for rel in NOT_SERVED_TO_BROWSERS)


def test_served_templates_have_no_inline_script_or_style():
    problems = {}
    for path in project_templates():
        if path.suffix in (".html", ".htm") and is_browser_template(path):
            found = csp_violations(path.read_text())
            if found:
                problems[path.relative_to(ROOT).as_posix()] = found
    assert not problems, problems


def test_scanner_catches_what_it_must():
    assert csp_violations('<script>alert(1)</script><p style="x">') != []
    assert csp_violations('<button onclick="go()">') != []
    assert csp_violations('<a href="javascript:void(0)">') != []
    assert csp_violations("<style>p{}</style>") != []
    assert csp_violations('<script src="/static/js/app.js" defer></script><p class="x">') == []


def test_htmx_is_configured_for_the_csp(client):
    """htmx would inject a <style> block and may eval hx-on/script tags; all off."""
    import json

    page = client.get(reverse("login")).content.decode()
    config = json.loads(re.search(r'<meta name="htmx-config" content=\'([^\']+)\'', page).group(1))
    assert config["includeIndicatorStyles"] is False
    assert config["allowEval"] is False and config["allowScriptTags"] is False
    assert "style" not in config.get("attributesToSettle", ["style"])


def test_our_javascript_needs_no_unsafe_eval():
    for path in (ROOT / "static" / "js").rglob("*.js"):
        source = path.read_text()
        assert not re.search(r"\beval\(|new Function\(|setTimeout\(\s*['\"]", source), path


def test_every_agency_page_as_served_is_csp_clean(world):
    """The rendered HTML (includes, widgets, form errors), not only the template files."""
    client = Client()
    client.force_login(world["owner"])
    checked = 0
    for _name, url in agency_urls(world):
        response = client.get(url)
        if response.status_code == 200 and "text/html" in response.get("Content-Type", ""):
            found = csp_violations(response.content.decode())
            assert not found, (url, found)
            checked += 1
    assert checked >= 20


@pytest.mark.django_db
def test_admin_pages_are_csp_clean_for_staff():
    staff = StaffFactory()
    ticket = TicketFactory()
    client = Client()
    client.force_login(staff)
    urls = [
        reverse("admin:index"),
        reverse("admin:helpdesk_ticket_changelist"),
        reverse("admin:helpdesk_ticket_change", args=[ticket.pk]),
        reverse("admin:helpdesk_ticket_history", args=[ticket.pk]),
    ]
    for name in ("admin:tracker_notification_changelist", "admin:vault_lossrunrequest_changelist"):
        urls.append(reverse(name))
    for url in urls:
        response = client.get(url)
        assert response.status_code == 200, url
        assert not csp_violations(response.content.decode()), url


# --- deploy checks ----------------------------------------------------------------------------


def test_check_deploy_is_clean_under_production_settings(tmp_path):
    env = {k: v for k, v in os.environ.items() if not k.startswith(("DJANGO_", "DATABASE_URL"))}
    env.update(
        DJANGO_SETTINGS_MODULE="config.settings.production",
        DJANGO_SECRET_KEY="x9" * 30 + "-not-a-real-secret-but-long-and-random-enough",
        DJANGO_ALLOWED_HOSTS="lossrun.example.com",
        DATABASE_URL=f"sqlite:///{tmp_path / 'deploy-check.sqlite3'}",
        CACHE_URL="redis://localhost:6379/1",
        ANYMAIL_WEBHOOK_SECRET="hook:" + "y7" * 20,  # else inbound.W001: webhooks closed
    )
    done = subprocess.run(  # noqa: S603 - fixed arguments
        [sys.executable, "manage.py", "check", "--deploy", "--fail-level", "WARNING"],
        cwd=ROOT,
        env=env,
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert done.returncode == 0, done.stdout + done.stderr
    assert "no issues" in done.stdout


def test_production_settings_secure_the_cookies_and_https():
    code = (
        "from django.conf import settings as s;"
        "print(s.SESSION_COOKIE_SECURE, s.CSRF_COOKIE_SECURE, s.SESSION_COOKIE_HTTPONLY,"
        " s.SECURE_HSTS_SECONDS >= 31536000, s.SECURE_SSL_REDIRECT, s.DEBUG)"
    )
    env = {k: v for k, v in os.environ.items() if not k.startswith("DJANGO_")}
    env.update(
        DJANGO_SETTINGS_MODULE="config.settings.production",
        DJANGO_SECRET_KEY="k" * 60,
        DJANGO_ALLOWED_HOSTS="lossrun.example.com",
        CACHE_URL="redis://localhost:6379/1",
    )
    done = subprocess.run(  # noqa: S603 - fixed arguments
        [sys.executable, "-c", f"import django; django.setup(); {code}"],
        cwd=ROOT,
        env=env,
        capture_output=True,
        text=True,
        timeout=60,
    )
    assert done.stdout.split() == ["True", "True", "True", "True", "True", "False"], done.stderr


def test_production_refuses_to_start_without_a_secret_key():
    env = {k: v for k, v in os.environ.items() if not k.startswith("DJANGO_")}
    env.update(DJANGO_SETTINGS_MODULE="config.settings.production", DJANGO_ALLOWED_HOSTS="x")
    done = subprocess.run(  # noqa: S603 - fixed arguments
        [sys.executable, "-c", "import django; django.setup()"],
        cwd=ROOT,
        env=env,
        capture_output=True,
        text=True,
        timeout=60,
    )
    assert done.returncode != 0 and "DJANGO_SECRET_KEY" in done.stderr


@pytest.mark.parametrize(("cache_url", "says"), [(None, "CACHE_URL"), ("locmemcache://", "Redis")])
def test_production_refuses_a_cache_the_web_workers_do_not_share(cache_url, says):
    """Rate limits counted per gunicorn worker would allow the limit once per worker."""
    env = {k: v for k, v in os.environ.items() if not k.startswith(("DJANGO_", "CACHE_URL"))}
    env.update(
        DJANGO_SETTINGS_MODULE="config.settings.production",
        DJANGO_SECRET_KEY="k" * 60,
        DJANGO_ALLOWED_HOSTS="x",
    )
    if cache_url:
        env["CACHE_URL"] = cache_url
    done = subprocess.run(  # noqa: S603 - fixed arguments
        [sys.executable, "-c", "import django; django.setup()"],
        cwd=ROOT,
        env=env,
        capture_output=True,
        text=True,
        timeout=60,
    )
    assert done.returncode != 0 and says in done.stderr


# --- e-mail links -----------------------------------------------------------------------------

URL = re.compile(r"https?://[^\s\"'<>]+")
CREDENTIAL = re.compile(
    r"sessionid|csrf|token|passw|secret|api[_-]?key|auth=|sig=|signature|[?&]key=", re.IGNORECASE
)
# By design: a one-time signed token is the point of these links.
TOKEN_LINKS = {
    "accounts:invitation_accept",
    "password_reset_confirm",
    "accounts:signup_finish",
    "esign:sign",
    # The weekly digest's one-click unsubscribe (RFC 8058): the token only turns that one
    # agent's digest off, never signs in (tests/tracker/test_unsubscribe.py).
    "tracker:digest_unsubscribe",
}
# Pages for people who are signed out, linked from the e-mails that answer sign-up and
# invitations for an address that already has an account.
SIGNED_OUT_LINKS = {"login", "password_reset"}


def links_of(message) -> set[str]:
    bodies = [message.body] + [content for content, _type in getattr(message, "alternatives", [])]
    return {u.rstrip(".,;)") for body in bodies for u in URL.findall(str(body))}


@pytest.fixture
def sent_mail(db, settings, django_capture_on_commit_callbacks):
    """Send every kind of e-mail the product sends; returns (messages, templates rendered)."""
    from helpdesk import emails as helpdesk_emails
    from helpdesk.models import AgencyUpdate, Ticket, TicketEvent, TicketMessage
    from tests.outbox_mail import deliver_outbox
    from tracker.models import MilestoneKind, Notification
    from tracker.notices import notices_queue

    settings.SITE_URL = "https://lossrun.example.com"
    settings.EMAIL_BACKEND = "django.core.mail.backends.locmem.EmailBackend"
    rendered: set[str] = set()

    def on_render(sender, template, context, **kwargs):
        rendered.add(template.name)

    template_rendered.connect(on_render)
    try:
        agency = AgencyFactory()
        owner = OwnerFactory(agency=agency)
        req = LossRunRequestFactory(agency=agency, created_by=owner)
        for kind in MilestoneKind.values:
            notice = Notification.objects.create(
                agency=agency, request=req, milestone=kind, due_at=timezone.now()
            )
            notices_queue([notice.pk])
        deliver_outbox()
        from tracker.digest import digest_send, week_of
        from vault.models import LossRunRequest

        LossRunRequest.objects.filter(pk=req.pk).update(
            first_request_on=timezone.localdate() - dt.timedelta(days=20),
            second_request_due_at=timezone.now() - dt.timedelta(days=1),
        )
        now = timezone.now()
        digest_send(agency=agency, agent=owner, now=now, monday=week_of(now.date()))
        ticket = TicketFactory(request=LossRunRequestFactory(agency=agency), submitted_by=owner)
        event = TicketEvent.objects.create(
            agency=agency,
            ticket=ticket,
            action=TicketEvent.Action.STATUS,
            from_status=Ticket.Status.SUBMITTED,
            to_status=Ticket.Status.IN_REVIEW,
        )
        message = TicketMessage.objects.create(
            agency=agency, ticket=ticket, from_staff=True, body="We called the carrier."
        )
        update = AgencyUpdate.objects.create(agency=agency, ticket=ticket, due_at=timezone.now())
        update.events.add(event)
        update.messages.add(message)
        helpdesk_emails.queue_agency_update(update=update)
        helpdesk_emails.queue_helpdesk_new_ticket(ticket_id=ticket.pk)
        reply = TicketMessage.objects.create(
            agency=agency, ticket=ticket, author=owner, body="Here is the proof."
        )
        helpdesk_emails.queue_helpdesk_agency_reply(message_id=reply.pk)
        invitation = InvitationFactory(agency=agency, invited_by=owner)
        from accounts.emails import queue_invitation

        queue_invitation(
            invitation=invitation,
            accept_url=invitation_accept_url(invitation),
            expires_at=timezone.now() + dt.timedelta(days=7),
        )
        Client().post(reverse("password_reset"), {"email": owner.email})
        signup = {"agency_name": "New Agency", "full_name": "Pat New", "state": "NJ"}
        signup["time_zone"] = "America/New_York"
        Client().post(reverse("accounts:signup"), {**signup, "email": "new@agency.test"})
        Client().post(reverse("accounts:signup"), {**signup, "email": owner.email})
        elsewhere = OwnerFactory(agency=AgencyFactory())
        invite = Client()
        invite.force_login(owner)
        invite.post(reverse("accounts:invite"), {"email": elsewhere.email})
        _send_signature_and_carrier_mail(agency, owner, django_capture_on_commit_callbacks)
        _send_escalation_kit(agency, owner)
        deliver_outbox()
    finally:
        template_rendered.disconnect(on_render)
    return list(mail.outbox), rendered, {"agency": agency, "owner": owner, "request": req}


def _send_escalation_kit(agency, owner) -> None:
    """The kit e-mail of a Florida request past its statutory date, with an open ticket."""
    from escalation.sending import kit_send
    from tests.factories import CarrierFactory, InsuredFactory
    from vault import services

    req = services.request_create(
        agency=agency,
        user=owner,
        insured=InsuredFactory(agency=agency, state="FL"),
        carrier=CarrierFactory(),
        policies=[services.PolicyData("GL-1", dt.date(2025, 1, 1), dt.date(2026, 1, 1))],
        recipient_email=owner.email,
        first_request_on=timezone.localdate() - dt.timedelta(days=30),
    )
    req.refresh_from_db()
    TicketFactory(request=req, submitted_by=owner)
    assert kit_send(request_id=req.pk, due_on=req.statutory_due_on, now=timezone.now())


def _send_signature_and_carrier_mail(agency, owner, capture) -> None:
    """The e-signature flow's e-mails (link, reminder, copy, signed, declined), the
    carrier's 1st and 2nd request and its replies, delivered through the outbox after commit."""
    from dispatch.services import carrier_send_email
    from esign import emails as esign_emails
    from esign.services import signature_decline, signature_sign
    from tests.esign.factories import SignatureRequestFactory

    with capture(execute=True):
        signed = SignatureRequestFactory(
            agency=agency, request=LossRunRequestFactory(agency=agency, created_by=owner)
        )
        esign_emails.signing_reminder(signature=signed)
        signature_sign(
            signature=signed, name="Pat Rivera", title="President", consented=True, png=None,
            typed="Pat Rivera", ip="203.0.113.1", user_agent="test",
        )  # fmt: skip
        declined = SignatureRequestFactory(
            agency=agency, request=LossRunRequestFactory(agency=agency, created_by=owner)
        )
        signature_decline(signature=declined, reason="Wrong insured", ip=None, user_agent="")
        for kind in ("first", "second"):
            carrier_send_email(agency=agency, request=signed.request, user=owner, kind=kind)
        _carrier_replies(signed.request, declined.request)


def _carrier_replies(with_loss_runs, with_a_question) -> None:
    """The carrier's replies: one with the loss runs, one asking a question (agent e-mails)."""
    from inbound.services import inbound_receive
    from tests.inbound.mail import PDF, attachment, reply
    from vault.addresses import request_reply_address

    pdf = attachment(PDF, "loss-runs.pdf", "application/pdf")
    to = request_reply_address(with_loss_runs.pk)
    inbound_receive(message=reply(to=to, attachments=[pdf]), esp="test")
    to = request_reply_address(with_a_question.pk)
    inbound_receive(message=reply(to=to, text="Which policy term?"), esp="test")


def test_every_email_template_is_exercised(sent_mail):
    _messages, rendered, _ = sent_mail
    templates = {
        p.relative_to(ROOT / "templates").as_posix()
        for p in (ROOT / "templates").rglob("*")
        if p.is_file()
        and ("emails/" in p.relative_to(ROOT / "templates").as_posix() or "_email" in p.name)
        and not p.name.startswith("_")
    }
    assert templates - rendered == set()


def test_email_links_carry_no_credentials(sent_mail):
    messages, _rendered, _ = sent_mail
    assert len(messages) >= 11
    token_links = 0
    for message in messages:
        for link in links_of(message):
            parts = urlsplit(link)._replace(path=urlsplit(link).path or "/")
            assert parts.scheme == "https" and parts.netloc == "lossrun.example.com", link
            match = resolve(parts.path)
            if match.view_name in SIGNED_OUT_LINKS:
                assert not parts.query, link
                continue
            if match.view_name in TOKEN_LINKS:
                token_links += 1
                assert not parts.query, link  # the token is in the path, nothing else added
                continue
            assert not CREDENTIAL.search(link), (message.subject, link)
            # The one query a link may carry: the date to focus on the request's next-step
            # card (issue 18), a field name from a fixed list, nothing that signs in.
            if match.view_name == "vault:request_edit" and parts.query:
                assert re.fullmatch(r"focus=(first_request_on|second_request_at|received_on)",
                                    parts.query), link  # fmt: skip
            else:
                assert not parts.query, (message.subject, link)
            # No opaque blob in the path either: only words and numeric ids.
            for segment in filter(None, parts.path.split("/")):
                assert re.fullmatch(r"[a-z0-9._-]+", segment) and len(segment) < 40, link
    # invitation, reset, sign-up, two signing links, a reminder, the digest's unsubscribe
    assert token_links == 7


def test_email_links_need_sign_in_and_are_404_for_another_agency(sent_mail):
    messages, _rendered, world = sent_mail
    paths = set()
    for message in messages:
        for link in links_of(message):
            path = urlsplit(link).path or "/"
            name = resolve(path).view_name
            if name not in TOKEN_LINKS | SIGNED_OUT_LINKS and not path.startswith("/admin/"):
                paths.add(path)
    assert len(paths) >= 4
    stranger = OwnerFactory(agency=AgencyFactory())
    anonymous, other = Client(), Client()
    other.force_login(stranger)
    objects = 0
    owner = Client()
    owner.force_login(world["owner"])
    for path in sorted(paths):
        response = anonymous.get(path)
        assert response.status_code == 302 and response["Location"].startswith(reverse("login")), (
            path
        )
        names_an_object = any(k.endswith("_id") for k in resolve(path).kwargs)
        assert other.get(path).status_code == (404 if names_an_object else 200), path
        assert owner.get(path).status_code in (200, 302), path  # a letter not due yet redirects
        objects += names_an_object
    assert objects >= 3


# --- throttled sign-in --------------------------------------------------------------------------


@pytest.mark.django_db
def test_staff_admin_sign_in_is_throttled_too(settings):
    settings.AXES_ENABLED = True
    staff = StaffFactory()
    client = Client()
    for _ in range(settings.AXES_FAILURE_LIMIT):
        client.post(reverse("admin:login"), {"username": staff.email, "password": "wrong-wrong"})
    response = client.post(
        reverse("admin:login"), {"username": staff.email, "password": "correct-horse-battery"}
    )
    assert response.status_code == 429
    assert "Too many sign-in attempts" in response.content.decode()
    assert "_auth_user_id" not in client.session


@pytest.mark.django_db
def test_lockout_page_is_csp_clean(client, settings, owner):
    settings.AXES_ENABLED = True
    for _ in range(settings.AXES_FAILURE_LIMIT):
        response = client.post(reverse("login"), {"username": owner.email, "password": "nope"})
    assert response.status_code == 429
    assert not csp_violations(response.content.decode())
    assert "'unsafe-inline'" not in response["Content-Security-Policy"]


@pytest.mark.django_db
def test_weak_passwords_are_refused_at_sign_up(client):
    from accounts.signup import SignupDetails, signup_token

    details = SignupDetails(
        "Weak Password Agency", "Pat Weak", "pat@weak.test", "NJ", "America/New_York"
    )
    response = client.post(
        reverse("accounts:signup_finish", kwargs={"token": signup_token(details)}),
        {"password1": "password", "password2": "password"},
    )
    assert response.status_code == 200
    text = response.content.decode()
    assert "too common" in text or "too short" in text


# --- uploads are never run ----------------------------------------------------------------------


@pytest.mark.django_db
@pytest.mark.parametrize(
    ("name", "body", "content_type"),
    [
        ("notes.csv", b"insured,carrier\n<script>alert(1)</script>,x\n", "text/csv"),
        ("page.html.pdf", b"%PDF-1.4\n<html><script>alert(1)</script></html>\n", "application/pdf"),
    ],
)
def test_uploaded_script_is_downloaded_as_an_inert_attachment(
    owner_client, owner, name, body, content_type
):
    req = LossRunRequestFactory(agency=owner.agency, created_by=owner)
    response = owner_client.post(
        reverse("vault:document_upload", kwargs={"request_id": req.pk}),
        {"kind": "other", "file": SimpleUploadedFile(name, body, content_type="text/html")},
    )
    assert response.status_code == 302
    doc = req.documents.get()
    response = owner_client.get(reverse("vault:document_download", kwargs={"document_id": doc.pk}))
    assert response.status_code == 200
    assert response["Content-Type"].split(";")[0] == content_type
    assert response["Content-Disposition"].startswith("attachment;")
    assert response["X-Content-Type-Options"] == "nosniff"
    assert "sandbox" in response["Content-Security-Policy"]
    if not is_s3(default_storage):
        assert not os.access(doc.file.path, os.X_OK)
    assert (
        Path(doc.file.name).suffix == {"text/csv": ".csv", "application/pdf": ".pdf"}[content_type]
    )


@pytest.mark.django_db
@pytest.mark.parametrize(
    "body",
    [
        b"<!doctype html><html><body><script>alert(1)</script></body></html>",
        b'<svg xmlns="http://www.w3.org/2000/svg" onload="alert(1)"/>',
        b"#!/bin/sh\nrm -rf /\n",
    ],
)
def test_html_svg_and_scripts_are_refused_whatever_the_name(owner_client, owner, body):
    req = LossRunRequestFactory(agency=owner.agency, created_by=owner)
    response = owner_client.post(
        reverse("vault:document_upload", kwargs={"request_id": req.pk}),
        {"kind": "other", "file": SimpleUploadedFile("signed.pdf", body)},
    )
    assert response.status_code == 200
    assert "PDF, PNG, JPEG, TIFF, CSV or XLSX" in response.content.decode()
    assert not req.documents.exists()
