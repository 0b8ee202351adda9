"""Demo data for the embedded mode: two agencies, their people, carriers, insureds and
requests in every stage of the tracker's timeline. Never loaded under production settings."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from django.conf import settings
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import transaction
from django.utils import timezone

from accounts.models import Agency, User
from claims.services import loss_run_import
from helpdesk import services as helpdesk
from helpdesk.models import Ticket
from tracker.calendar import calendar_for_agency
from tracker.schedule import request_schedule_refresh
from vault.documents import document_create
from vault.letters import authorization_letter_pdf
from vault.models import Carrier, Document, LossRunRequest
from vault.rules import PolicyData
from vault.services import insured_create, request_create

DEMO_PASSWORD = "demo-pass-2026"  # noqa: S105 - documented demo password, embedded mode only


@dataclass(frozen=True)
class DemoLogin:
    email: str
    role: str
    agency: str


DEMO_LOGINS = [
    DemoLogin("owner@harborpine.demo", "owner", "Harbor & Pine Insurance"),
    DemoLogin("agent@harborpine.demo", "member", "Harbor & Pine Insurance"),
    DemoLogin("owner@summitridge.demo", "owner", "Summit Ridge Insurance Group"),
    DemoLogin("staff@lossrun.demo", "help-desk staff (admin)", "—"),
]

CARRIERS = [
    (
        "Great Lakes Mutual Insurance Company",
        "21415",
        "Great Lakes Group",
        "lossruns@greatlakesmutual.example",
    ),
    (
        "Atlantic Shield Casualty Co.",
        "33120",
        "Atlantic Shield",
        "claims.history@atlanticshield.example",
    ),
    (
        "Prairie Indemnity Insurance Company",
        "40210",
        "",
        "lossrun.requests@prairieindemnity.example",
    ),
    ("Cascade Property & Casualty", "18832", "Cascade Holdings", "lossruns@cascadepc.example"),
]


class DemoNotAllowed(RuntimeError):
    pass


def demo_exists() -> bool:
    return Agency.objects.filter(slug="harbor-pine").exists()


@transaction.atomic
def seed_demo(*, now: dt.datetime | None = None) -> bool:
    """Create the demo data once. Returns False when it already exists."""
    if not getattr(settings, "DEMO_DATA_ALLOWED", False):
        raise DemoNotAllowed("Demo data is only for the embedded/demo settings.")
    if demo_exists():
        return False
    now = now or timezone.now()
    carriers = [
        Carrier.objects.create(
            legal_name=n, naic_code=c, group_name=g, loss_run_email=e, states="NY,NJ,TX,CT"
        )
        for n, c, g, e in CARRIERS
    ]
    harbor = Agency.objects.create(
        name="Harbor & Pine Insurance", slug="harbor-pine", state="NY",
        address="200 Harbor Street, Suite 4\nPort Jefferson, NY 11777", phone="(631) 555-0142",
        email="service@harborpine.demo", time_zone="America/New_York",
    )  # fmt: skip
    summit = Agency.objects.create(
        name="Summit Ridge Insurance Group", slug="summit-ridge", state="TX",
        address="88 Ridge Road\nAustin, TX 78701", phone="(512) 555-0199",
        email="team@summitridge.demo", time_zone="America/Chicago",
        holiday_calendar=Agency.HolidayCalendar.FEDERAL_AND_STATE,
    )  # fmt: skip
    users = {}
    for login in DEMO_LOGINS:
        agency = {"Harbor & Pine Insurance": harbor, "Summit Ridge Insurance Group": summit}.get(
            login.agency
        )
        users[login.email] = User.objects.create_user(
            login.email,
            DEMO_PASSWORD,
            full_name=login.email.split("@")[0].title() + " Demo",
            agency=agency,
            role=User.Role.OWNER if login.role == "owner" else User.Role.MEMBER,
            is_staff=agency is None,
            is_superuser=agency is None,
        )
    staff = users["staff@lossrun.demo"]
    _requests_in_every_stage(harbor, users["agent@harborpine.demo"], carriers, now, staff=staff)
    _requests_in_every_stage(
        summit, users["owner@summitridge.demo"], carriers[1:], now, staff=staff, prefix="Lone Star"
    )
    return True


WEEKEND_NOTE = (
    "Demo: this request's next reminder falls on a Saturday or Sunday, so it waits for the "
    "notify time of the next business day."
)


def _weekend_reminder_day(today: dt.date) -> dt.date:
    """A creation date this week whose day-2 or day-5 reminder falls on the coming weekend.

    Monday + 5 days is Saturday, Thursday + 2 is Saturday, Friday + 2 is Sunday; the date is
    never after today, so the demo shows a reminder waiting over a weekend on any day.
    """
    monday = today - dt.timedelta(days=today.weekday())
    offset = {0: 0, 1: 0, 2: 0, 3: 3, 4: 3, 5: 3, 6: 4}[today.weekday()]
    return monday + dt.timedelta(days=offset)


def _requests_in_every_stage(agency, user, carriers, now, *, staff, prefix="Bayside") -> None:
    cal = calendar_for_agency(agency)
    tz = agency.tz
    today = now.astimezone(tz).date()

    def back(n: int) -> dt.date:
        """The date n business days before today."""
        day = today
        while cal.business_days_between(day, today) < n:
            day -= dt.timedelta(days=1)
        return day

    def at(day: dt.date, hour: int = 10) -> dt.datetime:
        return min(dt.datetime.combine(day, dt.time(hour), tzinfo=tz), now)

    stages = [
        ("Bakery", dict(created=at(today, 9))),
        ("Florist", dict(created=at(_weekend_reminder_day(today)), notes=WEEKEND_NOTE)),
        ("Marine Supply", dict(created=at(back(6)))),
        ("Landscaping", dict(created=at(back(4)), first=back(3))),
        ("Auto Body", dict(created=at(back(14)), first=back(11))),
        (
            "Dental Group",
            dict(created=at(back(15)), first=back(12), second=now - dt.timedelta(hours=3)),
        ),
        ("Brewing Co.", dict(created=at(back(20)), first=back(16), second=at(back(3), 11))),
        (
            "Marina Restaurant",
            dict(created=at(back(22)), first=back(18), second=at(back(4), 9), ticket=True),
        ),
        ("Hardware", dict(created=at(back(12)), first=back(10), received=back(2))),
        ("Plumbing", dict(created=at(back(9)), first=back(8), received=back(1))),
    ]
    for i, (trade, d) in enumerate(stages):
        insured = insured_create(
            agency=agency,
            legal_name=f"{prefix} {trade} LLC",
            state=agency.state,
            mailing_address=f"{10 + i} Main Street",
            signer_name="Pat Rivera",
            signer_title="President",
            signer_email=f"owner{i}@{prefix.lower().replace(' ', '')}.example",
        )
        policies = []
        for year in range(5):
            start = dt.date(today.year - 1 - year, 3, 1)
            policies.append(
                PolicyData(
                    f"{trade[:3].upper()}-{4400 + i}{year}",
                    start,
                    start.replace(year=start.year + 1),
                )
            )
        req = request_create(
            agency=agency,
            user=user,
            insured=insured,
            carrier=carriers[i % len(carriers)],
            policies=policies,
            recipient_name=user.get_full_name(),
            recipient_email=user.email,
            first_request_on=d.get("first"),
            second_request_at=d.get("second"),
            received_on=d.get("received"),
            notes=d.get("notes", ""),
        )
        # Back-date the request as if it had been created on its day, then recompute.
        LossRunRequest.objects.filter(pk=req.pk).update(created_at=d["created"])
        req.refresh_from_db()
        request_schedule_refresh(req)
        if d.get("first"):
            _demo_document(
                req, user, Document.Kind.AUTH_SIGNED, authorization_letter_pdf(request=req)
            )
        if d.get("ticket"):
            _demo_ticket(req, user, staff, policies)
        if d.get("received") and trade == "Hardware":
            _demo_loss_runs(req, user, policies, valued=d["received"] - dt.timedelta(days=3))


def _demo_document(req, user, kind, content: bytes, name: str = "") -> Document:
    name = name or f"{kind}-{req.pk}.pdf"
    return document_create(
        agency=req.agency,
        uploaded_by=user,
        uploaded_file=SimpleUploadedFile(name, content, content_type="application/pdf"),
        kind=kind,
        request=req,
    )


def _demo_ticket(req, user, staff, policies) -> None:
    from weasyprint import HTML

    rows = "".join(f"<li>{p.policy_number}: {p.term_start} to {p.term_end}</li>" for p in policies)
    dec_page = HTML(
        string=f"<h1>Declarations (demo)</h1><p>{req.carrier.legal_name}</p><ul>{rows}</ul>"
    ).write_pdf()
    signed = req.documents.filter(kind=Document.Kind.AUTH_SIGNED).first()
    proof = _demo_document(req, user, Document.Kind.PROOF_DEC_PAGE, dec_page, "declarations.pdf")
    ticket = helpdesk.ticket_submit(
        agency=req.agency,
        request=req,
        user=user,
        signed_first_request=signed,
        proofs=[helpdesk.ProofChoice(proof, [p.policy_number for p in policies])],
        message="Sent the second request by fax and e-mail; no answer from the loss-run department.",
        confirmed_common_mistakes=True,
    )
    helpdesk.ticket_assign(ticket=ticket, assignee=staff, actor=staff)
    helpdesk.ticket_set_status(ticket=ticket, status=Ticket.Status.IN_REVIEW, actor=staff)
    helpdesk.ticket_add_message(
        ticket=ticket,
        author=staff,
        body="We have your request and are calling the carrier's loss-run desk today.",
    )


def _demo_loss_runs(req, user, policies, *, valued: dt.date) -> None:
    """Three terms of claims on file (of the five requested), so readiness has gaps to show."""
    import csv
    import io

    out = io.StringIO()
    writer = csv.writer(out)
    writer.writerow(
        ["Claim #", "Policy #", "Eff Date", "Exp Date", "DOL", "Rptd", "Status", "Cause",
         "Indemnity Paid", "Expense Paid", "O/S", "Total Incurred", "Earned Premium"]
    )  # fmt: skip
    claims = [  # (term index, day offset, report lag, status, indemnity, expense, reserves)
        (0, 40, 2, "Open", 4200, 800, 15000),
        (0, 150, 45, "Closed", 1800, 350, 0),
        (1, 20, 3, "Closed", 22500, 4100, 0),
        (1, 200, 6, "Reopened", 3000, 600, 7500),
        (2, 90, 1, "Closed", 950, 0, 0),
    ]
    for n, (term, offset, lag, status, indemnity, expense, reserves) in enumerate(claims, 1):
        policy = policies[term]
        loss = policy.term_start + dt.timedelta(days=offset)
        writer.writerow(
            [f"HW-{loss.year}-{n:03d}", policy.policy_number, policy.term_start, policy.term_end,
             loss, loss + dt.timedelta(days=lag), status, "Slip and fall" if n % 2 else "Water damage",
             f"{indemnity:.2f}", f"{expense:.2f}", f"{reserves:.2f}",
             f"{indemnity + expense + reserves:.2f}", f"{60000 + 5000 * term:.2f}"]
        )  # fmt: skip
    loss_run_import(
        agency=req.agency,
        user=user,
        insured=req.insured,
        carrier=req.carrier,
        fileobj=io.BytesIO(out.getvalue().encode()),
        valuation_date=valued,
    )
