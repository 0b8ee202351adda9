import io

import pytest
from django.core import mail
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from django.utils import timezone
from pypdf import PdfReader

from helpdesk import services
from helpdesk.models import Ticket, TicketEvent
from tests.factories import DocumentFactory, StaffFactory
from tests.helpdesk.factories import TicketFactory
from vault.models import Document

Status = Ticket.Status


def change_url(ticket):
    return reverse("admin:helpdesk_ticket_change", args=[ticket.pk])


def change_data(client, ticket, **overrides):
    """The admin change form as the browser would post it, with `overrides` applied."""
    r = client.get(change_url(ticket))
    assert r.status_code == 200
    form = r.context["adminform"].form
    data = {}
    for name, field in form.fields.items():
        value = form.initial.get(name, field.initial)
        data[name] = "" if value is None else getattr(value, "pk", value)
    for inline in r.context["inline_admin_formsets"]:
        fs = inline.formset
        for key, value in fs.management_form.initial.items():
            data[f"{fs.prefix}-{key}"] = value
        for i, f in enumerate(fs.initial_forms):
            data[f"{fs.prefix}-{i}-id"] = f.instance.pk
            data[f"{fs.prefix}-{i}-ticket"] = ticket.pk
    data.update(overrides)
    return data


# --- access -------------------------------------------------------------------------------


def test_agency_user_cannot_reach_the_admin(member_client, ticket):
    doc = ticket.signed_first_request
    for url in [
        reverse("admin:helpdesk_ticket_changelist"),
        change_url(ticket),
        reverse("admin:helpdesk_ticket_return", args=[ticket.pk]),
        reverse("admin:helpdesk_ticket_escalation_letter", args=[ticket.pk]),
        reverse("admin:helpdesk_ticket_document", args=[ticket.pk, doc.pk]),
    ]:
        r = member_client.get(url)
        assert r.status_code == 302 and r.url.startswith(reverse("admin:login")), url
    r = member_client.post(
        reverse("admin:helpdesk_ticket_return", args=[ticket.pk]), {"reasons": []}
    )
    assert r.status_code == 302
    assert not ticket.events.exists()


# --- the queue ----------------------------------------------------------------------------


def test_changelist_queue_filters_and_search(staff_client, agency, django_assert_max_num_queries):
    t1 = TicketFactory(request__agency=agency, request__policies=["WC-777"])
    t2 = TicketFactory(request__agency=agency, request__insured__legal_name="Quillfeather Bakery")
    Ticket.objects.filter(pk=t1.pk).update(
        first_response_due_at=timezone.now() - timezone.timedelta(hours=1)
    )
    url = reverse("admin:helpdesk_ticket_changelist")
    with django_assert_max_num_queries(12):
        r = staff_client.get(url)
    assert r.status_code == 200
    html = r.content.decode()
    assert "OVERDUE" in html
    assert list(r.context["cl"].result_list) == [t1, t2]  # sorted by due
    for _ in range(5):
        TicketFactory(request__agency=agency)
    with django_assert_max_num_queries(12):
        staff_client.get(url)
    r = staff_client.get(url, {"overdue": "yes"})
    assert list(r.context["cl"].result_list) == [t1]
    r = staff_client.get(url, {"q": "WC-777"})
    assert list(r.context["cl"].result_list) == [t1]
    r = staff_client.get(url, {"q": t2.request.insured.legal_name})
    assert list(r.context["cl"].result_list) == [t2]
    r = staff_client.get(url, {"status__exact": "submitted", "agency__id__exact": agency.pk})
    assert r.status_code == 200


