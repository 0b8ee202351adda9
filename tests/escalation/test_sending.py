"""The escalation kit goes out once per request and statutory date, at the agency's notify
time of the first late day (business days and working hours), to the agency by e-mail with
both PDFs and onto the open ticket's thread; received, none; a corrected date, a new one."""

import datetime as dt

import pytest
import time_machine
from django.conf import settings
from django.core.files.storage import default_storage
from django.urls import reverse

from escalation.models import EscalationKit
from escalation.sending import kit_moment, kit_sweep, kits_due
from helpdesk.models import TicketEvent, TicketMessage
from outbox.models import Email
from tests.escalation.test_kit import pdf_text
from tests.factories import CarrierFactory, InsuredFactory
from tests.helpdesk.factories import TicketFactory
from tests.outbox_mail import deliver_outbox
from tracker.schedule import agency_clock
from vault import services
from vault.models import Document, LossRunRequest

pytestmark = pytest.mark.django_db

# America/New_York in November: UTC-5. 2026-11-17 is a Tuesday.
EST = dt.timezone(dt.timedelta(hours=-5))


def local(day: int, hour: int, minute: int = 0) -> dt.datetime:
    return dt.datetime(2026, 11, day, hour, minute, tzinfo=EST)


@pytest.fixture
def clock():
    with time_machine.travel(local(16, 10), tick=False) as traveller:
        yield traveller


def make_request(owner, *, first: dt.date, state: str = "FL") -> LossRunRequest:
    req = services.request_create(
        agency=owner.agency,
        user=owner,
        insured=InsuredFactory(
            agency=owner.agency, legal_name="Blue Heron Bakery LLC", state=state
        ),
        carrier=CarrierFactory(legal_name="Granite State Mutual"),
        policies=[services.PolicyData("GL-778812", dt.date(2025, 1, 1), dt.date(2026, 1, 1))],
        recipient_email="me@agency.test",
        first_request_on=first,
    )
    req.refresh_from_db()
    return req


def correct_first_request(req: LossRunRequest, owner, first: dt.date) -> None:
    req = LossRunRequest.objects.get(pk=req.pk)
    services.request_update(
        agency=owner.agency,
        request=req,
        user=owner,
        insured=req.insured,
        carrier=req.carrier,
        policies=[services.PolicyData("GL-778812", dt.date(2025, 1, 1), dt.date(2026, 1, 1))],
        years_requested=req.years_requested,
        recipient_name="",
        recipient_email="me@agency.test",
        notes="",
        first_request_on=first,
        second_request_at=None,
        received_on=None,
        governing_state=req.governing_state,
    )


def sweep_at(clock, moment: dt.datetime):
    clock.move_to(moment)
    return kit_sweep(now=moment.astimezone(dt.UTC))


def test_the_moment_is_the_notify_time_of_the_first_late_business_day(agency):
    clock = agency_clock(agency)
    assert kit_moment(dt.date(2026, 11, 17), clock) == local(18, 8).astimezone(dt.UTC)
    # Due Friday 11/20: Saturday is the first late day, so Monday's notify time.
    assert kit_moment(dt.date(2026, 11, 20), clock) == local(23, 8).astimezone(dt.UTC)
    # Due the day before Thanksgiving (Thursday 11/26): Friday 11/27.
    assert kit_moment(dt.date(2026, 11, 25), clock) == local(27, 8).astimezone(dt.UTC)
    agency.notify_time = dt.time(9, 30)
    assert kit_moment(dt.date(2026, 11, 17), agency_clock(agency)) == local(18, 9, 30).astimezone(
        dt.UTC
    )


