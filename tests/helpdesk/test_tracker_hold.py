"""While a Help Desk ticket is open the tracker sends no deadline notice; it resumes after."""

import datetime as dt
import zoneinfo

from django.utils import timezone

from helpdesk import services
from helpdesk.models import Ticket
from tracker.models import Notification
from tracker.schedule import agency_clock, request_schedule_refresh
from tracker.services import sweep
from tracker.timeline import notice_moment

NY = zoneinfo.ZoneInfo("America/New_York")
Status = Ticket.Status


def _open_ticket(agency, req, member, signed, proof):
    return services.ticket_submit(
        agency=agency,
        request=req,
        user=member,
        signed_first_request=signed,
        proofs=[services.ProofChoice(proof, ["GL-123", "AU-456"])],
        message="Carrier never answered.",
        confirmed_common_mistakes=True,
    )


def _open_moment(agency):
    """The next moment inside the agency's working hours (the sweep sends only then)."""
    return notice_moment(timezone.now(), agency_clock(agency))


def _deadline_notices(req):
    return Notification.objects.filter(request=req)


def test_submitting_a_ticket_holds_the_tracker_and_closing_it_resumes(
    agency,
    member,
    staff,
    overdue_request,
    signed_doc,
    proof_doc,
    django_capture_on_commit_callbacks,
):
    req = overdue_request
    request_schedule_refresh(req)
    req.refresh_from_db()
    assert req.next_due_at is not None  # the Help Desk notice is due
    ticket = _open_ticket(agency, req, member, signed_doc, proof_doc)
    req.refresh_from_db()
    assert req.helpdesk_open and req.next_due_at is None
    assert sweep().created == []
    services.ticket_set_status(ticket=ticket, status=Status.IN_REVIEW, actor=staff)
    req.refresh_from_db()
    assert req.helpdesk_open  # still open: still quiet
    services.ticket_set_status(ticket=ticket, status=Status.CLOSED_CANNOT_PURSUE, actor=staff)
    req.refresh_from_db()
    assert not req.helpdesk_open and req.next_due_at is not None
    created = sweep(now=_open_moment(agency)).created
    assert [n.milestone for n in created] == ["helpdesk_due"]


def test_a_ticket_resolved_with_the_loss_runs_stops_the_tracker_for_good(
    agency, member, staff, overdue_request, signed_doc, proof_doc
):
    req = overdue_request
    ticket = _open_ticket(agency, req, member, signed_doc, proof_doc)
    services.ticket_resolve_received(
        ticket=ticket,
        actor=staff,
        received_on=timezone.localdate(timezone.now(), NY) - dt.timedelta(days=1),
    )
    req.refresh_from_db()
    assert not req.helpdesk_open and req.received_on is not None and req.next_due_at is None
    assert sweep(now=_open_moment(agency)).created == []


def test_reopening_a_closed_ticket_holds_the_tracker_again(
    agency, member, staff, overdue_request, signed_doc, proof_doc
):
    req = overdue_request
    ticket = _open_ticket(agency, req, member, signed_doc, proof_doc)
    services.ticket_set_status(ticket=ticket, status=Status.CLOSED_CANNOT_PURSUE, actor=staff)
    services.ticket_set_status(ticket=ticket, status=Status.IN_REVIEW, actor=staff)
    req.refresh_from_db()
    assert req.helpdesk_open and req.next_due_at is None
    assert not _deadline_notices(req).exclude(status=Notification.Status.CANCELLED).exists()