def test_change_page_shows_contacts_dates_thread_and_audit(staff_client, ticket, staff):
    carrier = ticket.request.carrier
    carrier.fax = "555-0100"
    carrier.phone = "555-0199"
    carrier.mailing_address = "1 Carrier Plaza, Hartford CT"
    carrier.save()
    services.ticket_add_message(
        ticket=ticket, author=staff, body="internal: called rep", is_internal=True
    )
    r = staff_client.get(change_url(ticket))
    html = r.content.decode()
    assert carrier.loss_run_email in html and "555-0100" in html and "1 Carrier Plaza" in html
    assert "1st request sent" in html and "2nd request sent" in html
    assert "internal: called rep" in html  # staff see internal notes
    assert "Internal note" in html  # the audit row
    assert reverse("admin:helpdesk_ticket_escalation_letter", args=[ticket.pk]) in html
    assert reverse("admin:helpdesk_ticket_return", args=[ticket.pk]) in html
    assert (
        reverse("admin:helpdesk_ticket_document", args=[ticket.pk, ticket.signed_first_request_id])
        in html
    )


# --- saving through services --------------------------------------------------------------


def test_status_change_in_admin_goes_through_service(
    staff_client, ticket, staff, member, django_capture_on_commit_callbacks
):
    data = change_data(
        staff_client, ticket, status=Status.IN_REVIEW, status_note="Looking at it today."
    )
    with django_capture_on_commit_callbacks(execute=True):
        r = staff_client.post(change_url(ticket), data)
    assert r.status_code == 302
    ticket.refresh_from_db()
    assert ticket.status == Status.IN_REVIEW and ticket.first_responded_at is not None
    event = ticket.events.get(action=TicketEvent.Action.STATUS)
    assert event.actor == staff and event.detail == "Looking at it today."
    assert len(mail.outbox) == 1 and member.email in mail.outbox[0].to
    assert "Looking at it today." in mail.outbox[0].body


def test_admin_refuses_waiting_on_agency_without_reasons(staff_client, ticket):
    r = staff_client.post(
        change_url(ticket), change_data(staff_client, ticket, status=Status.WAITING_ON_AGENCY)
    )
    assert r.status_code == 200
    assert "it asks for the Common Mistakes reasons" in r.content.decode()
    ticket.refresh_from_db()
    assert ticket.status == Status.SUBMITTED


def test_resolve_in_admin_needs_date_then_stops_tracker(staff_client, ticket):
    r = staff_client.post(
        change_url(ticket), change_data(staff_client, ticket, status=Status.RESOLVED_RECEIVED)
    )
    assert r.status_code == 200
    assert "Enter the date the loss runs were received." in r.content.decode()
    today = timezone.localdate()
    data = change_data(
        staff_client, ticket, status=Status.RESOLVED_RECEIVED, received_on=today.isoformat()
    )
    assert staff_client.post(change_url(ticket), data).status_code == 302
    ticket.refresh_from_db()
    ticket.request.refresh_from_db()
    assert ticket.status == Status.RESOLVED_RECEIVED
    assert ticket.request.received_on == today and ticket.request.next_due_at is None


def test_inline_messages_internal_and_public(
    staff_client, ticket, staff, django_capture_on_commit_callbacks
):
    data = change_data(
        staff_client, ticket, **{"messages-0-body": "INTERNAL ONLY", "messages-0-is_internal": "on"}
    )
    with django_capture_on_commit_callbacks(execute=True):
        assert staff_client.post(change_url(ticket), data).status_code == 302
    assert mail.outbox == []
    msg = ticket.messages.get()
    assert msg.is_internal and msg.from_staff and msg.author == staff
    data = change_data(staff_client, ticket, **{"messages-0-body": "We escalated by phone."})
    with django_capture_on_commit_callbacks(execute=True):
        assert staff_client.post(change_url(ticket), data).status_code == 302
    assert len(mail.outbox) == 1
    assert "We escalated by phone." in mail.outbox[0].body
    assert "INTERNAL ONLY" not in mail.outbox[0].body
    assert ticket.events.filter(action=TicketEvent.Action.MESSAGE).count() == 1
    assert ticket.events.filter(action=TicketEvent.Action.INTERNAL_NOTE).count() == 1


