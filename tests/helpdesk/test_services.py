import datetime as dt
import zoneinfo

import pytest
import time_machine
from django.core import mail
from django.core.exceptions import ValidationError
from django.utils import timezone

from helpdesk import services
from helpdesk.models import ProofCoverage, Ticket, TicketEvent, TicketMessage
from tests.factories import AgencyFactory, DocumentFactory, StaffFactory
from tests.helpdesk.factories import TicketFactory
from tracker.schedule import request_schedule_refresh
from vault.models import Document

NY = zoneinfo.ZoneInfo("America/New_York")
Status = Ticket.Status


def _submit(agency, req, user, signed, proofs, **kw):
    return services.ticket_submit(
        agency=agency,
        request=req,
        user=user,
        signed_first_request=signed,
        proofs=proofs,
        message=kw.pop("message", "Carrier never answered."),
        confirmed_common_mistakes=kw.pop("confirmed", True),
    )


# --- first-response due -------------------------------------------------------------------


@pytest.mark.parametrize(
    ("submitted", "due"),
    [
        (
            dt.datetime(2026, 11, 23, 10, 30, tzinfo=NY),
            dt.datetime(2026, 11, 24, 10, 30, tzinfo=NY),
        ),
        # Friday -> Monday, same local time
        (
            dt.datetime(2026, 11, 20, 14, 15, tzinfo=NY),
            dt.datetime(2026, 11, 23, 14, 15, tzinfo=NY),
        ),
        # Day before Thanksgiving -> Friday after it
        (dt.datetime(2026, 11, 25, 9, 0, tzinfo=NY), dt.datetime(2026, 11, 27, 9, 0, tzinfo=NY)),
        # Saturday -> Monday
        (dt.datetime(2026, 11, 21, 11, 0, tzinfo=NY), dt.datetime(2026, 11, 23, 11, 0, tzinfo=NY)),
    ],
)
def test_first_response_due_skips_weekends_and_holidays(db, submitted, due):
    agency = AgencyFactory(time_zone="America/New_York")
    assert services.first_response_due(agency=agency, submitted_at=submitted) == due


def test_first_response_due_uses_agency_local_day(db):
    agency = AgencyFactory(time_zone="America/Los_Angeles")
    # Friday 23:00 in LA is already Saturday in UTC; still Friday for the agency -> Monday.
    la = zoneinfo.ZoneInfo("America/Los_Angeles")
    submitted = dt.datetime(2026, 11, 20, 23, 0, tzinfo=la)
    assert services.first_response_due(agency=agency, submitted_at=submitted) == dt.datetime(
        2026, 11, 23, 23, 0, tzinfo=la
    )


def test_first_response_due_skips_agency_closed_day(db):
    agency = AgencyFactory()
    agency.closed_days.create(date=dt.date(2026, 11, 24))
    submitted = dt.datetime(2026, 11, 23, 10, 0, tzinfo=NY)
    assert services.first_response_due(agency=agency, submitted_at=submitted).astimezone(
        NY
    ).date() == dt.date(2026, 11, 25)


# --- submission ---------------------------------------------------------------------------


def test_submit_creates_ticket_coverage_message_event_and_emails_helpdesk(
    agency,
    member,
    overdue_request,
    signed_doc,
    proof_doc,
    django_capture_on_commit_callbacks,
    settings,
):
    settings.HELPDESK_EMAIL = "desk@platform.test"
    with (
        time_machine.travel(dt.datetime(2026, 11, 20, 14, 0, tzinfo=NY), tick=False),
        django_capture_on_commit_callbacks(execute=True),
    ):
        t = _submit(
            agency,
            overdue_request,
            member,
            signed_doc,
            [services.ProofChoice(proof_doc, ["GL-123", "AU-456"])],
        )
    assert t.status == Status.SUBMITTED
    assert t.first_response_due_at == dt.datetime(2026, 11, 23, 14, 0, tzinfo=NY)
    assert t.confirmed_common_mistakes_at is not None
    assert set(ProofCoverage.objects.filter(ticket=t).values_list("policy_number", flat=True)) == {
        "GL-123",
        "AU-456",
    }
    assert t.messages.get().body == "Carrier never answered."
    assert list(t.events.values_list("action", flat=True)) == [TicketEvent.Action.SUBMITTED]
    assert len(mail.outbox) == 2
    desk, agency_mail = mail.outbox
    assert desk.to == ["desk@platform.test"]
    assert f"http://testserver/admin/helpdesk/ticket/{t.pk}/change/" in desk.body
    assert agency_mail.to == [member.email]
    assert "will answer by Monday, Nov 23, 2026, 2:00 PM" in agency_mail.body
    assert f"http://testserver/helpdesk/tickets/{t.pk}/" in agency_mail.body
    # The carrier figures count it as gone to the Help Desk.
    overdue_request.refresh_from_db()
    assert overdue_request.went_to_helpdesk