def test_kit_goes_once_at_its_moment_with_both_pdfs(clock, owner):
    req = make_request(owner, first=dt.date(2026, 11, 2))  # Florida: due 11/17
    assert req.statutory_due_on == dt.date(2026, 11, 17)
    assert sweep_at(clock, local(17, 17)).sent == []  # the due date itself: not late yet
    early = sweep_at(clock, local(18, 7, 59))
    assert early.sent == [] and early.waiting == 1
    assert EscalationKit.objects.count() == 0

    result = sweep_at(clock, local(18, 8))
    assert result.sent == [req.pk]
    kit = EscalationKit.objects.get()
    assert (kit.request_id, kit.due_on, kit.agency_id) == (
        req.pk,
        dt.date(2026, 11, 17),
        req.agency_id,
    )
    assert kit.citation == "Fla. Stat. § 627.444"
    assert kit.ticket_id is None
    email = kit.email
    assert email.kind == "escalation.statutory_kit"
    assert email.to == [owner.email]
    assert (
        "Statutory deadline passed: Blue Heron Bakery LLC / Granite State Mutual" in email.subject
    )
    assert "Fla. Stat. § 627.444" in email.text_body
    assert "Due by Nov 17, 2026" in email.text_body
    assert reverse("escalation:kit_letter", args=[req.pk]) in email.text_body
    assert [a["filename"] for a in email.attachments] == [
        f"certified-letter-blue-heron-bakery-llc-{req.pk}.pdf",
        f"doi-complaint-draft-blue-heron-bakery-llc-{req.pk}.pdf",
    ]
    # The PDFs are the agency's documents of the request, in default_storage.
    for doc in (kit.letter, kit.complaint):
        assert (doc.agency_id, doc.request_id, doc.kind) == (
            req.agency_id,
            req.pk,
            Document.Kind.OTHER,
        )
        assert default_storage.exists(doc.file.name)
    sent = deliver_outbox()
    assert len(sent) == 1
    names = [name for name, _, _ in sent[0].attachments]
    assert names == [a["filename"] for a in email.attachments]
    letter_text = pdf_text(sent[0].attachments[0][1])
    assert "VIA CERTIFIED MAIL" in letter_text and "Fla. Stat. § 627.444" in letter_text
    assert "Department of" in pdf_text(sent[0].attachments[1][1])

    # Every later sweep: nothing more for the same date.
    for moment in (local(18, 8, 1), local(19, 8), local(30, 12)):
        assert sweep_at(clock, moment).sent == []
    assert EscalationKit.objects.count() == 1
    assert Email.objects.filter(kind="escalation.statutory_kit").count() == 1


def test_weekend_and_outside_working_hours_wait_for_the_next_notify_time(clock, owner):
    req = make_request(owner, first=dt.date(2026, 11, 5))  # due Friday 11/20
    assert req.statutory_due_on == dt.date(2026, 11, 20)
    assert sweep_at(clock, local(21, 8)).sent == []  # Saturday
    assert sweep_at(clock, local(22, 12)).sent == []  # Sunday
    assert sweep_at(clock, local(23, 7)).sent == []  # Monday before the notify time
    assert sweep_at(clock, local(23, 8)).sent == [req.pk]


def test_a_kit_overdue_since_closing_time_waits_for_the_morning(clock, owner):
    req = make_request(owner, first=dt.date(2026, 11, 2))
    assert sweep_at(clock, local(18, 18, 30)).sent == []  # after working hours (08:00-18:00)
    assert sweep_at(clock, local(19, 6)).sent == []  # before them
    assert sweep_at(clock, local(19, 8)).sent == [req.pk]


def test_received_before_the_moment_means_no_kit(clock, owner):
    req = make_request(owner, first=dt.date(2026, 11, 2))
    clock.move_to(local(17, 15))
    services.request_record_received(request=req, received_on=dt.date(2026, 11, 17))
    assert sweep_at(clock, local(18, 8)).sent == []
    assert kits_due(now=local(18, 9).astimezone(dt.UTC)) == ([], 0)
    assert not EscalationKit.objects.exists()


def test_received_before_delivery_withdraws_the_kit_email(clock, owner):
    req = make_request(owner, first=dt.date(2026, 11, 2))
    sweep_at(clock, local(18, 8))
    kit = EscalationKit.objects.get()
    assert kit.email.status == Email.Status.PENDING
    services.request_record_received(request=req, received_on=dt.date(2026, 11, 18))
    result = sweep_at(clock, local(18, 8, 1))
    assert result.withdrawn == [kit.pk]
    kit.refresh_from_db()
    assert kit.email.status == Email.Status.CANCELLED
    assert kit.note == "E-mail withdrawn before delivery: loss runs received."
    assert deliver_outbox() == []