def test_a_refused_later_step_keeps_nothing_and_says_why(
    staff_client, ticket, staff, monkeypatch, django_capture_on_commit_callbacks
):
    """Status, then priority: the priority step fails, so the status change and the typed
    message are rolled back, no e-mail goes out, and the page says what failed."""
    from django.core.exceptions import ValidationError

    def refuse(**kwargs):
        raise ValidationError("The priority service is refusing today.")

    monkeypatch.setattr("helpdesk.services.staff.ticket_set_priority", refuse)
    data = change_data(
        staff_client,
        ticket,
        status=Status.IN_REVIEW,
        priority=Ticket.Priority.HIGH,
        **{"messages-0-body": "We are on it."},
    )
    with django_capture_on_commit_callbacks(execute=True):
        r = staff_client.post(change_url(ticket), data)
    assert r.status_code == 200
    html = r.content.decode()
    assert "Nothing was saved: The priority service is refusing today." in html
    assert "We are on it." in html  # what staff typed is still on the form
    assert "was changed successfully" not in html
    ticket.refresh_from_db()
    assert ticket.status == Status.SUBMITTED and ticket.first_responded_at is None
    assert not ticket.events.exists() and not ticket.messages.exists()
    assert mail.outbox == []


def test_a_refused_message_rolls_back_the_status_change(staff_client, ticket, monkeypatch):
    from django.core.exceptions import ValidationError

    def refuse(**kwargs):
        raise ValidationError("No messages today.")

    monkeypatch.setattr(services, "ticket_add_message", refuse)
    data = change_data(
        staff_client, ticket, status=Status.ESCALATED, **{"messages-0-body": "Escalating."}
    )
    r = staff_client.post(change_url(ticket), data)
    assert r.status_code == 200 and "Nothing was saved: No messages today." in r.content.decode()
    ticket.refresh_from_db()
    assert ticket.status == Status.SUBMITTED and not ticket.events.exists()


def test_assign_and_priority_in_admin_are_audited(staff_client, ticket, staff):
    data = change_data(staff_client, ticket, assignee=staff.pk, priority=Ticket.Priority.HIGH)
    assert staff_client.post(change_url(ticket), data).status_code == 302
    assert set(ticket.events.values_list("action", flat=True)) == {"assigned", "priority"}


# --- bulk actions -------------------------------------------------------------------------


def test_bulk_assign_to_me_and_mark_in_review(
    staff_client, staff, agency, django_capture_on_commit_callbacks
):
    tickets = [TicketFactory(request__agency=agency) for _ in range(3)]
    url = reverse("admin:helpdesk_ticket_changelist")
    ids = [t.pk for t in tickets]
    r = staff_client.post(url, {"action": "assign_to_me", "_selected_action": ids})
    assert r.status_code == 302
    assert Ticket.objects.filter(assignee=staff).count() == 3
    assert TicketEvent.objects.filter(action="assigned", actor=staff).count() == 3
    services.ticket_set_status(ticket=tickets[0], status=Status.CLOSED_CANNOT_PURSUE, actor=staff)
    with django_capture_on_commit_callbacks(execute=True):
        staff_client.post(url, {"action": "mark_in_review", "_selected_action": ids})
    statuses = dict(Ticket.objects.values_list("pk", "status"))
    assert statuses[ids[0]] == Status.CLOSED_CANNOT_PURSUE  # a closed ticket is not reopened
    assert statuses[ids[1]] == statuses[ids[2]] == Status.IN_REVIEW
    assert TicketEvent.objects.filter(to_status=Status.IN_REVIEW, actor=staff).count() == 2
    assert len(mail.outbox) == 2


# --- return to agency ---------------------------------------------------------------------