def test_submit_refuses_uncovered_policy(agency, member, overdue_request, signed_doc, proof_doc):
    with pytest.raises(ValidationError) as exc:
        _submit(
            agency,
            overdue_request,
            member,
            signed_doc,
            [services.ProofChoice(proof_doc, ["GL-123"])],
        )
    assert (
        "Policy AU-456 is not covered by any proof of carrier." in exc.value.message_dict["proofs"]
    )
    assert not Ticket.objects.exists()


def test_submit_refuses_missing_signed_proof_and_confirmation(agency, member, overdue_request):
    with pytest.raises(ValidationError) as exc:
        _submit(agency, overdue_request, member, None, [], confirmed=False)
    errors = exc.value.message_dict
    assert set(errors) == {"signed_first_request", "proofs", "confirm_common_mistakes"}


def test_submit_refuses_wrong_document_kinds(
    agency, member, overdue_request, signed_doc, proof_doc
):
    with pytest.raises(ValidationError) as exc:
        _submit(
            agency,
            overdue_request,
            member,
            proof_doc,
            [services.ProofChoice(signed_doc, ["GL-123", "AU-456"])],
        )
    assert set(exc.value.message_dict) == {"signed_first_request", "proofs"}


def test_submit_refuses_other_agency_documents(
    agency, member, overdue_request, proof_doc, other_agency
):
    foreign = DocumentFactory(request__agency=other_agency, kind=Document.Kind.AUTH_SIGNED)
    with pytest.raises(ValidationError) as exc:
        _submit(
            agency,
            overdue_request,
            member,
            foreign,
            [services.ProofChoice(proof_doc, ["GL-123", "AU-456"])],
        )
    assert "signed_first_request" in exc.value.message_dict


def test_second_submission_raises_with_the_open_ticket(
    agency, member, overdue_request, signed_doc, proof_doc
):
    proofs = [services.ProofChoice(proof_doc, ["GL-123", "AU-456"])]
    first = _submit(agency, overdue_request, member, signed_doc, proofs)
    with pytest.raises(services.TicketAlreadyOpen) as exc:
        _submit(agency, overdue_request, member, signed_doc, proofs)
    assert exc.value.ticket == first
    # Once closed, a new ticket may be opened for the same request.
    services.ticket_set_status(
        ticket=first, status=Status.CLOSED_CANNOT_PURSUE, actor=StaffFactory()
    )
    second = _submit(agency, overdue_request, member, signed_doc, proofs)
    assert second.pk != first.pk


def test_database_allows_only_one_open_ticket_per_request(ticket):
    from django.db import IntegrityError, transaction

    with pytest.raises(IntegrityError), transaction.atomic():
        TicketFactory(request=ticket.request, proofs=False)


# --- status flow, e-mails, audit ----------------------------------------------------------


