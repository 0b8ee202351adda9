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
from escalation.sending import kit_send
from helpdesk import services as helpdesk
from helpdesk.models import Ticket
from tracker.calendar import calendar_for_agency
from tracker.schedule import request_schedule_refresh
from vault.derived import request_derived_refresh
from vault.documents import document_create
from vault.letters import authorization_letter_pdf
from vault.models import Carrier, CarrierAgencyNote, Document, LossRunRequest
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

CARRIERS = [  # name, NAIC, group, loss-run contacts (invented, on example domains)
    dict(
        legal_name="Great Lakes Mutual Insurance Company", naic_code="21415",
        group_name="Great Lakes Group", loss_run_email="lossruns@greatlakesmutual.example",
        fax="(414) 555-0190", phone="(414) 555-0100 option 3",
        mailing_address="Loss Run Unit\n1200 Lakeshore Drive\nMilwaukee, WI 53202",
        requirements="Every policy number and the exact named insured; a signed authorization "
        "dated within 60 days.",
    ),
    dict(
        legal_name="Atlantic Shield Casualty Co.", naic_code="33120", group_name="Atlantic Shield",
        loss_run_email="claims.history@atlanticshield.example", fax="(973) 555-0133",
        phone="(973) 555-0130", portal_url="https://agents.atlanticshield.example/loss-runs",
        requirements='Subject line "Loss Run Request - <policy number>"; FEIN on the letter.',
    ),
    dict(
        legal_name="Prairie Indemnity Insurance Company", naic_code="40210",
        loss_run_email="lossrun.requests@prairieindemnity.example", phone="(515) 555-0177",
        mailing_address="Underwriting Services, Loss Runs\nPO Box 4021\nDes Moines, IA 50306",
        requirements="Policy numbers only; no claim numbers needed.",
    ),
    dict(
        legal_name="Cascade Property & Casualty", naic_code="18832", group_name="Cascade Holdings",
        loss_run_email="lossruns@cascadepc.example", fax="(503) 555-0148",
        phone="(503) 555-0140", requirements="Uses its own form for workers compensation runs.",
    ),
    dict(
        legal_name="Keystone Farm Mutual", naic_code="27093", fax="(717) 555-0161",
        phone="(717) 555-0160", mailing_address="Loss Runs\n77 Market Square\nHarrisburg, PA 17101",
        requirements="Fax only, with the agency's letterhead.",
    ),
]  # fmt: skip