def test_return_to_agency_requires_reasons(
    staff_client, ticket, mistakes, django_capture_on_commit_callbacks
):
    url = reverse("admin:helpdesk_ticket_return", args=[ticket.pk])
    r = staff_client.get(url)
    assert r.status_code == 200 and "Wrong policy number" in r.content.decode()
    r = staff_client.post(url, {"note": "please fix"})
    assert r.status_code == 400
    assert "Choose at least one Common Mistake as the reason." in r.content.decode()
    ticket.refresh_from_db()
    assert ticket.status == Status.SUBMITTED
    with django_capture_on_commit_callbacks(execute=True):
        r = staff_client.post(url, {"reasons": [mistakes[1].pk], "note": "please fix"})
    assert r.status_code == 302
    ticket.refresh_from_db()
    assert ticket.status == Status.WAITING_ON_AGENCY
    event = ticket.events.get(action=TicketEvent.Action.RETURNED)
    assert list(event.reasons.all()) == [mistakes[1]]
    assert len(mail.outbox) == 1
    assert "Unsigned authorization" in mail.outbox[0].body and "please fix" in mail.outbox[0].body


# --- escalation letter and documents ------------------------------------------------------


def test_escalation_letter_pdf_cites_request_dates_and_policies(staff_client, ticket, staff):
    r = staff_client.get(reverse("admin:helpdesk_ticket_escalation_letter", args=[ticket.pk]))
    assert r.status_code == 200 and r["Content-Type"] == "application/pdf"
    text = "".join(page.extract_text() for page in PdfReader(io.BytesIO(r.content)).pages)
    req = ticket.request
    assert "GL-123" in text and "AU-456" in text
    assert req.carrier.legal_name in text
    assert (
        f"{req.first_request_on:%b} {req.first_request_on.day}, {req.first_request_on.year}" in text
    )
    assert "Second request sent" in text
    assert not ticket.events.exists()  # opening the letter writes nothing


def test_escalation_letter_sent_is_recorded_by_post_only(staff_client, ticket, staff):
    url = reverse("admin:helpdesk_ticket_escalation_letter_sent", args=[ticket.pk])
    assert url in staff_client.get(change_url(ticket)).content.decode()
    assert staff_client.get(url).status_code == 405
    assert not ticket.events.exists()
    r = staff_client.post(url)
    assert r.status_code == 302 and r.url == change_url(ticket)
    assert ticket.events.get(action=TicketEvent.Action.ESCALATION_LETTER).actor == staff


def test_staff_document_view_streams_only_attached_documents(staff_client, ticket):
    doc = ticket.signed_first_request
    r = staff_client.get(reverse("admin:helpdesk_ticket_document", args=[ticket.pk, doc.pk]))
    assert r.status_code == 200
    assert b"".join(r.streaming_content).startswith(b"%PDF")
    proof_id = ticket.proofs.first().document_id
    assert (
        staff_client.get(
            reverse("admin:helpdesk_ticket_document", args=[ticket.pk, proof_id])
        ).status_code
        == 200
    )
    stray = DocumentFactory(request=ticket.request, kind=Document.Kind.OTHER)
    r = staff_client.get(reverse("admin:helpdesk_ticket_document", args=[ticket.pk, stray.pk]))
    assert r.status_code == 404


def test_staff_without_ticket_permission_cannot_open(client, ticket):
    plain = StaffFactory(is_superuser=False)
    client.force_login(plain)
    assert client.get(change_url(ticket)).status_code == 403


@pytest.mark.parametrize("content_type", ["application/pdf", "image/png", "text/html"])
def test_staff_open_agency_files_as_sandboxed_downloads_like_the_agency(
    staff_client, ticket, content_type
):
    """An agency's file must never render as an admin page (same-origin, staff session)."""
    doc = ticket.signed_first_request
    doc.content_type = content_type
    doc.save(update_fields=["content_type"])
    r = staff_client.get(reverse("admin:helpdesk_ticket_document", args=[ticket.pk, doc.pk]))
    assert r.status_code == 200
    assert r["Content-Disposition"].startswith("attachment;")
    assert r["Content-Security-Policy"] == "default-src 'none'; sandbox"
    assert r["X-Content-Type-Options"] == "nosniff"


# --- the queue first, the ticket as a thread ------------------------------------------------