def test_a_sent_kit_email_is_history_after_the_loss_runs_arrive(clock, owner):
    req = make_request(owner, first=dt.date(2026, 11, 2))
    sweep_at(clock, local(18, 8))
    assert len(deliver_outbox()) == 1
    services.request_record_received(request=req, received_on=dt.date(2026, 11, 18))
    assert sweep_at(clock, local(18, 9)).withdrawn == []
    assert EscalationKit.objects.get().email.status == Email.Status.SENT


def test_a_date_corrected_after_the_kit_gets_a_new_kit_at_the_new_moment(clock, owner):
    req = make_request(owner, first=dt.date(2026, 11, 2))
    sweep_at(clock, local(18, 8))
    deliver_outbox()
    # The 1st request really went out on 11/09: due 11/24, kit on Wednesday 11/25.
    correct_first_request(req, owner, dt.date(2026, 11, 9))
    req.refresh_from_db()
    assert req.statutory_due_on == dt.date(2026, 11, 24)
    assert sweep_at(clock, local(24, 12)).sent == []
    assert sweep_at(clock, local(25, 8)).sent == [req.pk]
    assert sorted(EscalationKit.objects.values_list("due_on", flat=True)) == [
        dt.date(2026, 11, 17),
        dt.date(2026, 11, 24),
    ]
    assert sweep_at(clock, local(27, 9)).sent == []


def test_a_date_corrected_before_the_moment_sends_one_kit_for_the_new_date(clock, owner):
    req = make_request(owner, first=dt.date(2026, 11, 2))
    clock.move_to(local(17, 12))
    correct_first_request(req, owner, dt.date(2026, 11, 9))
    assert sweep_at(clock, local(18, 8)).sent == []
    assert sweep_at(clock, local(25, 8)).sent == [req.pk]
    assert list(EscalationKit.objects.values_list("due_on", flat=True)) == [dt.date(2026, 11, 24)]


def test_a_queued_kit_for_a_date_that_moved_is_withdrawn(clock, owner):
    req = make_request(owner, first=dt.date(2026, 11, 2))
    sweep_at(clock, local(18, 8))
    correct_first_request(req, owner, dt.date(2026, 11, 9))
    result = sweep_at(clock, local(18, 8, 1))
    assert len(result.withdrawn) == 1
    assert EscalationKit.objects.get().note == (
        "E-mail withdrawn before delivery: the statutory date changed."
    )


@pytest.mark.parametrize("state", ["CA", "OH"])  # a trigger that does not apply; no statute
def test_no_statutory_date_no_kit(clock, owner, state):
    req = make_request(owner, first=dt.date(2026, 10, 1), state=state)
    assert req.statutory_due_on is None
    assert sweep_at(clock, local(18, 8)).sent == []


def test_the_open_ticket_gets_the_kit_on_its_thread(clock, owner, client):
    req = make_request(owner, first=dt.date(2026, 11, 2))
    ticket = TicketFactory(request=req)
    sweep_at(clock, local(18, 8))
    kit = EscalationKit.objects.get()
    assert kit.ticket_id == ticket.pk
    msg = TicketMessage.objects.get(ticket=ticket)
    assert msg.by_product and not msg.is_internal and not msg.from_staff and msg.author is None
    assert "Statutory deadline passed with nothing received" in msg.body
    assert "Fla. Stat. § 627.444" in msg.body
    assert set(msg.documents.all()) == {kit.letter, kit.complaint}
    assert TicketEvent.objects.filter(ticket=ticket, action="message").count() == 1
    ticket.refresh_from_db()
    assert ticket.first_responded_at is None  # no person answered
    # One e-mail only (the kit's, naming the ticket): the note itself mails no one.
    assert Email.objects.count() == 1
    assert f"Help Desk ticket #{ticket.pk}" in kit.email.text_body
    client.force_login(owner)
    page = client.get(reverse("helpdesk:ticket_detail", args=[ticket.pk])).content.decode()
    assert "Loss-run tracker (automatic)" in page
    assert kit.letter.original_name in page


