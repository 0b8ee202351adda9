"""The agency's help-desk e-mails: to the agent and the submitter, one per minute of staff
work, exactly once, and never about the agency's own reply."""

import datetime as dt

import pytest
import time_machine
from django.core import mail
from django.utils import timezone

from helpdesk import rules, services
from helpdesk.emails import agency_recipients
from helpdesk.models import AgencyUpdate, Ticket
from helpdesk.services.updates import agency_update_send, agency_updates_send_due
from outbox.models import Email
from tests.factories import UserFactory
from tests.helpdesk.factories import TicketFactory
from tests.outbox_mail import deliver_outbox
from vault.models import LossRunRequest

Status = Ticket.Status
T0 = dt.datetime(2026, 11, 24, 15, 0, 0, tzinfo=dt.UTC)


@pytest.fixture
def window(settings):
    settings.HELPDESK_UPDATE_WINDOW_SECONDS = 60
    return dt.timedelta(seconds=60)


@pytest.fixture
def agent(agency):
    return UserFactory(agency=agency, email="agent@agency.test")


@pytest.fixture
def handed_over(overdue_request, agent, member):
    """The agent's request, handed to the help desk by a colleague (the submitter)."""
    overdue_request.created_by = overdue_request.owner = agent
    overdue_request.save(update_fields=["created_by", "owner"])
    return TicketFactory(request=overdue_request, submitted_by=member)


def agency_rows():
    return list(Email.objects.filter(kind__startswith="helpdesk.agency").order_by("id"))


# --- recipients ----------------------------------------------------------------------------


def test_the_agent_and_the_submitter_both_hear(handed_over, agent, member):
    assert agency_recipients(handed_over) == [agent.email, member.email]


def test_an_agent_who_submitted_is_written_to_once(ticket, member):
    assert ticket.request.created_by == member == ticket.submitted_by
    assert agency_recipients(ticket) == [member.email]


def test_a_status_e_mail_reaches_agent_and_submitter(
    handed_over, staff, agent, member, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        services.ticket_set_status(ticket=handed_over, status=Status.IN_REVIEW, actor=staff)
    (sent,) = mail.outbox
    assert sent.to == [agent.email, member.email]


# --- one e-mail per window -----------------------------------------------------------------


def test_changes_of_the_same_minute_are_one_e_mail_sent_once(
    handed_over, staff, window, django_capture_on_commit_callbacks
):
    with time_machine.travel(T0, tick=False):
        services.ticket_set_status(ticket=handed_over, status=Status.IN_REVIEW, actor=staff)
    with time_machine.travel(T0 + dt.timedelta(seconds=40), tick=False):
        services.ticket_add_message(ticket=handed_over, author=staff, body="We called them.")
        services.ticket_add_message(
            ticket=handed_over, author=staff, body="INTERNAL rep is slow", is_internal=True
        )
    (update,) = AgencyUpdate.objects.all()
    assert update.events.count() == 1 and update.messages.count() == 1
    assert agency_update_send(update_id=update.pk, now=T0 + dt.timedelta(seconds=59)) is None
    assert agency_rows() == []  # still inside its window: nothing queued yet
    with django_capture_on_commit_callbacks(execute=True):
        email = agency_update_send(update_id=update.pk, now=T0 + window)
    assert email is not None and agency_rows() == [email]
    insured = handed_over.request.insured
    assert email.subject.endswith(
        f"Help desk ticket #{handed_over.pk}: In review, and new message ({insured})"
    )
    assert "is now: In review" in email.text_body and "We called them." in email.text_body
    assert "INTERNAL" not in email.text_body + email.html_body
    # Exactly once: a second send (a duplicate task, the sweep) queues nothing more.
    assert agency_update_send(update_id=update.pk, now=T0 + 2 * window) is None
    assert agency_updates_send_due(now=T0 + 2 * window) == []
    assert len(agency_rows()) == 1
    assert len(deliver_outbox()) == 1


def test_a_change_after_the_window_is_the_next_e_mail(handed_over, staff, window):
    with time_machine.travel(T0, tick=False):
        services.ticket_set_status(ticket=handed_over, status=Status.IN_REVIEW, actor=staff)
    with time_machine.travel(T0 + window, tick=False):
        services.ticket_set_status(ticket=handed_over, status=Status.ESCALATED, actor=staff)
    first, second = AgencyUpdate.objects.order_by("id")
    assert second.opened_at == T0 + window and second.due_at == T0 + 2 * window
    assert agency_updates_send_due(now=T0 + window) == [first.pk]
    assert agency_updates_send_due(now=T0 + 2 * window) == [second.pk]
    first_mail, second_mail = agency_rows()
    assert ": In review (" in first_mail.subject
    assert ": Escalated to carrier (" in second_mail.subject


def test_the_sweep_sends_what_a_lost_countdown_left(handed_over, staff, window):
    with time_machine.travel(T0, tick=False):
        services.ticket_set_status(ticket=handed_over, status=Status.IN_REVIEW, actor=staff)
    assert agency_updates_send_due(now=T0 + window - dt.timedelta(seconds=1)) == []
    (update,) = AgencyUpdate.objects.all()
    assert agency_updates_send_due(now=T0 + window) == [update.pk]
    update.refresh_from_db()
    assert update.queued_at == T0 + window and update.email == agency_rows()[0]


# --- not about the agency's own reply ------------------------------------------------------


def test_the_agencys_own_reply_is_not_mailed_back(
    handed_over, staff, member, mistakes, django_capture_on_commit_callbacks
):
    services.ticket_return_to_agency(ticket=handed_over, actor=staff, reasons=[mistakes[0]])
    before = AgencyUpdate.objects.count()
    with django_capture_on_commit_callbacks(execute=True):
        services.ticket_add_message(ticket=handed_over, author=member, body="Attached it.")
    handed_over.refresh_from_db()
    assert handed_over.status == Status.IN_REVIEW  # the reply moved it back to review ...
    assert AgencyUpdate.objects.count() == before  # ... and the agency is not told so
    assert [m.to for m in mail.outbox] == [["helpdesk@localhost"]]  # only the desk hears


def test_staff_moving_the_ticket_is_mailed(handed_over, staff):
    services.ticket_set_status(ticket=handed_over, status=Status.IN_REVIEW, actor=staff)
    assert AgencyUpdate.objects.filter(ticket=handed_over).count() == 1


def test_rule_the_agency_hears_of_staff_changes_and_its_receipt_not_its_own_moves():
    assert rules.agency_hears_of(action="status", by_agency=False)
    assert not rules.agency_hears_of(action="status", by_agency=True)
    assert rules.agency_hears_of(action="submitted", by_agency=True)


def test_updates_keep_their_ticket_s_agency(handed_over, staff):
    services.ticket_set_status(ticket=handed_over, status=Status.IN_REVIEW, actor=staff)
    assert AgencyUpdate.objects.get().agency_id == handed_over.agency_id
    assert timezone.is_aware(AgencyUpdate.objects.get().due_at)


def test_the_requests_owner_hears_when_it_was_handed_to_a_colleague(handed_over, member):
    """The agent is the request's owner (vault.rules.request_agent), not its creator."""
    colleague = UserFactory(agency=handed_over.agency, email="colleague@agency.test")
    LossRunRequest.objects.filter(pk=handed_over.request_id).update(owner=colleague)
    handed_over.request.refresh_from_db()
    assert agency_recipients(handed_over) == [colleague.email, member.email]