def test_admin_index_opens_on_the_queue_with_counts_by_status_and_overdue(
    staff_client, agency, django_assert_max_num_queries
):
    overdue = TicketFactory(request__agency=agency)
    Ticket.objects.filter(pk=overdue.pk).update(
        first_response_due_at=timezone.now() - timezone.timedelta(hours=2)
    )
    TicketFactory(request__agency=agency, status=Status.WAITING_ON_AGENCY)
    TicketFactory(request__agency=agency, status=Status.RESOLVED_RECEIVED)
    with django_assert_max_num_queries(10):
        r = staff_client.get(reverse("admin:index"))
    html = r.content.decode()
    assert html.index("Help desk queue: 2 open tickets") < html.index("app-helpdesk")
    counts = {c.label: c.count for c in r.context["queue"].counts}
    assert counts["First response overdue"] == 1
    assert counts["Submitted"] == 1 and counts["Waiting on agency"] == 1
    assert counts["Escalated to carrier"] == 0 and counts["Open, unassigned"] == 2
    changelist = reverse("admin:helpdesk_ticket_changelist")
    assert f'href="{changelist}?overdue=yes"' in html
    assert f'href="{changelist}?status__exact=waiting_on_agency"' in html
    assert reverse("admin:helpdesk_ticket_change", args=[overdue.pk]) in html
    for _ in range(4):
        TicketFactory(request__agency=agency)
    with django_assert_max_num_queries(10):
        staff_client.get(reverse("admin:index"))


def test_queue_count_links_filter_the_list_to_that_count(staff_client, agency):
    from helpdesk.admin.queue import ticket_queue

    TicketFactory(request__agency=agency, status=Status.ESCALATED)
    TicketFactory(request__agency=agency)
    for count in ticket_queue().counts:
        r = staff_client.get(count.url)
        assert r.status_code == 200
        assert r.context["cl"].result_count == count.count, count.label


def test_ticket_page_thread_oldest_first_actions_on_top_documents_once(
    staff_client, ticket, staff, member
):
    signed = ticket.signed_first_request
    services.ticket_set_status(ticket=ticket, status=Status.IN_REVIEW, actor=staff)
    services.ticket_add_message(ticket=ticket, author=staff, body="First from the desk.")
    services.ticket_add_message(
        ticket=ticket, author=member, body="Agency answers.", documents=[signed]
    )
    html = staff_client.get(change_url(ticket)).content.decode()
    thread = html[html.index('class="hd-thread"') :]
    assert (
        thread.index("Submitted")
        < thread.index("In review")
        < thread.index("First from the desk.")
        < thread.index("Agency answers.")
    )
    assert "hd-msg-agency" in thread and "hd-msg-staff" in thread
    # Actions first: the object tools, then a save row above the fieldsets.
    assert html.index("Record: escalation letter sent") < html.index("Work the ticket")
    assert html.index('name="_save"') < html.index("Work the ticket")
    assert html.index('name="messages-0-body"') < html.index("Carrier&#x27;s loss-run contacts")
    documents = html[html.index("hd-documents") :]
    documents = documents[: documents.index("</table>")]
    signed_url = reverse("admin:helpdesk_ticket_document", args=[ticket.pk, signed.pk])
    assert documents.count(signed_url) == 1
    assert "signed first request; attached to an agency message" in documents
    (proof_id,) = set(ticket.proofs.values_list("document_id", flat=True))
    proof_url = reverse("admin:helpdesk_ticket_document", args=[ticket.pk, proof_id])
    assert documents.count(proof_url) == 1  # one row for the document, not one per policy
    assert "proof of carrier for AU-456, GL-123" in documents


# --- received: the loss runs obtained, kept on the request (issue 18) -----------------------