def test_a_closed_ticket_gets_no_note(clock, owner):
    req = make_request(owner, first=dt.date(2026, 11, 2))
    TicketFactory(request=req, status="closed_cannot_pursue")
    sweep_at(clock, local(18, 8))
    assert EscalationKit.objects.get().ticket_id is None
    assert not TicketMessage.objects.exists()


def test_no_recipient_records_the_kit_without_an_email(clock, owner):
    req = make_request(owner, first=dt.date(2026, 11, 2))
    owner.is_active = False
    owner.save()
    agency = owner.agency
    agency.email = ""
    agency.save()
    sweep_at(clock, local(18, 8))
    kit = EscalationKit.objects.get(request=req)
    assert kit.email is None
    assert kit.note.startswith("No e-mail sent")
    assert sweep_at(clock, local(18, 9)).sent == []


def test_a_failing_kit_leaves_no_file_and_others_still_go(clock, owner, monkeypatch):
    bad = make_request(owner, first=dt.date(2026, 11, 2))
    good = make_request(owner, first=dt.date(2026, 11, 3))
    from escalation import sending

    real = sending.ticket_note

    def boom(*, request, **kwargs):
        if request.pk == bad.pk:
            raise RuntimeError("ticket store down")
        return real(request=request, **kwargs)

    monkeypatch.setattr(sending, "ticket_note", boom)
    result = sweep_at(clock, local(19, 8))
    assert result.sent == [good.pk]
    assert result.errors == [(bad.pk, "RuntimeError: ticket store down")]
    assert not Document.objects.filter(request=bad).exists()
    files = [d.file.name for d in Document.objects.filter(request=good)]
    assert len(files) == 2
    monkeypatch.setattr(sending, "ticket_note", real)
    assert sweep_at(clock, local(19, 8, 1)).sent == [bad.pk]


def test_the_sweep_is_on_the_beat_schedule(clock, owner):
    entry = settings.CELERY_BEAT_SCHEDULE["escalation-kit-sweep"]
    assert entry["task"] == "escalation.tasks.kit_sweep"
    from config.celery_app import app

    app.loader.import_default_modules()
    task = app.tasks["escalation.tasks.kit_sweep"]
    make_request(owner, first=dt.date(2026, 11, 2))
    clock.move_to(local(18, 8))
    assert task() == {"sent": 1, "waiting": 0, "withdrawn": 0, "errors": 0}


def test_staff_see_the_kits_sent_in_the_admin(clock, owner, client):
    from tests.factories import StaffFactory

    req = make_request(owner, first=dt.date(2026, 11, 2))
    ticket = TicketFactory(request=req)
    sweep_at(clock, local(18, 8))
    kit = EscalationKit.objects.get()
    client.force_login(StaffFactory())
    listing = client.get(reverse("admin:escalation_escalationkit_changelist")).content.decode()
    assert "Fla. Stat. § 627.444" in listing and "Pending" in listing
    assert reverse("admin:helpdesk_ticket_change", args=[ticket.pk]) in listing
    page = client.get(reverse("admin:escalation_escalationkit_change", args=[kit.pk]))
    assert page.status_code == 200
    # The ticket's thread in the admin: the note, by the product, with both PDFs.
    change = client.get(reverse("admin:helpdesk_ticket_change", args=[ticket.pk])).content.decode()
    assert "automatic note (shown to the agency)" in change
    assert "automatic note (escalation kit)" in change  # the documents list
    assert kit.letter.original_name in change and kit.complaint.original_name in change


def test_the_request_page_lists_the_kit_sent(clock, owner, client):
    req = make_request(owner, first=dt.date(2026, 11, 2))
    sweep_at(clock, local(18, 8))
    client.force_login(owner)
    page = client.get(reverse("vault:request_edit", args=[req.pk])).content.decode()
    assert "Kit for the due date Nov 17, 2026 sent Nov 18, 2026, 8:00 AM by e-mail" in page
    assert f"certified-letter-blue-heron-bakery-llc-{req.pk}.pdf" in page