# The insureds' states, so the statutory deadlines differ: Florida's 15 calendar days (the
# Marina Restaurant is past it, with its escalation kit), Connecticut's and Illinois' 30,
# California's conditional rule (a sentence, no date) and Ohio with no statute on file.
STAGE_STATES = {
    "Marine Supply": "FL",
    "Landscaping": "CT",
    "Auto Body": "IL",
    "Dental Group": "CA",
    "Brewing Co.": "IL",
    "Marina Restaurant": "FL",
    "Plumbing": "OH",
}
ANSWERED_INSUREDS = [
    ("Harborview Hotel Group", "FL"),
    ("Riverside Pediatrics", "NY"),
    ("Keystone Logistics", "KY"),
    ("Summit Roofing", "TX"),
]
ANSWERED_PER_CARRIER = 4
CARRIER_PACE = {"21415": 4, "33120": 6, "40210": 9, "18832": 5}  # business days, typical


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
    carriers = [Carrier.objects.create(states="NY,NJ,TX,CT", **fields) for fields in CARRIERS]
    harbor = Agency.objects.create(
        name="Harbor & Pine Insurance", slug="harbor-pine", state="NY",
        address="200 Harbor Street, Suite 4\nPort Jefferson, NY 11777", phone="(631) 555-0142",
        email="service@harborpine.demo", time_zone="America/New_York", calendar_confirmed_at=now,
    )  # fmt: skip
    summit = Agency.objects.create(
        name="Summit Ridge Insurance Group", slug="summit-ridge", state="TX",
        address="88 Ridge Road\nAustin, TX 78701", phone="(512) 555-0199",
        email="team@summitridge.demo", time_zone="America/Chicago",
        holiday_calendar=Agency.HolidayCalendar.FEDERAL_AND_STATE, calendar_confirmed_at=now,
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
    e_mail_carriers = [c for c in carriers if c.loss_run_email]
    _requests_in_every_stage(
        harbor, users["agent@harborpine.demo"], e_mail_carriers, now, staff=staff
    )
    _requests_in_every_stage(
        summit, users["owner@summitridge.demo"], e_mail_carriers[1:], now, staff=staff,
        prefix="Lone Star",
    )  # fmt: skip
    CarrierAgencyNote.objects.create(
        agency=harbor, carrier=carriers[0], loss_run_email="ny.lossruns@greatlakesmutual.example",
        notes="Our NY desk answers within 3 days; call Dana at ext. 214 if not.",
    )  # fmt: skip
    _request_to_fax_carrier(harbor, users["agent@harborpine.demo"], carriers[-1])
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
        ("Marine Supply", dict(created=at(back(6)), esign="awaiting")),
        ("Florist", dict(created=at(back(3)), esign="signed")),
        ("Catering", dict(created=at(back(2)), esign="signed", send=True)),
        ("Bookshop", dict(created=at(_weekend_reminder_day(today)), notes=WEEKEND_NOTE)),
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
            state=STAGE_STATES.get(trade, agency.state),
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
        request_derived_refresh(req)
        if d.get("first"):
            _demo_document(
                req, user, Document.Kind.AUTH_SIGNED, authorization_letter_pdf(request=req)
            )
        if d.get("esign"):
            _demo_esign(req, user, signed=d["esign"] == "signed", send=d.get("send", False))
        if d.get("ticket"):
            _demo_ticket(req, user, staff, policies)
            # Past its statutory date (Florida, 15 days): its kit went out as the sweep sends
            # it, by e-mail (captured mail) and onto the open ticket's thread.
            req.refresh_from_db()
            kit_send(request_id=req.pk, due_on=req.statutory_due_on, now=now)
        if d.get("received") and trade == "Hardware":
            _demo_loss_runs(req, user, policies, valued=d["received"] - dt.timedelta(days=3))
    _answered_requests(agency, user, carriers, back, prefix=prefix)


def _answered_requests(agency, user, carriers, back, *, prefix: str) -> None:
    """Months of answered requests, so the carrier figures have something to show: each
    carrier answers at its own pace, the slow ones after a 2nd request."""
    cal = calendar_for_agency(agency)
    insureds = [
        insured_create(agency=agency, legal_name=f"{prefix} {name}", state=state)
        for name, state in ANSWERED_INSUREDS
    ]
    for c, carrier in enumerate(carriers):
        pace = CARRIER_PACE[carrier.naic_code]
        for k in range(ANSWERED_PER_CARRIER):
            first = back(45 + 9 * k + c)
            days = pace + (k % 3) * 2
            second = None
            if days > 10:
                second = dt.datetime.combine(
                    cal.add_business_days(first, 10), dt.time(11), tzinfo=agency.tz
                )
            req = request_create(
                agency=agency,
                user=user,
                insured=insureds[(c + k) % len(insureds)],
                carrier=carrier,
                policies=[
                    PolicyData(
                        f"PRI-{c}{k}00{agency.pk}",
                        first.replace(day=1) - dt.timedelta(days=365),
                        first.replace(day=1),
                    )
                ],
                recipient_name=user.get_full_name(),
                recipient_email=user.email,
            )
            # History: created the day before its 1st request, months ago (a date entered
            # today could not lie that far before the request's creation).
            LossRunRequest.objects.filter(pk=req.pk).update(
                created_at=dt.datetime.combine(
                    first - dt.timedelta(days=1), dt.time(9), tzinfo=agency.tz
                ),
                first_request_on=first,
                second_request_at=second,
                received_on=cal.add_business_days(first, days),
            )
            req.refresh_from_db()
            request_schedule_refresh(req)
            request_derived_refresh(req)


def _demo_esign(req, user, *, signed: bool, send: bool) -> None:
    """Sent for signature (its e-mail lands in the captured mail); signed with a typed
    signature; then e-mailed to the carrier from the product."""
    from dispatch.models import CarrierSend
    from dispatch.services import carrier_send_email
    from esign.services import signature_send, signature_sign

    insured = req.insured
    signature = signature_send(
        agency=req.agency, request=req, user=user, signer_name=insured.signer_name,
        signer_title=insured.signer_title, signer_email=insured.signer_email,
    )  # fmt: skip
    if signed:
        signature_sign(
            signature=signature, name=insured.signer_name, title=insured.signer_title,
            consented=True, png=None, typed=insured.signer_name, ip="203.0.113.10",
            user_agent="Mozilla/5.0 (iPhone; demo)",
        )  # fmt: skip
    if send:
        carrier_send_email(agency=req.agency, request=req, user=user, kind=CarrierSend.Kind.FIRST)


def _request_to_fax_carrier(agency, user, carrier) -> None:
    """A draft for a fax-only carrier: the Send page offers the PDFs and "I sent it"."""
    insured = insured_create(
        agency=agency, legal_name="Bayside Dairy Farm LLC", state=agency.state,
        signer_name="Sam Okafor", signer_title="Managing Member",
        signer_email="sam@baysidedairy.example",
    )  # fmt: skip
    year = timezone.now().year
    request_create(
        agency=agency, user=user, insured=insured, carrier=carrier,
        policies=[PolicyData("FM-77120", dt.date(year - 1, 6, 1), dt.date(year, 6, 1))],
        recipient_name=user.get_full_name(), recipient_email=user.email,
    )  # fmt: skip


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