def test_status_flow_emails_agency_and_audits_each_step(
    ticket, staff, mistakes, member, django_capture_on_commit_callbacks
):
    ticket.agency.copy_addresses = "cc@agency.test\n"
    ticket.agency.save()
    with django_capture_on_commit_callbacks(execute=True):
        services.ticket_assign(ticket=ticket, assignee=staff, actor=staff)
        services.ticket_set_status(ticket=ticket, status=Status.IN_REVIEW, actor=staff)
        services.ticket_return_to_agency(
            ticket=ticket, actor=staff, reasons=[mistakes[0]], note="Send the 2025 dec page."
        )
        services.ticket_add_message(ticket=ticket, author=member, body="Attached the right one.")
        services.ticket_set_status(ticket=ticket, status=Status.ESCALATED, actor=staff)
    ticket.refresh_from_db()
    assert ticket.status == Status.ESCALATED
    assert ticket.first_responded_at is not None
    statuses = list(ticket.events.exclude(to_status="").values_list("from_status", "to_status"))
    assert statuses == [
        ("submitted", "in_review"),
        ("in_review", "waiting_on_agency"),
        ("waiting_on_agency", "in_review"),  # the agency's reply
        ("in_review", "escalated"),
    ]
    assert ticket.events.get(action=TicketEvent.Action.ASSIGNED).actor == staff
    subjects = [m.subject for m in mail.outbox]
    agency_mails = [m for m in mail.outbox if member.email in m.to]
    # in review, waiting, escalated: not the move back to review that the agency's own reply made
    assert [m.subject.split(": ", 1)[1].split(" (")[0] for m in agency_mails] == [
        "In review",
        "Waiting on agency",
        "Escalated to carrier",
    ]
    assert all("cc@agency.test" in m.to for m in agency_mails)
    assert all(f"http://testserver/helpdesk/tickets/{ticket.pk}/" in m.body for m in agency_mails)
    returned = next(m for m in agency_mails if "Waiting on agency" in m.subject)
    assert "Wrong policy number" in returned.body and "Send the 2025 dec page." in returned.body
    assert "Wrong policy number" in returned.alternatives[0][0]
    helpdesk_mails = [m for m in mail.outbox if m.to == ["helpdesk@localhost"]]
    assert len(helpdesk_mails) == 1 and "Attached the right one." in helpdesk_mails[0].body, (
        subjects
    )


def test_return_requires_reasons(ticket, staff):
    with pytest.raises(ValidationError) as exc:
        services.ticket_return_to_agency(ticket=ticket, actor=staff, reasons=[], note="x")
    assert "reasons" in exc.value.message_dict
    ticket.refresh_from_db()
    assert ticket.status == Status.SUBMITTED
    assert not ticket.events.filter(action=TicketEvent.Action.RETURNED).exists()


def test_return_records_reasons_and_waiting_for(ticket, staff, mistakes):
    event = services.ticket_return_to_agency(ticket=ticket, actor=staff, reasons=mistakes)
    ticket.refresh_from_db()
    assert ticket.status == Status.WAITING_ON_AGENCY
    assert ticket.waiting_for == "Wrong policy number; Unsigned authorization"
    assert set(event.reasons.all()) == set(mistakes)


def test_set_status_refuses_waiting_and_received_shortcuts(ticket, staff):
    for status in (Status.WAITING_ON_AGENCY, Status.RESOLVED_RECEIVED):
        with pytest.raises(ValidationError):
            services.ticket_set_status(ticket=ticket, status=status, actor=staff)


def test_closing_sets_closed_at_and_agency_cannot_reply(ticket, staff, member):
    services.ticket_set_status(ticket=ticket, status=Status.CLOSED_CANNOT_PURSUE, actor=staff)
    ticket.refresh_from_db()
    assert ticket.closed_at is not None
    with pytest.raises(ValidationError):
        services.ticket_add_message(ticket=ticket, author=member, body="hello?")