def test_resolving_with_the_loss_runs_keeps_them_on_the_request_and_links_the_import(
    staff_client, ticket, member, django_capture_on_commit_callbacks
):
    today = timezone.localdate()
    data = change_data(
        staff_client, ticket, status=Status.RESOLVED_RECEIVED, received_on=today.isoformat()
    )
    data["loss_run_file"] = SimpleUploadedFile(
        "runs.csv", b"claim,paid\n1,100\n", content_type="text/csv"
    )
    with django_capture_on_commit_callbacks(execute=True):
        assert staff_client.post(change_url(ticket), data).status_code == 302
    doc = Document.objects.get(request=ticket.request, kind=Document.Kind.LOSS_RUN)
    assert doc.original_name == "runs.csv" and doc.agency == ticket.agency
    # The ticket page points to it.
    assert "Loss runs on file</th><td>runs.csv" in staff_client.get(change_url(ticket)).text
    event = ticket.events.get(action=TicketEvent.Action.RESOLVED)
    assert "The loss runs are on the request: runs.csv." in event.detail
    edit = reverse("vault:request_edit", args=[ticket.request_id]) + "#next-step"
    (message,) = [m for m in mail.outbox if member.email in m.to]
    assert f"Read the loss runs into Claims from the request: http://testserver{edit}" in (
        message.body
    )


def test_resolving_without_a_file_stores_no_document(staff_client, ticket):
    data = change_data(
        staff_client,
        ticket,
        status=Status.RESOLVED_RECEIVED,
        received_on=timezone.localdate().isoformat(),
    )
    assert staff_client.post(change_url(ticket), data).status_code == 302
    assert not Document.objects.filter(request=ticket.request, kind=Document.Kind.LOSS_RUN)


def test_a_file_that_is_no_loss_run_is_refused_and_nothing_is_saved(staff_client, ticket):
    data = change_data(
        staff_client,
        ticket,
        status=Status.RESOLVED_RECEIVED,
        received_on=timezone.localdate().isoformat(),
    )
    data["loss_run_file"] = SimpleUploadedFile("x.exe", b"MZ\x90\x00\x03binary")
    r = staff_client.post(change_url(ticket), data)
    assert r.status_code == 200 and "Nothing was saved" in r.content.decode()
    ticket.refresh_from_db()
    ticket.request.refresh_from_db()
    assert ticket.status != Status.RESOLVED_RECEIVED and ticket.request.received_on is None


def test_letter_and_panel_print_the_years_as_the_request_letters_do(staff_client, ticket):
    """One rule (vault.rules.request_years_text) for "years requested": 5 years asked of
    one 2025 term reads as the term and the 4 years before it, never a bare "5"."""
    years = "5 years (the terms listed and the 4 years before them)"
    r = staff_client.get(reverse("admin:helpdesk_ticket_escalation_letter", args=[ticket.pk]))
    text = " ".join(
        "".join(p.extract_text() for p in PdfReader(io.BytesIO(r.content)).pages).split()
    )
    assert f"(claims history: {years})" in text
    html = staff_client.get(change_url(ticket)).content.decode()
    assert f"<tr><th>Years requested</th><td>{years}</td></tr>" in html


def test_the_queue_reads_each_ticket_in_few_wrapping_columns(staff_client, ticket, staff):
    """Six columns (so the queue fits 1366 px beside the admin's navigation and filters):
    the ticket and its insured, carrier over agency, status over assignee and priority."""
    services.ticket_assign(ticket=ticket, assignee=staff, actor=staff)
    Ticket.objects.filter(pk=ticket.pk).update(priority=Ticket.Priority.HIGH)
    response = staff_client.get(reverse("admin:helpdesk_ticket_changelist"))
    html = response.content.decode()
    assert response.context["cl"].list_display == [
        "action_checkbox", "ticket", "carrier_agency", "status_assignee",
        "first_response_due", "statutory_due", "updated",
    ]  # fmt: skip
    req = ticket.request
    assert f"#{ticket.pk} {req.insured}</a>" in html
    assert (
        f'{req.carrier.legal_name}<span class="hd-line2">{ticket.agency.name}</span>'
    ) in html.replace("&amp;", "&")
    assert f'Submitted<span class="hd-line2">{staff} · High priority</span>' in html