def test_internal_note_is_not_emailed_and_public_message_is(
    ticket, staff, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        services.ticket_add_message(
            ticket=ticket, author=staff, body="SECRET carrier rep is slow", is_internal=True
        )
    assert mail.outbox == []
    ticket.refresh_from_db()
    assert ticket.first_responded_at is None  # an internal note is not a response
    assert ticket.events.get(action=TicketEvent.Action.INTERNAL_NOTE).actor == staff
    with django_capture_on_commit_callbacks(execute=True):
        services.ticket_add_message(
            ticket=ticket, author=staff, body="We called the carrier today."
        )
    assert len(mail.outbox) == 1
    body = mail.outbox[0].body + mail.outbox[0].alternatives[0][0]
    assert "We called the carrier today." in body
    assert "SECRET" not in body
    ticket.refresh_from_db()
    assert ticket.first_responded_at is not None


def test_agency_message_is_never_internal(ticket, member):
    msg = services.ticket_add_message(ticket=ticket, author=member, body="hi", is_internal=True)
    assert msg.is_internal is False and msg.from_staff is False


def test_other_agency_user_cannot_post(ticket, other_agency):
    from tests.factories import UserFactory

    with pytest.raises(ValidationError):
        services.ticket_add_message(
            ticket=ticket, author=UserFactory(agency=other_agency), body="x"
        )


# --- resolution ---------------------------------------------------------------------------


def test_resolve_received_sets_request_date_and_stops_tracker(
    ticket, staff, django_capture_on_commit_callbacks
):
    req = ticket.request
    request_schedule_refresh(req)
    req.refresh_from_db()
    assert req.next_due_at is not None
    today = timezone.localdate(timezone.now(), ticket.agency.tz)
    with django_capture_on_commit_callbacks(execute=True):
        services.ticket_resolve_received(ticket=ticket, actor=staff, received_on=today)
    req.refresh_from_db()
    ticket.refresh_from_db()
    assert req.received_on == today
    assert req.next_due_at is None and req.helpdesk_due_at is None
    assert ticket.status == Status.RESOLVED_RECEIVED and ticket.closed_at is not None
    event = ticket.events.get(action=TicketEvent.Action.RESOLVED)
    assert event.actor == staff and event.to_status == Status.RESOLVED_RECEIVED
    assert len(mail.outbox) == 1 and "Resolved: received" in mail.outbox[0].subject


def test_resolve_received_refuses_future_date(ticket, staff):
    with pytest.raises(ValidationError):
        services.ticket_resolve_received(
            ticket=ticket, actor=staff, received_on=timezone.localdate() + dt.timedelta(days=5)
        )
    ticket.request.refresh_from_db()
    assert ticket.request.received_on is None


def test_every_staff_action_writes_an_audit_row(ticket, staff, mistakes):
    before = TicketEvent.objects.count()
    services.ticket_assign(ticket=ticket, assignee=staff, actor=staff)
    services.ticket_set_priority(ticket=ticket, priority=Ticket.Priority.HIGH, actor=staff)
    services.ticket_set_status(ticket=ticket, status=Status.IN_REVIEW, actor=staff)
    services.ticket_add_message(ticket=ticket, author=staff, body="note", is_internal=True)
    services.ticket_add_message(ticket=ticket, author=staff, body="public")
    services.ticket_return_to_agency(ticket=ticket, actor=staff, reasons=mistakes[:1])
    services.ticket_escalation_letter_record(ticket=ticket, actor=staff)
    services.ticket_set_status(ticket=ticket, status=Status.ESCALATED, actor=staff)
    services.ticket_resolve_received(ticket=ticket, actor=staff, received_on=timezone.localdate())
    events = TicketEvent.objects.filter(ticket=ticket).order_by("id")[before:]
    assert [e.action for e in events] == [
        "assigned",
        "priority",
        "status",
        "internal_note",
        "message",
        "returned",
        "escalation_letter",
        "status",
        "resolved",
    ]
    assert all(e.actor == staff and e.agency_id == ticket.agency_id for e in events)


def test_no_change_writes_no_event(ticket, staff):
    services.ticket_assign(ticket=ticket, assignee=staff, actor=staff)
    n = ticket.events.count()
    assert services.ticket_assign(ticket=ticket, assignee=staff, actor=staff) is None
    assert services.ticket_set_status(ticket=ticket, status=ticket.status, actor=staff) is None
    assert ticket.events.count() == n


def test_messages_rows_carry_agency(ticket, staff):
    msg = services.ticket_add_message(ticket=ticket, author=staff, body="x")
    assert TicketMessage.objects.for_agency(ticket.agency).filter(pk=msg.pk).exists()
